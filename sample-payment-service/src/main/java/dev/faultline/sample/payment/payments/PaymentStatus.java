package dev.faultline.sample.payment.payments;

/**
 * What happened to a payment. The sample only charges; a real shop would add refunds.
 */
public enum PaymentStatus {

	/**
	 * The amount was charged.
	 */
	CHARGED

}
