package dev.faultline.sample.order;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import dev.faultline.function.BusinessFunction;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Schedules deliveries, as the {@code delivery} business function. The warehouse is
 * simulated in-process with its own latency, so the delivery pool really does work while
 * payment is in trouble; it can be switched off to show deferred deliveries.
 */
@Component
public class Warehouse {

	private final Duration latency;

	private final AtomicBoolean open = new AtomicBoolean(true);

	private final AtomicLong slots = new AtomicLong();

	public Warehouse(@Value("${delivery.warehouse-latency:50ms}") Duration latency) {
		this.latency = latency;
	}

	/**
	 * Books a delivery slot for a paid order, as a call of its customer.
	 * @param order the order
	 * @return the slot, or empty when delivery cannot be scheduled now
	 */
	@BusinessFunction(value = "delivery", fallbackMethod = "deferred", partitionKey = "#order.customer")
	public Optional<String> schedule(Order order) throws InterruptedException {
		return book(order);
	}

	/**
	 * Books a delivery slot on the caller's thread, outside the delivery function: for a
	 * caller that runs it through the function itself, under a key of its own (the
	 * recovery).
	 * @param order the order
	 * @return the slot
	 * @throws IllegalStateException when the warehouse is closed
	 */
	public Optional<String> book(Order order) throws InterruptedException {
		Thread.sleep(this.latency.toMillis());
		if (!this.open.get()) {
			throw new IllegalStateException("Warehouse is closed");
		}
		return Optional.of("slot-" + order.postcode().replace(' ', '-') + "-" + this.slots.incrementAndGet());
	}

	Optional<String> deferred(Order order, Throwable cause) {
		return Optional.empty();
	}

	/**
	 * Lists the delivery slots open for a postcode: the delivery-only path, which keeps
	 * its speed whatever payment does. No customer is known here, so these calls are not
	 * limited by key, only by the pool.
	 * @param postcode where to deliver
	 * @return the slots
	 */
	@BusinessFunction(value = "delivery", fallbackMethod = "noSlots")
	public List<String> slots(String postcode) throws InterruptedException {
		Thread.sleep(this.latency.toMillis());
		if (!this.open.get()) {
			throw new IllegalStateException("Warehouse is closed");
		}
		return List.of("morning", "afternoon", "evening");
	}

	List<String> noSlots(String postcode, Throwable cause) {
		return List.of();
	}

	/**
	 * Opens or closes the simulated warehouse.
	 * @param open whether it takes bookings
	 */
	public void setOpen(boolean open) {
		this.open.set(open);
	}

}
