package com.example.storefront;

import java.time.Duration;
import java.util.List;

import com.example.peers.PlainPeer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.faultline.function.BusinessFunction;
import dev.faultline.function.BusinessFunctions;
import dev.faultline.peer.http.PeerRestClients;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Service;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The storefront with two endpoints a new user writes without a fallback, since "stock
 * unknown" or "no reviews" would be a wrong answer there: what a client gets over HTTP
 * when Faultline refuses the call, on every default.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		// Stock not linked to its peer, so only the time limit stands between a client and
		// the hung inventory; reviews stays linked to its dead peer, whose circuit opens.
		properties = "faultline.functions.stock.peer=")
@ExtendWith(OutputCaptureExtension.class)
@DirtiesContext
class StorefrontRefusalTests {

	private static final PlainPeer catalog = PlainPeer.answeringOnlyUnder("catalog", "/products/");

	private static final PlainPeer pricing = PlainPeer.answeringEverywhere("pricing");

	private static final PlainPeer inventory = PlainPeer.hung("inventory");

	private static final int reviewsPort = PlainPeer.deadPort();

	private final ObjectMapper json = new ObjectMapper();

	@LocalServerPort
	private int port;

	@Autowired
	private BusinessFunctions functions;

	private RestClient storefront;

	@DynamicPropertySource
	static void peers(DynamicPropertyRegistry registry) {
		registry.add("faultline.peers.catalog.instances[0]", catalog::url);
		registry.add("faultline.peers.pricing.instances[0]", pricing::url);
		registry.add("faultline.peers.inventory.instances[0]", inventory::url);
		registry.add("faultline.peers.reviews.instances[0]", () -> PlainPeer.url(reviewsPort));
	}

	@AfterAll
	static void stopPeers() {
		List.of(catalog, pricing, inventory).forEach(PlainPeer::close);
	}

	@BeforeEach
	void client() {
		this.storefront = RestClient.create(PlainPeer.url(this.port));
	}

	@Test
	void callPastItsTimeLimitAnswers503WithRetryAfterAndAProblem(CapturedOutput output) throws Exception {
		ResponseEntity<String> response = get("/products/42/stock");

		assertThat(response.getStatusCode().value()).isEqualTo(503);
		assertThat(response.getHeaders().getFirst(HttpHeaders.RETRY_AFTER)).isEqualTo("1");
		assertThat(response.getHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
		JsonNode problem = this.json.readTree(response.getBody());
		assertThat(problem.path("status").asInt()).isEqualTo(503);
		assertThat(problem.path("function").asText()).isEqualTo("stock");
		assertThat(problem.path("cause").asText()).isEqualTo("time-limit");
		assertThat(problem.path("detail").asText()).contains("'stock'");
		assertThat(output.getOut().lines().filter((line) -> line.contains("GET /products/42/stock answered 503")))
			.singleElement()
			.satisfies((line) -> assertThat(line).contains(" WARN ").contains("business function 'stock'"));
		assertThat(output.getAll().lines()).noneMatch((line) -> line.contains(" ERROR "))
			.noneMatch((line) -> line.startsWith("\tat ") || line.startsWith("Caused by: "));
	}

	@Test
	void deadPeersOpenCircuitAnswers503WithRetryAfterItsWaitInOpenState() throws Exception {
		long waitSeconds = Duration
			.ofMillis(this.functions.get("reviews")
				.getCircuitBreaker()
				.getCircuitBreakerConfig()
				.getWaitIntervalFunctionInOpenState()
				.apply(1))
			.toSeconds();

		// The dead peer is suspected within seconds of the start; its circuit opens with it.
		await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> {
			ResponseEntity<String> response = get("/products/42/reviews");
			assertThat(response.getStatusCode().value()).isEqualTo(503);
			assertThat(this.json.readTree(response.getBody()).path("cause").asText()).isEqualTo("circuit-open");
		});
		ResponseEntity<String> response = get("/products/42/reviews");

		assertThat(response.getHeaders().getFirst(HttpHeaders.RETRY_AFTER)).isEqualTo(Long.toString(waitSeconds));
		JsonNode problem = this.json.readTree(response.getBody());
		assertThat(problem.path("function").asText()).isEqualTo("reviews");
		assertThat(problem.path("type").asText()).isNotBlank();
	}

	private ResponseEntity<String> get(String path) {
		return this.storefront.get().uri(path).exchange((request, response) -> ResponseEntity
			.status(response.getStatusCode())
			.headers(response.getHeaders())
			.body(new String(response.getBody().readAllBytes())));
	}

	@TestConfiguration(proxyBeanMethods = false)
	@Import({ Availability.class, AvailabilityController.class })
	static class WithoutFallbacks {

	}

	/** The same peers as the page, where no fallback makes sense. */
	@Service
	static class Availability {

		private final PeerRestClients peers;

		Availability(PeerRestClients peers) {
			this.peers = peers;
		}

		@BusinessFunction("stock")
		public String stock(String id) {
			return this.peers.get("inventory").get().uri("/stock/{id}", id).retrieve().body(String.class);
		}

		@BusinessFunction("reviews")
		public String reviews(String id) {
			return this.peers.get("reviews").get().uri("/reviews/{id}", id).retrieve().body(String.class);
		}

	}

	@RestController
	static class AvailabilityController {

		private final Availability availability;

		AvailabilityController(Availability availability) {
			this.availability = availability;
		}

		@GetMapping("/products/{id}/stock")
		String stock(@PathVariable String id) {
			return this.availability.stock(id);
		}

		@GetMapping("/products/{id}/reviews")
		String reviews(@PathVariable String id) {
			return this.availability.reviews(id);
		}

	}

}
