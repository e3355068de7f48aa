package dev.faultline.sample.payment.fault;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * When Actuator shares the main port, the {@code faults} endpoint is still guarded by its
 * token, and a hang holds the API and probes but not the switch that releases it.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		args = "--spring.config.location=classpath:/shared-management-port.yml")
class SharedManagementPortTests {

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	@LocalServerPort
	private int port;

	@Autowired
	private FaultInjector injector;

	@AfterEach
	void clearFaults() {
		this.injector.clear();
	}

	@Test
	void faultsWithoutTokenIsForbidden() throws Exception {
		HttpResponse<String> response = send(faults().header("Content-Type", "application/json")
			.POST(BodyPublishers.ofString("{\"hang\": true}")));

		assertThat(response.statusCode()).isEqualTo(403);
		assertThat(this.injector.settings()).isEqualTo(FaultSettings.NONE);
	}

	@Test
	void hangHoldsProbesButNotFaultSwitch() throws Exception {
		HttpResponse<String> hang = send(faults().header("X-Fault-Token", "test-token")
			.header("Content-Type", "application/json")
			.POST(BodyPublishers.ofString("{\"hang\": true}")));
		assertThat(hang.statusCode()).isEqualTo(200);
		CompletableFuture<HttpResponse<String>> livez = this.http.sendAsync(
				HttpRequest.newBuilder(uri("/livez")).timeout(Duration.ofSeconds(60)).build(), BodyHandlers.ofString());
		await().atMost(Duration.ofSeconds(10)).until(() -> this.injector.hungRequests() == 1);

		HttpResponse<String> cleared = send(faults().header("X-Fault-Token", "test-token").DELETE());

		assertThat(cleared.statusCode()).isEqualTo(200);
		assertThat(livez.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
	}

	private HttpRequest.Builder faults() {
		return HttpRequest.newBuilder(uri("/actuator/faults")).timeout(Duration.ofSeconds(10));
	}

	private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
		return this.http.send(request.build(), BodyHandlers.ofString());
	}

	private URI uri(String path) {
		return URI.create("http://127.0.0.1:" + this.port + path);
	}

}
