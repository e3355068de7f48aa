package com.example.reactivestore;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import com.example.peers.PlainPeer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.faultline.function.BusinessFunctions;
import dev.faultline.peer.Peer;
import dev.faultline.peer.PeerInstance;
import dev.faultline.peer.PeerRegistry;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

/**
 * The WebFlux storefront as a new user writes it from the README, on every default, against
 * services that are not Spring applications: a catalog that answers 404 on the health path,
 * a pricing service whose primary is dead and whose standby answers, an inventory that
 * hangs, and reviews that fail every request with a 500. What its pages, circuits, health
 * and log show from its start.
 */
// Health details for authorised users only in the application; the test has no security
// and reads them, so it shows them to itself.
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = "management.endpoint.health.show-details=always")
@ExtendWith(OutputCaptureExtension.class)
@DirtiesContext // closed after the class, so it stops probing the peers once they are gone
class ReactiveStorefrontOnDefaultsTests {

	/** The README's default heartbeat interval, which the application leaves alone. */
	private static final Duration INTERVAL = Duration.ofSeconds(1);

	private static final String ID = "42";

	private static final PlainPeer catalog = PlainPeer.answeringOnlyUnder("catalog", "/products/");

	private static final int deadPricingPort = PlainPeer.deadPort();

	private static final PlainPeer pricingStandby = PlainPeer.answeringEverywhere("pricing standby");

	private static final PlainPeer inventory = PlainPeer.hung("inventory");

	private static final PlainPeer reviews = PlainPeer.failing("reviews");

	// Jackson 2 here on both Boot lines, whichever Jackson the application's codecs use.
	private final ObjectMapper json = new ObjectMapper();

	@LocalServerPort
	private int port;

	@Autowired
	private BusinessFunctions functions;

	@Autowired
	private PeerRegistry peers;

	private WebClient storefront;

	@DynamicPropertySource
	static void peers(DynamicPropertyRegistry registry) {
		registry.add("faultline.peers.catalog.instances[0]", catalog::url);
		registry.add("faultline.peers.pricing.instances[0]", () -> PlainPeer.url(deadPricingPort));
		registry.add("faultline.peers.pricing.instances[1]", pricingStandby::url);
		registry.add("faultline.peers.inventory.instances[0]", inventory::url);
		registry.add("faultline.peers.reviews.instances[0]", reviews::url);
	}

	@AfterAll
	static void stopPeers() {
		List.of(catalog, pricingStandby, inventory, reviews).forEach(PlainPeer::close);
	}

	@BeforeEach
	void client() {
		this.storefront = WebClient.create(PlainPeer.url(this.port));
	}

	@TestFactory
	Stream<DynamicTest> hungAndErroringPeersAreSuspectedTheirCircuitsOpenAndTheStandbyServes(CapturedOutput output) {
		// One story in steps, each later one depending on the time passed since the start.
		return Stream.of(
				dynamicTest("the hung and the erroring peer become suspected and their circuits open",
						this::hungAndErroringPeersAreSuspectedAndTheirCircuitsOpen),
				dynamicTest("a page shows the answering parts and the fallbacks of open circuits, calling neither",
						this::pageShowsAnsweringPartsAndFallbacksOfOpenCircuits),
				dynamicTest("the dead primary is suspected and its standby serves the price",
						this::deadPrimaryIsSuspectedAndTheStandbyServes),
				dynamicTest("the released peer is available again, its circuit closes and pages show it",
						this::releasedPeerComesBackAndItsCircuitCloses),
				dynamicTest("the log has no error and no stack trace", () -> logHasNoErrors(output)),
				dynamicTest("every warning in the log is Faultline's, about a peer or a circuit",
						() -> everyWarningIsFaultlines(output)));
	}

	private void hungAndErroringPeersAreSuspectedAndTheirCircuitsOpen() {
		await("hung and erroring peers suspected").atMost(INTERVAL.multipliedBy(20))
			.pollInterval(Duration.ofMillis(250))
			.untilAsserted(() -> {
				JsonNode health = peersHealth();
				assertThat(status(health, "inventory")).as("inventory (hung)").isEqualTo("SUSPECTED");
				// A 500 to a probe is no heartbeat: a health path that errors says the peer is unwell.
				assertThat(status(health, "reviews")).as("reviews (500)").isEqualTo("SUSPECTED");
				assertThat(status(health, "catalog")).as("catalog (404 on the health path)").isEqualTo("UP");
				assertThat(status(health, "pricing")).as("pricing (a standby answers)").isEqualTo("UP");
				assertThat(circuit("stock").getState()).isEqualTo(CircuitBreaker.State.OPEN);
				assertThat(circuit("reviews").getState()).isEqualTo(CircuitBreaker.State.OPEN);
			});
		assertThat(circuit("product").getState()).isEqualTo(CircuitBreaker.State.CLOSED);
		assertThat(circuit("price").getState()).isEqualTo(CircuitBreaker.State.CLOSED);
	}

	private void pageShowsAnsweringPartsAndFallbacksOfOpenCircuits() {
		long stockRefused = circuit("stock").getMetrics().getNumberOfNotPermittedCalls();
		long reviewsRefused = circuit("reviews").getMetrics().getNumberOfNotPermittedCalls();

		ProductPage page = page();

		assertThat(page).isEqualTo(new ProductPage(catalog.answerTo("/products/" + ID),
				pricingStandby.answerTo("/prices/" + ID), ProductPage.NO_STOCK, ProductPage.NO_REVIEWS));
		// The fallbacks came from the open circuits: no call waited for the hung inventory
		// or went to the erroring reviews.
		assertThat(circuit("stock").getMetrics().getNumberOfNotPermittedCalls()).isEqualTo(stockRefused + 1);
		assertThat(circuit("reviews").getMetrics().getNumberOfNotPermittedCalls()).isEqualTo(reviewsRefused + 1);
	}

	private void deadPrimaryIsSuspectedAndTheStandbyServes() {
		Peer pricing = this.peers.find("pricing").orElseThrow();
		PeerInstance primary = pricing.getInstances().get(0);
		PeerInstance standby = pricing.getInstances().get(1);
		await("dead primary suspected").atMost(INTERVAL.multipliedBy(20))
			.pollInterval(Duration.ofMillis(250))
			.until(() -> !primary.isAvailable());
		long sentToStandby = standby.requestsSent();

		assertThat(page().price()).isEqualTo(pricingStandby.answerTo("/prices/" + ID));
		assertThat(pricing.activeInstance()).isSameAs(standby);
		assertThat(standby.requestsSent()).isEqualTo(sentToStandby + 1);
		assertThat(pricing.isAvailable()).isTrue();
	}

	private void releasedPeerComesBackAndItsCircuitCloses() {
		inventory.release();
		await("released inventory back, its circuit closed").atMost(INTERVAL.multipliedBy(30))
			.pollInterval(Duration.ofMillis(250))
			.untilAsserted(() -> {
				// Each page is also a trial call of the half-open circuit.
				assertThat(page().stock()).isEqualTo(inventory.answerTo("/stock/" + ID));
				assertThat(circuit("stock").getState()).isEqualTo(CircuitBreaker.State.CLOSED);
				assertThat(status(peersHealth(), "inventory")).isEqualTo("UP");
			});
		// The peer that still fails stays suspected, its circuit open.
		assertThat(circuit("reviews").getState()).isEqualTo(CircuitBreaker.State.OPEN);
	}

	private void logHasNoErrors(CapturedOutput output) {
		// Peers that hang, fail or are down are what the starter is for: nothing here is an
		// error of this application, and a stack trace would send its user looking for one.
		assertThat(output.getAll().lines()).noneMatch((line) -> line.contains(" ERROR "))
			.noneMatch((line) -> line.startsWith("\tat ") || line.startsWith("Caused by: "));
	}

	private void everyWarningIsFaultlines(CapturedOutput output) {
		// The probes of the hung peer time out every interval. Reactor Netty, the client
		// Spring Boot picks in a WebFlux application, logs each response timeout at WARN
		// with its exception: a user would read one such warning a second as trouble of
		// their own. Faultline's own warnings name the peer or the function.
		List<String> warnings = output.getAll().lines().filter((line) -> line.contains(" WARN ")).toList();
		assertThat(warnings).isNotEmpty()
			.allSatisfy((line) -> assertThat(line).containsPattern(" d(ev)?\\.f(aultline)?\\.[\\w.]+ +: ")
				.containsPattern("(Peer|business function|circuit of business function) '"));
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

	/** {@code /actuator/health/peers} as its JSON, whatever its HTTP status. */
	private JsonNode peersHealth() {
		return this.storefront.get()
			.uri("/actuator/health/peers")
			.exchangeToMono((response) -> response.bodyToMono(String.class))
			.map(this::readTree)
			.block(Duration.ofSeconds(30));
	}

	private static String status(JsonNode peers, String peer) {
		return peers.path("components").path(peer).path("status").asText();
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
