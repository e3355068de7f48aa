package dev.faultline.sample.order;

import java.net.URI;
import java.util.List;

import jakarta.validation.Valid;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The shop's order API. Placing an order always answers {@code 201} once the order is
 * stored: what could not be done yet shows in its status. An order the service has no
 * room to store right now is answered {@code 503} with {@code Retry-After}, and nothing
 * is stored (see {@link OrderDesk}).
 */
@RestController
public class OrderController {

	private static final int LIST_LIMIT = 500;

	private final Checkout checkout;

	private final OrderRepository orders;

	private final Warehouse warehouse;

	public OrderController(Checkout checkout, OrderRepository orders, Warehouse warehouse) {
		this.checkout = checkout;
		this.orders = orders;
		this.warehouse = warehouse;
	}

	@PostMapping("/orders")
	public ResponseEntity<Order> place(@Valid @RequestBody OrderRequest request) throws InterruptedException {
		Order order = this.checkout.place(request);
		return ResponseEntity.created(URI.create("/orders/" + order.id())).body(order);
	}

	@GetMapping("/orders/{id}")
	public Order order(@PathVariable String id) {
		return this.orders.find(id).orElseThrow(() -> new OrderNotFoundException(id));
	}

	@GetMapping("/orders")
	public List<Order> orders(@RequestParam(required = false) OrderStatus status) {
		return (status != null) ? this.orders.findByStatus(status, LIST_LIMIT) : this.orders.findAll(LIST_LIMIT);
	}

	@GetMapping("/delivery/slots")
	public List<String> slots(@RequestParam String postcode) throws InterruptedException {
		return this.warehouse.slots(postcode);
	}

	@ExceptionHandler
	ProblemDetail notFound(OrderNotFoundException ex) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND,
				"No order with id '" + ex.getId() + "'");
		problem.setTitle("Order not found");
		return problem;
	}

	static class OrderNotFoundException extends RuntimeException {

		private final String id;

		OrderNotFoundException(String id) {
			super("No order with id '" + id + "'");
			this.id = id;
		}

		String getId() {
			return this.id;
		}

	}

}
