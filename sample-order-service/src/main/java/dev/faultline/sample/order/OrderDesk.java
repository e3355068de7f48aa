package dev.faultline.sample.order;

import dev.faultline.function.BusinessFunction;

import org.springframework.stereotype.Component;

/**
 * Validates and stores new orders, as the {@code order} business function, so that a
 * slow database can only use up the order pool.
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
	@BusinessFunction("order")
	public Order accept(OrderRequest request) {
		return this.orders.accept(request);
	}

}
