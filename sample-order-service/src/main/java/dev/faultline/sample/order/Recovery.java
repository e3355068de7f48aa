package dev.faultline.sample.order;

import java.time.Duration;
import java.util.List;

import dev.faultline.function.BusinessFunctions;
import dev.faultline.peer.Peer;
import dev.faultline.peer.PeerRegistry;
import dev.faultline.sample.order.PaymentGateway.Charge;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreaker.State;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Catches up once a dependency is back: charges the orders left waiting for payment and
 * schedules the deliveries left deferred, oldest first.
 *
 * <p>
 * Payment is retried only while the payment peer is available and its circuit lets calls
 * through (closed, or half-open: these calls are then the circuit's trial calls). The
 * order id is the idempotency key, so an order whose first charge did reach the payment
 * service (and only the answer was lost) is answered with that same payment: every
 * accepted order is paid exactly once, across restarts of either service. An order is
 * left alone until it has not changed for a while, so the request that placed it can
 * finish first.
 */
@Component
public class Recovery {

	private static final Logger logger = LoggerFactory.getLogger(Recovery.class);

	private final OrderRepository orders;

	private final Checkout checkout;

	private final Peer paymentPeer;

	private final CircuitBreaker payment;

	private final CircuitBreaker delivery;

	private final Duration quietFor;

	private final int batchSize;

	public Recovery(OrderRepository orders, Checkout checkout, ObjectProvider<PeerRegistry> peers,
			ObjectProvider<BusinessFunctions> functions, @Value("${orders.recovery.quiet-for:3s}") Duration quietFor,
			@Value("${orders.recovery.batch-size:50}") int batchSize) {
		this.orders = orders;
		this.checkout = checkout;
		// With faultline.enabled=false there is no peer registry and the functions pass their
		// calls through, with no circuit: nothing to follow.
		BusinessFunctions declared = functions.getIfAvailable();
		boolean isolated = declared != null && !declared.isPassThrough();
		PeerRegistry registry = peers.getIfAvailable();
		this.paymentPeer = (registry != null) ? registry.find("payment-service").orElseThrow() : null;
		this.payment = isolated ? declared.get("payment").getCircuitBreaker() : null;
		this.delivery = isolated ? declared.get("delivery").getCircuitBreaker() : null;
		this.quietFor = quietFor;
		this.batchSize = batchSize;
	}

	@Scheduled(fixedDelayString = "${orders.recovery.interval:2s}")
	public void catchUp() throws InterruptedException {
		if (this.payment == null || this.paymentPeer == null) {
			return;
		}
		if (this.paymentPeer.isAvailable() && letsCallsThrough(this.payment)) {
			retryPayments();
		}
		if (letsCallsThrough(this.delivery)) {
			retryDeliveries();
		}
	}

	private void retryPayments() throws InterruptedException {
		List<Order> pending = this.orders.findStale(OrderStatus.PAYMENT_PENDING, this.quietFor, this.batchSize);
		int paid = 0;
		for (Order order : pending) {
			if (this.checkout.pay(order).outcome() == Charge.Outcome.PENDING) {
				// Payment is not back after all: stop here, the next round tries again.
				break;
			}
			paid++;
		}
		if (paid > 0) {
			logger.info("Recovery charged {} of {} orders waiting for payment", paid, pending.size());
		}
	}

	private void retryDeliveries() throws InterruptedException {
		List<Order> deferred = this.orders.findStale(OrderStatus.DELIVERY_DEFERRED, this.quietFor, this.batchSize);
		int scheduled = 0;
		for (Order order : deferred) {
			if (!this.checkout.deliver(order)) {
				break;
			}
			scheduled++;
		}
		if (scheduled > 0) {
			logger.info("Recovery scheduled {} of {} deferred deliveries", scheduled, deferred.size());
		}
	}

	private static boolean letsCallsThrough(CircuitBreaker breaker) {
		State state = breaker.getState();
		return state == State.CLOSED || state == State.HALF_OPEN;
	}

}
