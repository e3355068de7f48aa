package dev.faultline.e2e.support;

import java.math.BigDecimal;

/**
 * An order as order-service shows it (the fields the suite looks at).
 *
 * @param id the order's id, also the payment's idempotency key
 * @param customer who ordered
 * @param amount what it costs
 * @param currency ISO 4217 code
 * @param status where it stands: {@code PAYMENT_PENDING}, {@code PAYMENT_REJECTED},
 * {@code DELIVERY_DEFERRED} or {@code DELIVERY_SCHEDULED}
 * @param paymentId the payment's id once paid
 * @param deliverySlot the warehouse's slot once scheduled
 */
public record Order(String id, String customer, BigDecimal amount, String currency, String status,
		String paymentId, String deliverySlot) {

	public static final String PAYMENT_PENDING = "PAYMENT_PENDING";

	public static final String DELIVERY_DEFERRED = "DELIVERY_DEFERRED";

	public static final String DELIVERY_SCHEDULED = "DELIVERY_SCHEDULED";

}
