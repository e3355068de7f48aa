package dev.faultline.sample.payment.payments;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

/**
 * What a client asks to be charged: the body of {@code POST /payments}.
 *
 * @param orderId the order to pay for: 1 to 64 of {@code A-Z a-z 0-9 _ -}
 * @param amount more than 0, at most 1,000,000.00, with no more decimals than the currency
 * has (2, or none for JPY)
 * @param currency one of EUR, USD, GBP, CHF, JPY
 */
@AmountFitsCurrency
public record PaymentRequest(
		@NotNull(message = REQUIRED) @Pattern(regexp = ORDER_ID_PATTERN, message = ORDER_ID_RULE) String orderId,
		@NotNull(message = REQUIRED) @DecimalMin(value = "0", inclusive = false,
				message = "must be greater than 0") @DecimalMax(value = MAX_AMOUNT,
						message = "must be at most " + MAX_AMOUNT) BigDecimal amount,
		@NotNull(message = REQUIRED) @Pattern(regexp = "EUR|USD|GBP|CHF|JPY",
				message = "must be one of EUR, USD, GBP, CHF or JPY") String currency) {

	static final String ORDER_ID_PATTERN = "[A-Za-z0-9_-]{1,64}";

	static final String ORDER_ID_RULE = "must be 1 to 64 characters of A-Z, a-z, 0-9, '_' or '-'";

	static final String MAX_AMOUNT = "1000000.00";

	private static final String REQUIRED = "is required";

	/**
	 * Returns what identifies this request for idempotency: a SHA-256 of order, amount and
	 * currency, with the amount in the currency's scale so that {@code 12.5} and
	 * {@code 12.50} are the same request. Only for a valid request.
	 * @return 64 hex digits
	 */
	String fingerprint() {
		String canonical = this.orderId + "|" + Payment.inCurrencyScale(this.amount, this.currency).toPlainString()
				+ "|" + this.currency;
		try {
			byte[] hash = MessageDigest.getInstance("SHA-256").digest(canonical.getBytes(StandardCharsets.UTF_8));
			return HexFormat.of().formatHex(hash);
		}
		catch (NoSuchAlgorithmException ex) {
			// Every Java platform must provide SHA-256.
			throw new IllegalStateException(ex);
		}
	}

}
