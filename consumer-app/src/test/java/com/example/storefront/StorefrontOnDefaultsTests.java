package com.example.storefront;

import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import com.example.peers.PlainPeer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

/**
 * The storefront as a new user writes it from the README, on every default, against
 * services that are not Spring applications: what its health, its pages and its log show
 * from its start.
 */
// The storefront shows health details to authorised users only, and it has no security:
// the test reads the peers' details, so it shows them to itself.
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = "management.endpoint.health.show-details=always")
@ExtendWith(OutputCaptureExtension.class)
@DirtiesContext // closed after the class, so it stops probing the peers once they are gone
class StorefrontOnDefaultsTests {

	/** The README's default heartbeat interval, which the application leaves alone. */
	private static final Duration INTERVAL = Duration.ofSeconds(1);

	/** The README's default heartbeat path, which a plain service does not have. */
	private static final String DEFAULT_HEARTBEAT_PATH = "/actuator/health/liveness";

	private static final String ID = "42";

	/** Answers its product pages only: any other path, the health path included, is a 404. */
	private static final PlainPeer catalog = PlainPeer.answeringOnlyUnder("catalog", "/products/");

	private static final PlainPeer pricing = PlainPeer.answeringEverywhere("pricing");

	private static final PlainPeer inventory = PlainPeer.hung("inventory");

	/** Nothing listens here until the reviews service is started on it. */
	private static final int reviewsPort = PlainPeer.deadPort();

	private static PlainPeer reviews;

	private final ObjectMapper json = new ObjectMapper();

	@LocalServerPort
	private int port;

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
		if (reviews != null) {
			reviews.close();
		}
	}

	@BeforeEach
	void clients() {
		this.storefront = RestClient.create(PlainPeer.url(this.port));
	}

	@TestFactory
	Stream<DynamicTest> plainPeersOnTheDefaultsAreSuspectedOnlyWhileHungOrDead(CapturedOutput output) {
		// One story in steps, each later one depending on the time passed since the start;
		// dynamic tests so that every step is reported, and one capture holds the whole log.
		return Stream.of(
				dynamicTest("peers answering 404 or 200 on the health path stay available without any traffic",
						this::answeringPeersStayAvailableWithoutTraffic),
				dynamicTest("hung and dead peers become suspected", this::hungAndDeadPeersBecomeSuspected),
				dynamicTest("pages show the answering peers and the fallbacks of the suspected ones",
						this::pagesShowAnsweringPeersAndFallbacks),
				dynamicTest("released and started peers become available and pages show them again",
						this::releasedAndStartedPeersComeBack),
				dynamicTest("the log warns once of the 404 peer with its probe URL, the status and the key to set",
						() -> logWarnsOnceOfThe404Peer(output)),
				dynamicTest("the log has no error and no stack trace", () -> logHasNoErrors(output)));
	}

	private void answeringPeersStayAvailableWithoutTraffic() {
		// No page is requested yet, so only the probes can keep these peers available: a
		// passive heartbeat from a page would hide a probe that never counts.
		await("404 and 200 peers available").during(INTERVAL.multipliedBy(12))
			.atMost(INTERVAL.multipliedBy(15))
			.pollInterval(Duration.ofMillis(250))
			.untilAsserted(() -> {
				JsonNode peers = peersHealth();
				assertThat(status(peers, "catalog")).as("catalog (404 on %s): %s", DEFAULT_HEARTBEAT_PATH,
						peers.path("components").path("catalog")).isEqualTo("UP");
				assertThat(status(peers, "pricing")).as("pricing: %s", peers.path("components").path("pricing"))
					.isEqualTo("UP");
			});
		// Health tells the user why the 404 peer is heard from all the same.
		JsonNode peers = peersHealth();
		assertThat(lastProbe(peers, "catalog")).as("catalog's last probe").isEqualTo("HTTP 404");
		assertThat(lastProbe(peers, "pricing")).as("pricing's last probe").isEqualTo("HTTP 200");
	}

	private void hungAndDeadPeersBecomeSuspected() {
		await("hung and dead peers suspected").atMost(INTERVAL.multipliedBy(20))
			.pollInterval(Duration.ofMillis(250))
			.untilAsserted(() -> {
				JsonNode peers = peersHealth();
				assertThat(status(peers, "inventory")).as("inventory (hung)").isEqualTo("SUSPECTED");
				assertThat(status(peers, "reviews")).as("reviews (dead)").isEqualTo("SUSPECTED");
				// The README's wording for what the probes got: the default 500 ms timeout, a refusal.
				assertThat(lastProbe(peers, "inventory")).as("inventory's last probe")
					.isEqualTo("no answer within 500 ms");
				assertThat(lastProbe(peers, "reviews")).as("reviews' last probe").isEqualTo("connection refused");
			});
	}

	private void pagesShowAnsweringPeersAndFallbacks() {
		// Suspected peers have their circuits open: their parts are the fallbacks at once,
		// so a page is quick even while one of its peers hangs.
		ProductPage expected = new ProductPage(catalog.answerTo("/products/" + ID), pricing.answerTo("/prices/" + ID),
				ProductPage.NO_STOCK, ProductPage.NO_REVIEWS);
		await("pages with fallbacks for suspected peers").during(INTERVAL.multipliedBy(10))
			.atMost(INTERVAL.multipliedBy(13))
			.pollInterval(Duration.ofMillis(250))
			.untilAsserted(() -> {
				assertThat(page()).isEqualTo(expected);
				JsonNode peers = peersHealth();
				assertThat(status(peers, "catalog")).as("catalog").isEqualTo("UP");
				assertThat(status(peers, "pricing")).as("pricing").isEqualTo("UP");
				assertThat(status(peers, "inventory")).as("inventory").isEqualTo("SUSPECTED");
				assertThat(status(peers, "reviews")).as("reviews").isEqualTo("SUSPECTED");
			});
	}

	private void releasedAndStartedPeersComeBack() {
		inventory.release();
		reviews = PlainPeer.answeringEverywhere("reviews", reviewsPort);
		ProductPage whole = new ProductPage(catalog.answerTo("/products/" + ID), pricing.answerTo("/prices/" + ID),
				inventory.answerTo("/stock/" + ID), reviews.answerTo("/reviews/" + ID));
		await("released and started peers back").atMost(INTERVAL.multipliedBy(20))
			.pollInterval(Duration.ofMillis(250))
			.untilAsserted(() -> {
				JsonNode peers = peersHealth();
				assertThat(status(peers, "inventory")).as("inventory (released)").isEqualTo("UP");
				assertThat(status(peers, "reviews")).as("reviews (started)").isEqualTo("UP");
				assertThat(lastProbe(peers, "inventory")).as("inventory's last probe").isEqualTo("HTTP 200");
				assertThat(lastProbe(peers, "reviews")).as("reviews' last probe").isEqualTo("HTTP 200");
				assertThat(page()).isEqualTo(whole);
			});
		JsonNode peers = peersHealth();
		assertThat(status(peers, "catalog")).as("catalog").isEqualTo("UP");
		assertThat(status(peers, "pricing")).as("pricing").isEqualTo("UP");
	}

	private void logWarnsOnceOfThe404Peer(CapturedOutput output) {
		String probeUrl = catalog.url() + DEFAULT_HEARTBEAT_PATH;
		List<String> warnings = output.getAll().lines().filter((line) -> line.contains(" WARN ")).toList();
		String all = String.join("\n", warnings);
		// The essentials, whatever the sentence: where it probed, what it got, what to set.
		assertThat(warnings.stream().filter((line) -> line.contains(probeUrl)))
			.as("warnings naming %s among:%n%s", probeUrl, all)
			.singleElement()
			.satisfies((line) -> assertThat(line).contains("404").contains("faultline.peers.catalog.heartbeat.path"));
		// The peer that answers its health path is nothing to warn about.
		assertThat(warnings).as("warnings about pricing among:%n%s", all)
			.noneMatch((line) -> line.contains(pricing.url()) || line.contains("'pricing'"));
		// Nor was the 404 peer ever suspected: it was alive all along.
		assertThat(warnings).as("catalog suspected among:%n%s", all)
			.noneMatch((line) -> line.contains("'catalog'") && line.contains("suspected"));
	}

	private void logHasNoErrors(CapturedOutput output) {
		// Peers that hang or are down are what the starter is for: nothing here is an error
		// of this application, and a stack trace would send its user looking for one.
		assertThat(output.getAll().lines()).noneMatch((line) -> line.contains(" ERROR "))
			.noneMatch((line) -> line.startsWith("\tat ") || line.startsWith("Caused by: "));
	}

	private ProductPage page() {
		return this.storefront.get().uri("/products/{id}", ID).retrieve().body(ProductPage.class);
	}

	/** {@code /actuator/health/peers} as its JSON, whatever its HTTP status. */
	private JsonNode peersHealth() {
		return this.storefront.get()
			.uri("/actuator/health/peers")
			.exchange((request, response) -> this.json.readTree(response.getBody()));
	}

	private static String status(JsonNode peers, String peer) {
		return peers.path("components").path(peer).path("status").asText();
	}

	private static String lastProbe(JsonNode peers, String peer) {
		return peers.path("components").path(peer).path("details").path("lastProbe").asText();
	}

}
