package com.example.reactivestore;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;

import com.example.peers.PlainPeer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.faultline.function.BusinessFunction;
import dev.faultline.function.BusinessFunctions;
import dev.faultline.peer.http.PeerWebClients;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import reactor.core.publisher.Mono;

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
import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The WebFlux storefront with its stock and reviews functions not linked to their peers,
 * so only the time limit and the breaker stand between a page and the hung inventory or the
 * erroring reviews; and, as a new user writes them where no fallback makes sense, endpoints
 * without one: what a client gets over HTTP when Faultline refuses the call.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "faultline.functions.stock.peer=", "faultline.functions.reviews.peer=",
				"faultline.functions.shipping.peer=shipping" })
@ExtendWith(OutputCaptureExtension.class)
@DirtiesContext
class ReactiveStorefrontFallbackAndRefusalTests {

	private static final String ID = "42";

	private static final PlainPeer catalog = PlainPeer.answeringOnlyUnder("catalog", "/products/");

	private static final PlainPeer pricing = PlainPeer.answeringEverywhere("pricing");

	private static final PlainPeer inventory = PlainPeer.hung("inventory");

	private static final PlainPeer reviews = PlainPeer.failing("reviews");

	private static final int shippingPort = PlainPeer.deadPort();

	// Jackson 2 here on both Boot lines, whichever Jackson the application's codecs use.
	private final ObjectMapper json = new ObjectMapper();

	@LocalServerPort
	private int port;

	@Autowired
	private BusinessFunctions functions;

	private WebClient storefront;

	@DynamicPropertySource
	static void peers(DynamicPropertyRegistry registry) {
		registry.add("faultline.peers.catalog.instances[0]", catalog::url);
		registry.add("faultline.peers.pricing.instances[0]", pricing::url);
		registry.add("faultline.peers.inventory.instances[0]", inventory::url);
		registry.add("faultline.peers.reviews.instances[0]", reviews::url);
		registry.add("faultline.peers.shipping.instances[0]", () -> PlainPeer.url(shippingPort));
	}

	@AfterAll
	static void stopPeers() {
		List.of(catalog, pricing, inventory, reviews).forEach(PlainPeer::close);
	}

	@BeforeEach
	void client() {
		this.storefront = WebClient.create(PlainPeer.url(this.port));
	}

	@Test
	void hungPartGetsItsFallbackAtItsTimeLimitAndItsBreakerCountsTheTimeOut() {
		Duration timeLimit = this.functions.get("stock").timeLimit();
		int failedBefore = circuit("stock").getMetrics().getNumberOfFailedCalls();

		long started = System.nanoTime();
		ProductPage page = page();
		Duration took = Duration.ofNanos(System.nanoTime() - started);

		assertThat(page).isEqualTo(new ProductPage(catalog.answerTo("/products/" + ID),
				pricing.answerTo("/prices/" + ID), ProductPage.NO_STOCK, ProductPage.NO_REVIEWS));
		// It waited for the time limit, not less (no other cause cut it short), and the
		// subscription was cancelled then: the hung inventory holds no page for longer.
		assertThat(took).isGreaterThanOrEqualTo(timeLimit).isLessThan(timeLimit.plusSeconds(3));
		assertThat(circuit("stock").getMetrics().getNumberOfFailedCalls()).isEqualTo(failedBefore + 1);
	}

	@Test
	void erroringPartGetsItsFallbackAndItsBreakerCountsTheError() {
		int failedBefore = circuit("reviews").getMetrics().getNumberOfFailedCalls();

		assertThat(page().reviews()).isEqualTo(ProductPage.NO_REVIEWS);
		assertThat(circuit("reviews").getMetrics().getNumberOfFailedCalls()).isEqualTo(failedBefore + 1);
		assertThat(circuit("product").getMetrics().getNumberOfFailedCalls()).isZero();
	}

	@Test
	void callWithoutFallbackPastItsTimeLimitAnswers503WithRetryAfterAndAProblem(CapturedOutput output) {
		ResponseEntity<JsonNode> response = get("/products/42/stock");

		assertThat(response.getStatusCode().value()).isEqualTo(503);
		assertThat(response.getHeaders().getFirst(HttpHeaders.RETRY_AFTER)).isEqualTo("1");
		assertThat(response.getHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
		JsonNode problem = response.getBody();
		assertThat(problem.path("status").asInt()).isEqualTo(503);
		assertThat(problem.path("function").asText()).isEqualTo("stock");
		assertThat(problem.path("cause").asText()).isEqualTo("time-limit");
		assertThat(problem.path("instance").asText()).isEqualTo("/products/42/stock");
		assertThat(output.getOut().lines().filter((line) -> line.contains("GET /products/42/stock answered 503")))
			.singleElement()
			.satisfies((line) -> assertThat(line).contains(" WARN ").contains("business function 'stock'"));
		assertThat(output.getAll().lines()).noneMatch((line) -> line.contains(" ERROR "))
			.noneMatch((line) -> line.startsWith("\tat ") || line.startsWith("Caused by: "));
	}

	@Test
	void callWithoutFallbackToASuspectedPeerAnswers503WithRetryAfterItsCircuitsWait() {
		long waitSeconds = Duration
			.ofMillis(circuit("shipping").getCircuitBreakerConfig().getWaitIntervalFunctionInOpenState().apply(1))
			.toSeconds();

		// The dead peer is suspected within seconds of the start; its circuit opens with it.
		await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> {
			ResponseEntity<JsonNode> response = get("/products/42/shipping");
			assertThat(response.getStatusCode().value()).isEqualTo(503);
			assertThat(response.getBody().path("cause").asText()).isEqualTo("circuit-open");
		});
		ResponseEntity<JsonNode> response = get("/products/42/shipping");

		assertThat(response.getHeaders().getFirst(HttpHeaders.RETRY_AFTER)).isEqualTo(Long.toString(waitSeconds));
		assertThat(response.getBody().path("function").asText()).isEqualTo("shipping");
		assertThat(circuit("shipping").getState()).isEqualTo(CircuitBreaker.State.OPEN);
	}

	private CircuitBreaker circuit(String function) {
		return this.functions.get(function).getCircuitBreaker();
	}

	private ProductPage page() {
		return this.storefront.get()
			.uri("/products/{id}", ID)
			.retrieve()
			.bodyToMono(ProductPage.class)
			.block(Duration.ofSeconds(30));
	}

	private ResponseEntity<JsonNode> get(String path) {
		return this.storefront.get()
			.uri(path)
			.exchangeToMono((response) -> response.toEntity(String.class))
			.map((entity) -> ResponseEntity.status(entity.getStatusCode())
				.headers(entity.getHeaders())
				.body(readTree(entity.getBody())))
			.block(Duration.ofSeconds(30));
	}

	@TestConfiguration(proxyBeanMethods = false)
	@Import({ Availability.class, AvailabilityController.class })
	static class WithoutFallbacks {

	}

	/** Parts where no fallback makes sense: an unknown stock or shipping date is a wrong answer. */
	@Service
	static class Availability {

		private final PeerWebClients peers;

		Availability(PeerWebClients peers) {
			this.peers = peers;
		}

		@BusinessFunction("stock")
		public Mono<String> stock(String id) {
			return this.peers.get("inventory").get().uri("/stock/{id}", id).retrieve().bodyToMono(String.class);
		}

		@BusinessFunction("shipping")
		public Mono<String> shipping(String id) {
			return this.peers.get("shipping").get().uri("/shipping/{id}", id).retrieve().bodyToMono(String.class);
		}

	}

	@RestController
	static class AvailabilityController {

		private final Availability availability;

		AvailabilityController(Availability availability) {
			this.availability = availability;
		}

		@GetMapping("/products/{id}/stock")
		Mono<String> stock(@PathVariable String id) {
			return this.availability.stock(id);
		}

		@GetMapping("/products/{id}/shipping")
		Mono<String> shipping(@PathVariable String id) {
			return this.availability.shipping(id);
		}

	}

	private JsonNode readTree(String body) {
		try {
			return this.json.readTree(body);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
