package dev.faultline.e2e.support;

import java.math.BigDecimal;

/**
 * What {@code POST /orders} takes.
 *
 * @param customer who orders
 * @param amount what it costs
 * @param currency ISO 4217 code
 * @param postcode where it goes
 */
public record OrderRequest(String customer, BigDecimal amount, String currency, String postcode) {

	/**
	 * Returns a valid order of 42.50 EUR.
	 * @param customer who orders: letters, digits, '-' or '_'
	 * @return the request
	 */
	public static OrderRequest of(String customer) {
		return new OrderRequest(customer, new BigDecimal("42.50"), "EUR", "1011 AB");
	}

}
