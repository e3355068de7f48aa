package dev.faultline.sample.order;

import java.math.BigDecimal;

import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Digits;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

/**
 * What a customer sends to place an order.
 *
 * @param customer who orders: 1 to 64 letters, digits, '-' or '_'
 * @param amount more than 0 and at most 1,000,000, two decimals at most
 * @param currency one of EUR, USD, GBP, CHF
 * @param postcode 2 to 16 letters, digits, spaces or '-'
 */
public record OrderRequest(
		@NotBlank @Pattern(regexp = "[A-Za-z0-9_-]{1,64}",
				message = "must be 1 to 64 letters, digits, '-' or '_'") String customer,
		@NotNull @DecimalMin(value = "0.00", inclusive = false, message = "must be more than 0") @DecimalMax(
				value = "1000000.00", message = "must be at most 1000000.00") @Digits(integer = 7, fraction = 2,
						message = "must have at most 2 decimals") BigDecimal amount,
		@NotNull @Pattern(regexp = "EUR|USD|GBP|CHF", message = "must be one of EUR, USD, GBP, CHF") String currency,
		@NotBlank @Pattern(regexp = "[A-Za-z0-9 -]{2,16}",
				message = "must be 2 to 16 letters, digits, spaces or '-'") String postcode) {

}
