package dev.faultline.sample.order;

import java.util.Optional;

import dev.faultline.sample.order.PaymentGateway.Charge;

import org.springframework.stereotype.Service;

/**
 * Takes an order through its steps: store it, charge it, schedule its delivery. Each step
 * that cannot be done now leaves the order in a status the recovery task picks up, so the
 * customer always gets an answer and no order is lost or charged twice.
 */
@Service
public class Checkout {

	private final OrderDesk desk;

	private final PaymentGateway payments;

	private final Warehouse warehouse;

	private final OrderRepository orders;

	public Checkout(OrderDesk desk, PaymentGateway payments, Warehouse warehouse, OrderRepository orders) {
		this.desk = desk;
		this.payments = payments;
		this.warehouse = warehouse;
		this.orders = orders;
	}

	/**
	 * Places a new order.
	 * @param request the validated request
	 * @return the order as it stands now
	 */
	public Order place(OrderRequest request) throws InterruptedException {
		Order order = this.desk.accept(request);
		pay(order);
		return this.orders.find(order.id()).orElseThrow();
	}

	/**
	 * Charges an order that waits for payment, then schedules its delivery.
	 * @param order an order in {@link OrderStatus#PAYMENT_PENDING}
	 * @return the outcome of the charge
	 */
	public Charge pay(Order order) throws InterruptedException {
		Charge charge = this.payments.charge(order);
		switch (charge.outcome()) {
			case PAID -> {
				if (this.orders.paid(order.id(), charge.paymentId())) {
					deliver(order);
				}
			}
			case REJECTED -> this.orders.rejected(order.id());
			case PENDING -> {
				// Stays PAYMENT_PENDING; the recovery task charges it once payment is back.
			}
		}
		return charge;
	}

	/**
	 * Schedules the delivery of a paid order.
	 * @param order an order in {@link OrderStatus#DELIVERY_DEFERRED}
	 * @return whether a slot was booked
	 */
	public boolean deliver(Order order) throws InterruptedException {
		Optional<String> slot = this.warehouse.schedule(order);
		return slot.isPresent() && this.orders.scheduled(order.id(), slot.get());
	}

}
