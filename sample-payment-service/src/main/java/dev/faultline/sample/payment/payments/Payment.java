package dev.faultline.sample.payment.payments;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Currency;
import java.util.UUID;

/**
 * A charged payment, as the API shows it.
 *
 * @param id the payment's id
 * @param orderId the order it pays for
 * @param amount the amount charged, with the currency's number of decimals
 * @param currency the ISO 4217 code of the currency
 * @param status what happened to it
 * @param createdAt when it was charged, to the millisecond
 */
public record Payment(UUID id, String orderId, BigDecimal amount, String currency, PaymentStatus status,
		Instant createdAt) {

	/**
	 * Returns the amount with exactly the currency's number of decimals ({@code 12.50} EUR,
	 * {@code 1250} JPY), so that equal amounts look and hash the same however they were
	 * written. The amount must not have more decimals than the currency allows.
	 * @param amount the amount
	 * @param currency the ISO 4217 code of a known currency
	 * @return the amount in the currency's scale
	 */
	static BigDecimal inCurrencyScale(BigDecimal amount, String currency) {
		return amount.setScale(Currency.getInstance(currency).getDefaultFractionDigits());
	}

}
