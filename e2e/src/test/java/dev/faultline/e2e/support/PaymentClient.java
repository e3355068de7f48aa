package dev.faultline.e2e.support;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.web.client.RestClient;

/**
 * Calls payment-service's API, and its fault endpoint on the management port (which
 * faults never reach, so a hung payment can always be released).
 */
public final class PaymentClient {

	/** The header that carries the fault endpoint's token. */
	public static final String FAULT_TOKEN_HEADER = "X-Fault-Token";

	private static final String FAULTS = "/actuator/faults";

	private static final ParameterizedTypeReference<Map<String, Object>> JSON = new ParameterizedTypeReference<>() {
	};

	private static final ParameterizedTypeReference<List<Payment>> PAYMENTS = new ParameterizedTypeReference<>() {
	};

	private final RestClient client;

	private final RestClient management;

	/**
	 * Creates a client of the service at the URLs.
	 * @param baseUrl payment-service's base URL
	 * @param managementUrl the base URL of its Actuator
	 * @param faultToken the token its fault endpoint asks for
	 */
	public PaymentClient(String baseUrl, String managementUrl, String faultToken) {
		this.client = HttpClients.restClient(baseUrl).build();
		this.management = HttpClients.restClient(managementUrl)
			.defaultHeader(FAULT_TOKEN_HEADER, faultToken)
			.build();
	}

	/**
	 * Returns the payments of an order: exactly one once it is paid.
	 * @param orderId the order's id
	 * @return its payments
	 */
	public List<Payment> ofOrder(String orderId) {
		return this.client.get().uri("/payments?orderId={id}", orderId).retrieve().body(PAYMENTS);
	}

	/**
	 * Returns how many payments the service has stored.
	 * @return the count
	 */
	public long count() {
		Map<?, ?> body = this.client.get().uri("/payments/count").retrieve().body(Map.class);
		return ((Number) body.get("count")).longValue();
	}

	/**
	 * Returns the faults in force, as {@code GET /actuator/faults} shows them.
	 * @return for example {@code {latencyMs=500, errorRate=0.0, hang=false, hungRequests=0, …}}
	 */
	public Map<String, Object> faults() {
		return this.management.get().uri(FAULTS).retrieve().body(JSON);
	}

	/**
	 * Makes every request on payment's main port (API and heartbeats) wait this long first.
	 * @param latency the latency, zero to remove it
	 */
	public void injectLatency(Duration latency) {
		switchFaults(Map.of("latency", latency.toMillis()));
	}

	/**
	 * Makes payment answer this share of the requests on its main port {@code 503} without
	 * handling them.
	 * @param rate from 0.0 (none) to 1.0 (all)
	 */
	public void injectErrorRate(double rate) {
		switchFaults(Map.of("errorRate", rate));
	}

	/**
	 * Clears every fault and releases the requests a hang holds.
	 */
	public void clearFaults() {
		this.management.delete().uri(FAULTS).retrieve().toBodilessEntity();
	}

	/**
	 * Switches the faults named, keeping the others ({@code POST /actuator/faults}).
	 * @param faults {@code latency} (ms or a duration string), {@code errorRate},
	 * {@code hang}
	 * @return the faults now in force
	 */
	public Map<String, Object> switchFaults(Map<String, ?> faults) {
		return this.management.post()
			.uri(FAULTS)
			.contentType(MediaType.APPLICATION_JSON)
			.body(faults)
			.retrieve()
			.body(JSON);
	}

	/**
	 * Returns a client of the Actuator on payment's management port that sends the fault
	 * token with every request.
	 * @return the client
	 */
	public RestClient management() {
		return this.management;
	}

	/**
	 * Returns the client for anything else, with payment-service's base URL.
	 * @return the client
	 */
	public RestClient rest() {
		return this.client;
	}

}
