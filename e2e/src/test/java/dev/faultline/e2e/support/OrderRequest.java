package dev.faultline.e2e.support;

import java.math.BigDecimal;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What {@code POST /orders} takes.
 *
 * @param customer who orders
 * @param amount what it costs
 * @param currency ISO 4217 code
 * @param postcode where it goes
 */
public record OrderRequest(String customer, BigDecimal amount, String currency, String postcode) {

	private static final AtomicInteger NEXT_CUSTOMER = new AtomicInteger();

	/**
	 * Returns an order of one of the shop's sixteen regular customers, a different one
	 * each time: steady traffic comes from many customers, and the shop gives no one
	 * customer more than half of a function.
	 * @return the order
	 */
	public static OrderRequest ofACustomer() {
		return of("customer-" + NEXT_CUSTOMER.getAndIncrement() % 16);
	}

	/**
	 * Returns a valid order of 42.50 EUR.
	 * @param customer who orders: letters, digits, '-' or '_'
	 * @return the request
	 */
	public static OrderRequest of(String customer) {
		return new OrderRequest(customer, new BigDecimal("42.50"), "EUR", "1011 AB");
	}

}
