package dev.faultline.sample.order;

/**
 * Where an order stands. An accepted order is never lost and never charged twice: it
 * waits in {@link #PAYMENT_PENDING} or {@link #DELIVERY_DEFERRED} until the recovery task
 * finishes it.
 */
public enum OrderStatus {

	/**
	 * Accepted and stored; payment could not be reached yet and will be retried.
	 */
	PAYMENT_PENDING,

	/**
	 * Payment refused the charge (a business answer, not an outage); not retried.
	 */
	PAYMENT_REJECTED,

	/**
	 * Paid; delivery could not be scheduled yet and will be retried.
	 */
	DELIVERY_DEFERRED,

	/**
	 * Paid and delivery scheduled: done.
	 */
	DELIVERY_SCHEDULED

}
