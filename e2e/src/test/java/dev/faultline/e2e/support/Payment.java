package dev.faultline.e2e.support;

import java.math.BigDecimal;

/**
 * A payment as payment-service shows it.
 *
 * @param id the payment's id
 * @param orderId the order it pays for
 * @param amount the amount charged
 * @param currency the currency
 * @param status what happened to it
 */
public record Payment(String id, String orderId, BigDecimal amount, String currency, String status) {

}
