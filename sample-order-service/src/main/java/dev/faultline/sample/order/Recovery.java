package dev.faultline.sample.order;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import dev.faultline.function.BusinessFunctions;
import dev.faultline.function.IsolatedFunction;
import dev.faultline.function.Partitions;
import dev.faultline.peer.Peer;
import dev.faultline.peer.PeerRegistry;
import dev.faultline.sample.order.PaymentGateway.Charge;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreaker.State;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Catches up once a dependency is back: charges the orders left waiting for payment and
 * schedules the deliveries left deferred, oldest first, as fast as the payment and
 * delivery functions admit.
 *
 * <p>
 * The recovery calls each function as a key of its own, {@value #KEY}, so it holds at
 * most the function's share ({@code faultline.functions.<name>.partition.share}) whatever
 * the size of the backlog: it keeps that many calls in flight, one per lane, and new
 * orders keep the rest of the pool. A round reads the backlog a batch at a time and
 * goes on while there is work and payment is healthy; it stops taking orders at the first
 * charge that does not go through (circuit open, call refused, payment failing), and the
 * next round tries again.
 *
 * <p>
 * Payment is retried only while the payment peer is available and its circuit lets calls
 * through (closed, or half-open: these calls are then the circuit's trial calls). The
 * order id is the idempotency key, so an order whose first charge did reach the payment
 * service (and only the answer was lost) is answered with that same payment, and an
 * order is recorded as paid only if it still waits for payment: every accepted order is
 * paid exactly once, across restarts of either service. Within a batch each order is
 * taken by one lane only. An order is left alone until it has not changed for a while,
 * so the request that placed it can finish first.
 */
@Component
public class Recovery implements DisposableBean {

	/**
	 * The partition key of the recovery's calls.
	 */
	public static final String KEY = "recovery";

	private static final Logger logger = LoggerFactory.getLogger(Recovery.class);

	private final OrderRepository orders;

	private final PaymentGateway payments;

	private final Warehouse warehouse;

	private final Peer paymentPeer;

	private final IsolatedFunction payment;

	private final IsolatedFunction delivery;

	private final Duration quietFor;

	private final int batchSize;

	private final ExecutorService lanes;

	public Recovery(OrderRepository orders, PaymentGateway payments, Warehouse warehouse,
			ObjectProvider<PeerRegistry> peers, ObjectProvider<BusinessFunctions> functions,
			@Value("${orders.recovery.quiet-for:3s}") Duration quietFor,
			@Value("${orders.recovery.batch-size:200}") int batchSize) {
		this.orders = orders;
		this.payments = payments;
		this.warehouse = warehouse;
		// With faultline.enabled=false there is no peer registry and the functions pass their
		// calls through, with no circuit: nothing to follow.
		BusinessFunctions declared = functions.getIfAvailable();
		boolean isolated = declared != null && !declared.isPassThrough();
		PeerRegistry registry = peers.getIfAvailable();
		this.paymentPeer = (registry != null) ? registry.find("payment-service").orElseThrow() : null;
		this.payment = isolated ? declared.get("payment") : null;
		this.delivery = isolated ? declared.get("delivery") : null;
		this.quietFor = quietFor;
		this.batchSize = batchSize;
		this.lanes = isolated ? Executors.newFixedThreadPool(Math.max(lanes(this.payment), lanes(this.delivery)),
				new LaneThreads()) : null;
	}

	@Scheduled(fixedDelayString = "${orders.recovery.interval:2s}")
	public void catchUp() throws InterruptedException {
		if (this.payment == null || this.paymentPeer == null) {
			return;
		}
		if (paymentIsHealthy()) {
			retryPayments();
		}
		if (letsCallsThrough(this.delivery.getCircuitBreaker())) {
			retryDeliveries();
		}
	}

	private void retryPayments() throws InterruptedException {
		long start = System.nanoTime();
		int paid = drain(OrderStatus.PAYMENT_PENDING, this.payment, this::paymentIsHealthy, this::charge);
		if (paid > 0) {
			logger.info("Recovery charged {} orders waiting for payment in {} ms", paid,
					Duration.ofNanos(System.nanoTime() - start).toMillis());
		}
	}

	private void retryDeliveries() throws InterruptedException {
		long start = System.nanoTime();
		int scheduled = drain(OrderStatus.DELIVERY_DEFERRED, this.delivery,
				() -> letsCallsThrough(this.delivery.getCircuitBreaker()), this::deliver);
		if (scheduled > 0) {
			logger.info("Recovery scheduled {} deferred deliveries in {} ms", scheduled,
					Duration.ofNanos(System.nanoTime() - start).toMillis());
		}
	}

	/**
	 * Takes the orders in the given status a batch at a time, oldest first, through as many
	 * lanes as the function's share, while {@code healthy} holds and every step
	 * went through.
	 * @return how many orders a step went through for
	 */
	private int drain(OrderStatus status, IsolatedFunction function, BooleanSupplier healthy, Step step)
			throws InterruptedException {
		int done = 0;
		while (healthy.getAsBoolean()) {
			List<Order> batch = this.orders.findStale(status, this.quietFor, this.batchSize);
			if (batch.isEmpty()) {
				break;
			}
			int through = inLanes(batch, lanes(function), step);
			done += through;
			if (through < batch.size()) {
				// A step did not go through: the dependency is not back after all, or it is
				// busy; the next round tries again.
				break;
			}
		}
		return done;
	}

	private int inLanes(List<Order> batch, int lanes, Step step) throws InterruptedException {
		Queue<Order> queue = new ConcurrentLinkedQueue<>(batch);
		AtomicBoolean stopped = new AtomicBoolean();
		AtomicInteger through = new AtomicInteger();
		List<Future<?>> running = new ArrayList<>();
		for (int i = 0; i < Math.min(lanes, batch.size()); i++) {
			running.add(this.lanes.submit(() -> {
				Order order;
				// Each lane takes the oldest order left: one order, one lane.
				while (!stopped.get() && (order = queue.poll()) != null) {
					if (step.through(order)) {
						through.incrementAndGet();
					}
					else {
						stopped.set(true);
					}
				}
				return null;
			}));
		}
		try {
			for (Future<?> lane : running) {
				lane.get();
			}
		}
		catch (ExecutionException ex) {
			stopped.set(true);
			throw new IllegalStateException("A recovery lane failed", ex.getCause());
		}
		catch (InterruptedException ex) {
			stopped.set(true);
			running.forEach((lane) -> lane.cancel(true));
			throw ex;
		}
		return through.get();
	}

	// A charge as the recovery's key, recorded only if the order still waits for payment;
	// its delivery is left to the deliveries' drain, so the payment lanes keep charging.
	private boolean charge(Order order) {
		Charge charge = this.payment.call(KEY, () -> this.payments.request(order), (cause) -> Charge.pending());
		switch (charge.outcome()) {
			case PAID -> this.orders.paid(order.id(), charge.paymentId());
			case REJECTED -> this.orders.rejected(order.id());
			case PENDING -> {
				return false;
			}
		}
		return true;
	}

	private boolean deliver(Order order) {
		Optional<String> slot = this.delivery.call(KEY, () -> this.warehouse.book(order),
				(cause) -> Optional.empty());
		if (slot.isEmpty()) {
			return false;
		}
		this.orders.scheduled(order.id(), slot.get());
		return true;
	}

	private boolean paymentIsHealthy() {
		return this.paymentPeer.isAvailable() && letsCallsThrough(this.payment.getCircuitBreaker());
	}

	// The function's share: as many calls in flight as the recovery's key may have, so that
	// none of them is turned away for the key. A function that is not
	// partitioned gets its pool's threads.
	private static int lanes(IsolatedFunction function) {
		Partitions partitions = function.getPartitions();
		if (partitions != null) {
			return partitions.share();
		}
		return (function.getBulkhead() != null) ? function.getBulkhead().getBulkheadConfig().getMaxThreadPoolSize()
				: function.getConcurrencyLimit().getBulkheadConfig().getMaxConcurrentCalls();
	}

	private static boolean letsCallsThrough(CircuitBreaker breaker) {
		State state = breaker.getState();
		return state == State.CLOSED || state == State.HALF_OPEN;
	}

	@Override
	public void destroy() {
		if (this.lanes != null) {
			this.lanes.shutdownNow();
		}
	}

	/**
	 * One order's step: whether it went through.
	 */
	@FunctionalInterface
	private interface Step {

		boolean through(Order order);

	}

	/**
	 * Daemon threads named {@code recovery-<n>}.
	 */
	private static final class LaneThreads implements ThreadFactory {

		private final AtomicInteger count = new AtomicInteger();

		@Override
		public Thread newThread(Runnable task) {
			Thread thread = new Thread(task, "recovery-" + this.count.incrementAndGet());
			thread.setDaemon(true);
			return thread;
		}

	}

}
