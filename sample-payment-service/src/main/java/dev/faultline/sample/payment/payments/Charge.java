package dev.faultline.sample.payment.payments;

/**
 * The outcome of a charge request: the payment, and whether it was charged by an earlier
 * request with the same idempotency key.
 *
 * @param payment the payment
 * @param replayed {@code true} when an earlier request charged it and this one changed
 * nothing
 */
public record Charge(Payment payment, boolean replayed) {

}
