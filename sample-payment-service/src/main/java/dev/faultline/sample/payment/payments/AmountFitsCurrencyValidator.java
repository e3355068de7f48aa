package dev.faultline.sample.payment.payments;

import java.math.BigDecimal;
import java.util.Currency;

import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;

/**
 * Checks {@link AmountFitsCurrency}, reporting the violation on the {@code amount} field so
 * that clients see it next to the amount's other rules.
 */
class AmountFitsCurrencyValidator implements ConstraintValidator<AmountFitsCurrency, PaymentRequest> {

	private static final int MOST_DECIMALS = 2;

	@Override
	public boolean isValid(PaymentRequest request, ConstraintValidatorContext context) {
		if (request == null || request.amount() == null) {
			return true;
		}
		int allowed = allowedDecimals(request.currency());
		if (decimals(request.amount()) <= allowed) {
			return true;
		}
		String message = (allowed == 0) ? "must be a whole number for " + request.currency()
				: "must have at most " + allowed + " decimal places";
		context.disableDefaultConstraintViolation();
		context.buildConstraintViolationWithTemplate(message).addPropertyNode("amount").addConstraintViolation();
		return false;
	}

	private static int allowedDecimals(String currency) {
		if (currency == null) {
			return MOST_DECIMALS;
		}
		try {
			int digits = Currency.getInstance(currency).getDefaultFractionDigits();
			// Pseudo-currencies such as XAU have -1; a rejected currency is held to the most.
			return (digits >= 0 && digits <= MOST_DECIMALS) ? digits : MOST_DECIMALS;
		}
		catch (IllegalArgumentException ex) {
			return MOST_DECIMALS;
		}
	}

	private static int decimals(BigDecimal amount) {
		// 12.50 has two written decimals but one that counts.
		return Math.max(0, amount.stripTrailingZeros().scale());
	}

}
