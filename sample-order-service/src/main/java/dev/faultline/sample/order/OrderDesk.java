package dev.faultline.sample.order;

import dev.faultline.function.BusinessFunction;

import org.springframework.stereotype.Component;

/**
 * Validates and stores new orders, as the {@code order} business function, so that a
 * slow database can only use up the order pool.
 *
 * <p>
 * No fallback: an order that cannot be stored now has no other answer. When the order
 * pool and its queue are full (or its circuit is open) the call is refused before it
 * starts, nothing is stored, and the customer gets {@code 503} with {@code Retry-After}
 * and a problem body, Faultline's answer to a refused call, never a {@code 500}. The
 * function is partitioned by customer: a customer that already holds its share of the
 * order pool is refused the same way ({@code partition-full}), while the other customers'
 * orders are stored.
 */
@Component
public class OrderDesk {

	private final OrderRepository orders;

	public OrderDesk(OrderRepository orders) {
		this.orders = orders;
	}

	/**
	 * Stores a new order, waiting for payment.
	 * @param request the validated request
	 * @return the stored order
	 */
	@BusinessFunction(value = "order", partitionKey = "#request.customer")
	public Order accept(OrderRequest request) {
		return this.orders.accept(request);
	}

}
