package dev.faultline.sample.order;

import java.math.BigDecimal;
import java.util.Map;

import dev.faultline.function.BusinessFunction;
import dev.faultline.peer.http.PeerRestClients;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.client.HttpClientErrorException;
import org.springframework.web.client.RestClient;

/**
 * Charges orders through the payment service, as the {@code payment} business function:
 * on its own pool, behind its circuit (which follows the payment peer's φ) and within its
 * time limit. The order id is the idempotency key, so a charge retried after a timeout,
 * a crash or a restart is never applied twice.
 */
@Component
public class PaymentGateway {

	private static final Logger logger = LoggerFactory.getLogger(PaymentGateway.class);

	private final RestClient payments;

	public PaymentGateway(PeerRestClients peers) {
		// With faultline.enabled=false (only to measure what Faultline changes) this is a
		// plain client on payment's first instance with the same timeouts, and the same code
		// calls payment directly, on the request thread.
		this.payments = peers.get("payment-service");
	}

	/**
	 * Charges the order, as a call of its customer: one customer's flood of orders holds at
	 * most its share of the payment function, the other customers' orders are still paid.
	 * @param order the order
	 * @return the outcome; {@link Charge#pending()} when payment cannot be reached, or when
	 * the customer already holds its share of the payment function
	 */
	@BusinessFunction(value = "payment", fallbackMethod = "pending", partitionKey = "#order.customer")
	public Charge charge(Order order) {
		return request(order);
	}

	/**
	 * Charges the order on the caller's thread, outside the payment function: for a caller
	 * that runs it through the function itself, under a key of its own (the recovery).
	 * @param order the order
	 * @return the outcome: paid or rejected
	 */
	public Charge request(Order order) {
		try {
			PaymentResponse payment = this.payments.post()
				.uri("/payments")
				.header("Idempotency-Key", order.id())
				.contentType(MediaType.APPLICATION_JSON)
				.body(Map.of("orderId", order.id(), "amount", order.amount(), "currency", order.currency()))
				.retrieve()
				.body(PaymentResponse.class);
			return Charge.paid(payment.id());
		}
		catch (HttpClientErrorException ex) {
			// The payment service answered and said no: a business outcome, not an outage.
			logger.warn("Payment refused order {}: {}", order.id(), ex.getStatusCode());
			return Charge.rejected();
		}
	}

	Charge pending(Order order, Throwable cause) {
		logger.info("Payment of order {} is pending: {}", order.id(), cause.toString());
		return Charge.pending();
	}

	/**
	 * What the payment service answers.
	 *
	 * @param id the payment's id
	 * @param orderId the order's id
	 * @param amount the amount charged
	 * @param currency the currency
	 * @param status the payment's status
	 */
	public record PaymentResponse(String id, String orderId, BigDecimal amount, String currency, String status) {
	}

	/**
	 * The outcome of a charge.
	 *
	 * @param outcome what happened
	 * @param paymentId the payment's id when paid
	 */
	public record Charge(Outcome outcome, String paymentId) {

		static Charge paid(String paymentId) {
			return new Charge(Outcome.PAID, paymentId);
		}

		static Charge rejected() {
			return new Charge(Outcome.REJECTED, null);
		}

		static Charge pending() {
			return new Charge(Outcome.PENDING, null);
		}

		/**
		 * What happened to a charge.
		 */
		public enum Outcome {

			/** Charged. */
			PAID,

			/** Refused by the payment service. */
			REJECTED,

			/** Payment could not be reached; try again later. */
			PENDING

		}

	}

}
