package dev.faultline.sample.payment.fault;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.net.http.HttpTimeoutException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * The {@code faults} endpoint on the management port, its token, and what each fault does
 * to the main port while the management port keeps answering.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "management.server.port=0", "payment.faults.token=" + FaultInjectionTests.TOKEN })
class FaultInjectionTests {

	static final String TOKEN = "test-token";

	private static final Duration LATENCY = Duration.ofMillis(1500);

	@TempDir
	static Path dataDir;

	@DynamicPropertySource
	static void dataDir(DynamicPropertyRegistry registry) {
		registry.add("payment.data-dir", dataDir::toString);
	}

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	private final ObjectMapper json = new ObjectMapper();

	@LocalServerPort
	private int port;

	@LocalManagementPort
	private int managementPort;

	@Autowired
	private FaultInjector injector;

	@AfterEach
	void clearFaults() throws Exception {
		// Also releases any request a failed hang test left held.
		assertThat(send(faults("DELETE", TOKEN, null)).statusCode()).isEqualTo(200);
		await().atMost(Duration.ofSeconds(10)).until(() -> this.injector.hungRequests() == 0);
	}

	@Test
	void faultsWithoutTokenIsForbiddenProblem() throws Exception {
		HttpResponse<String> response = send(faults("GET", null, null));

		assertThat(response.statusCode()).isEqualTo(403);
		assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
		assertThat(this.json.readTree(response.body()).get("detail").asText())
			.isEqualTo("Header X-Fault-Token is required");
	}

	@Test
	void faultsWithWrongTokenIsForbiddenAndChangesNothing() throws Exception {
		HttpResponse<String> response = send(faults("POST", "wrong-token", "{\"hang\": true, \"errorRate\": 1}"));

		assertThat(response.statusCode()).isEqualTo(403);
		assertThat(this.json.readTree(response.body()).get("detail").asText())
			.isEqualTo("Header X-Fault-Token does not match payment.faults.token");
		assertThat(this.injector.settings()).isEqualTo(FaultSettings.NONE);
		assertThat(send(main("/livez").GET()).statusCode()).isEqualTo(200);
	}

	@Test
	void faultsWithPathVariantsStillNeedsToken() throws Exception {
		for (String path : new String[] { "//actuator/faults", "/actuator/%66aults", "/actuator/faults;x=1" }) {
			HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.managementPort + path))
				.header("Content-Type", "application/json")
				.POST(BodyPublishers.ofString("{\"hang\": true}"))
				.timeout(Duration.ofSeconds(10))
				.build();

			assertThat(this.http.send(request, BodyHandlers.ofString()).statusCode()).as(path).isIn(403, 404);
		}
		assertThat(this.injector.settings()).isEqualTo(FaultSettings.NONE);
	}

	@Test
	void faultsIsNotServedOnMainPort() throws Exception {
		HttpResponse<String> response = send(main("/actuator/faults").header("X-Fault-Token", TOKEN)
			.header("Content-Type", "application/json")
			.POST(BodyPublishers.ofString("{\"hang\": true}")));

		assertThat(response.statusCode()).isEqualTo(404);
		assertThat(this.injector.settings()).isEqualTo(FaultSettings.NONE);
	}

	@Test
	void faultsWithTokenShowsNoFaultsByDefault() throws Exception {
		HttpResponse<String> response = send(faults("GET", TOKEN, null));

		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(this.json.readTree(response.body())).isEqualTo(this.json.readTree("{\"latency\": \"PT0S\", "
				+ "\"latencyMs\": 0, \"errorRate\": 0.0, \"hang\": false, \"hungRequests\": 0, \"maxHang\": \"PT10M\", "
				+ "\"cpuBurning\": false, \"leakedMemoryMb\": 0}"));
	}

	@Test
	void latencyTakesMillisecondsOrDurationText() throws Exception {
		JsonNode millis = this.json.readTree(send(faults("POST", TOKEN, "{\"latency\": 250}")).body());
		JsonNode text = this.json.readTree(send(faults("POST", TOKEN, "{\"latency\": \"2s\"}")).body());

		assertThat(millis.get("latencyMs").asLong()).isEqualTo(250);
		assertThat(text.get("latencyMs").asLong()).isEqualTo(2000);
		assertThat(text.get("latency").asText()).isEqualTo("PT2S");
	}

	@Test
	void updateKeepsFaultsItDoesNotName() throws Exception {
		send(faults("POST", TOKEN, "{\"latency\": 100, \"errorRate\": 0.25}"));

		JsonNode faults = this.json.readTree(send(faults("POST", TOKEN, "{\"errorRate\": 0.5}")).body());

		assertThat(faults.get("latencyMs").asLong()).isEqualTo(100);
		assertThat(faults.get("errorRate").asDouble()).isEqualTo(0.5);
	}

	@Test
	void updateWithValueOutOfRangeIsBadRequestProblemAndChangesNothing() throws Exception {
		for (String body : new String[] { "{\"errorRate\": 1.5}", "{\"errorRate\": -0.1}", "{\"latency\": \"-1s\"}",
				"{\"latency\": \"11m\"}" }) {
			HttpResponse<String> response = send(faults("POST", TOKEN, body));

			assertThat(response.statusCode()).as(body).isEqualTo(400);
			assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
			assertThat(this.json.readTree(response.body()).get("detail").asText()).as(body)
				.containsAnyOf("errorRate must be from 0.0 to 1.0", "latency must be");
		}
		assertThat(this.injector.settings()).isEqualTo(FaultSettings.NONE);
	}

	@Test
	void latencyDelaysMainPortButNotManagementPort() throws Exception {
		send(faults("POST", TOKEN, "{\"latency\": " + LATENCY.toMillis() + "}"));

		long started = System.nanoTime();
		HttpResponse<String> livez = send(main("/livez").GET());
		Duration took = Duration.ofNanos(System.nanoTime() - started);
		// Answered well within the latency, or the request times out.
		HttpResponse<String> health = this.http.send(management("/actuator/health").GET()
			.timeout(LATENCY.dividedBy(2))
			.build(), BodyHandlers.ofString());

		assertThat(livez.statusCode()).isEqualTo(200);
		assertThat(took).isGreaterThanOrEqualTo(LATENCY);
		assertThat(health.statusCode()).isEqualTo(200);
	}

	@Test
	void errorRateOfOneAnswersEveryMainPortRequestWithInjectedFaultAndChargesNothing() throws Exception {
		long before = count();
		send(faults("POST", TOKEN, "{\"errorRate\": 1.0}"));

		HttpResponse<String> charge = send(charge("key-" + UUID.randomUUID()));
		HttpResponse<String> livez = send(main("/livez").GET());
		HttpResponse<String> health = send(management("/actuator/health").GET());

		for (HttpResponse<String> response : new HttpResponse[] { charge, livez }) {
			assertThat(response.statusCode()).isEqualTo(503);
			assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
			assertThat(this.json.readTree(response.body()).get("detail").asText()).isEqualTo("injected fault");
		}
		assertThat(health.statusCode()).isEqualTo(200);
		send(faults("DELETE", TOKEN, null));
		assertThat(count()).isEqualTo(before);
	}

	@Test
	void errorRateOfZeroAnswersNormally() throws Exception {
		send(faults("POST", TOKEN, "{\"errorRate\": 0}"));

		assertThat(send(charge("key-" + UUID.randomUUID())).statusCode()).isEqualTo(201);
	}

	@Test
	void hangHoldsLivezUnansweredWhileManagementPortAnswersAndReleaseAnswersIt() throws Exception {
		HttpResponse<String> hang = send(faults("POST", TOKEN, "{\"hang\": true}"));
		assertThat(this.json.readTree(hang.body()).get("hang").asBoolean()).isTrue();

		CompletableFuture<HttpResponse<String>> livez = sendAsync(main("/livez").GET());
		await().atMost(Duration.ofSeconds(10)).until(() -> this.injector.hungRequests() == 1);

		assertThatExceptionOfType(HttpTimeoutException.class).isThrownBy(
				() -> this.http.send(main("/readyz").GET().timeout(Duration.ofMillis(500)).build(),
						BodyHandlers.ofString()));
		assertThat(livez).isNotDone();
		HttpResponse<String> health = send(management("/actuator/health").GET());
		assertThat(health.statusCode()).isEqualTo(200);
		JsonNode faults = this.json.readTree(send(faults("GET", TOKEN, null)).body());
		assertThat(faults.get("hang").asBoolean()).isTrue();
		assertThat(faults.get("hungRequests").asInt()).isGreaterThanOrEqualTo(1);

		send(faults("POST", TOKEN, "{\"hang\": false}"));

		assertThat(livez.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
		await().atMost(Duration.ofSeconds(10)).until(() -> this.injector.hungRequests() == 0);
	}

	@Test
	void hangHoldsChargeUntilReleasedThenChargesIt() throws Exception {
		long before = count();
		send(faults("POST", TOKEN, "{\"hang\": true}"));

		CompletableFuture<HttpResponse<String>> charge = sendAsync(charge("key-" + UUID.randomUUID()));
		await().atMost(Duration.ofSeconds(10)).until(() -> this.injector.hungRequests() == 1);
		send(faults("POST", TOKEN, "{\"hang\": false}"));

		assertThat(charge.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(201);
		assertThat(count()).isEqualTo(before + 1);
	}

	@Test
	void clearReleasesHeldRequestsAndRemovesEveryFault() throws Exception {
		send(faults("POST", TOKEN, "{\"hang\": true, \"latency\": 200, \"errorRate\": 0.5}"));
		CompletableFuture<HttpResponse<String>> livez = sendAsync(main("/livez").GET());
		await().atMost(Duration.ofSeconds(10)).until(() -> this.injector.hungRequests() == 1);

		HttpResponse<String> cleared = send(faults("DELETE", TOKEN, null));

		assertThat(livez.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
		assertThat(this.json.readTree(cleared.body()).get("hang").asBoolean()).isFalse();
		assertThat(this.injector.settings()).isEqualTo(FaultSettings.NONE);
	}

	private HttpRequest.Builder faults(String method, String token, String body) {
		HttpRequest.Builder request = management("/actuator/faults").method(method,
				(body != null) ? BodyPublishers.ofString(body) : BodyPublishers.noBody());
		if (body != null) {
			request.header("Content-Type", "application/json");
		}
		if (token != null) {
			request.header("X-Fault-Token", token);
		}
		return request;
	}

	private HttpRequest.Builder charge(String key) {
		return main("/payments").header("Idempotency-Key", key)
			.header("Content-Type", "application/json")
			.POST(BodyPublishers.ofString("{\"orderId\": \"order-" + UUID.randomUUID()
					+ "\", \"amount\": 12.50, \"currency\": \"EUR\"}"));
	}

	private long count() throws Exception {
		return this.json.readTree(send(main("/payments/count").GET()).body()).get("count").asLong();
	}

	private HttpRequest.Builder main(String path) {
		return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + path))
			.timeout(Duration.ofSeconds(10));
	}

	private HttpRequest.Builder management(String path) {
		return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.managementPort + path))
			.timeout(Duration.ofSeconds(10));
	}

	private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
		return this.http.send(request.build(), BodyHandlers.ofString());
	}

	private CompletableFuture<HttpResponse<String>> sendAsync(HttpRequest.Builder request) {
		// Longer than the test waits: a held request must end by release, not by timeout.
		return this.http.sendAsync(request.timeout(Duration.ofSeconds(60)).build(), BodyHandlers.ofString());
	}

}
