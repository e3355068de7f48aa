package dev.faultline.sample.order;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * An order as stored.
 *
 * @param id the order's id, also the payment's idempotency key
 * @param customer who ordered
 * @param amount what it costs
 * @param currency ISO 4217 code
 * @param postcode where it goes
 * @param status where it stands
 * @param paymentId the payment service's id once paid
 * @param deliverySlot the warehouse's slot once scheduled
 * @param createdAt when it was accepted
 * @param updatedAt when its status last changed
 */
public record Order(String id, String customer, BigDecimal amount, String currency, String postcode,
		OrderStatus status, String paymentId, String deliverySlot, Instant createdAt, Instant updatedAt) {

}
