package dev.faultline.e2e.support;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.client.RestClient;

/**
 * Calls order-service's API and Actuator as a customer and an operator would.
 */
public final class OrderClient {

	private static final ParameterizedTypeReference<List<Order>> ORDERS = new ParameterizedTypeReference<>() {
	};

	private static final ParameterizedTypeReference<Map<String, Object>> JSON = new ParameterizedTypeReference<>() {
	};

	private final RestClient client;

	/**
	 * Creates a client of the service at the URL.
	 * @param baseUrl order-service's base URL (its Actuator is on the same port)
	 */
	public OrderClient(String baseUrl) {
		this.client = HttpClients.restClient(baseUrl).build();
	}

	/**
	 * Places an order; any status is an answer, none throws.
	 * @param request the order
	 * @return the status, the order when accepted, and the time taken
	 */
	public Placement place(OrderRequest request) {
		long started = System.nanoTime();
		return this.client.post()
			.uri("/orders")
			.contentType(MediaType.APPLICATION_JSON)
			.body(request)
			.exchange((sent, response) -> {
				Order order = response.getStatusCode().is2xxSuccessful() ? response.bodyTo(Order.class) : null;
				return new Placement(response.getStatusCode().value(), order,
						Duration.ofNanos(System.nanoTime() - started));
			});
	}

	/**
	 * Returns an order as it stands now.
	 * @param id the order's id
	 * @return the order
	 */
	public Order order(String id) {
		return this.client.get().uri("/orders/{id}", id).retrieve().body(Order.class);
	}

	/**
	 * Looks an order up, telling an order that does not exist from a failed call.
	 * @param id the order's id
	 * @return the order, or empty when order-service answers {@code 404}
	 * @throws IllegalStateException when it answers another error
	 * @throws org.springframework.web.client.RestClientException when it answers nothing
	 */
	public Optional<Order> find(String id) {
		return this.client.get().uri("/orders/{id}", id).exchange((sent, response) -> {
			if (response.getStatusCode().isSameCodeAs(HttpStatus.NOT_FOUND)) {
				return Optional.empty();
			}
			if (!response.getStatusCode().is2xxSuccessful()) {
				throw new IllegalStateException(
						"GET /orders/" + id + " answered " + response.getStatusCode().value());
			}
			return Optional.ofNullable(response.bodyTo(Order.class));
		});
	}

	/**
	 * Returns the orders, at most the 500 the API lists.
	 * @return the orders
	 */
	public List<Order> orders() {
		return this.client.get().uri("/orders").retrieve().body(ORDERS);
	}

	/**
	 * Returns a health group or component, for example {@code liveness},
	 * {@code readiness} or {@code peers/payment-service}.
	 * @param path the path below {@code /actuator/health}
	 * @return its HTTP status and health status
	 */
	public Health health(String path) {
		return this.client.get().uri("/actuator/health/" + path).exchange((sent, response) -> {
			Map<String, Object> body = response.bodyTo(JSON);
			return new Health(response.getStatusCode().value(),
					(body != null) ? String.valueOf(body.get("status")) : null);
		});
	}

	/**
	 * Returns the client for anything else, with order-service's base URL.
	 * @return the client
	 */
	public RestClient rest() {
		return this.client;
	}

}
