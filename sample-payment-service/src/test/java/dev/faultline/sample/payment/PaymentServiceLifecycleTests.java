package dev.faultline.sample.payment;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import dev.faultline.sample.payment.fault.FaultInjector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The service started and stopped for real: payments outlive a restart, and stopping does
 * not wait for requests a hang holds.
 */
class PaymentServiceLifecycleTests {

	private static final String PAYMENT = "{\"orderId\": \"order-restart\", \"amount\": 42.00, \"currency\": \"CHF\"}";

	@TempDir
	Path dataDir;

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	@Test
	void paymentSurvivesRestartAndItsReplayAnswersTheFirstResult() throws Exception {
		HttpResponse<String> first;
		try (ConfigurableApplicationContext service = start()) {
			first = charge(service);
			assertThat(first.statusCode()).isEqualTo(201);
		}
		String location = first.headers().firstValue("Location").orElseThrow();

		try (ConfigurableApplicationContext restarted = start()) {
			HttpResponse<String> stored = send(restarted, HttpRequest.newBuilder(uri(restarted, location)).GET());
			HttpResponse<String> replay = charge(restarted);
			HttpResponse<String> count = send(restarted, HttpRequest.newBuilder(uri(restarted, "/payments/count")).GET());

			assertThat(stored.statusCode()).isEqualTo(200);
			assertThat(stored.body()).isEqualTo(first.body());
			assertThat(replay.statusCode()).isEqualTo(200);
			assertThat(replay.headers().firstValue("Idempotent-Replayed")).hasValue("true");
			assertThat(replay.body()).isEqualTo(first.body());
			assertThat(count.body()).isEqualTo("{\"count\":1}");
		}
	}

	@Test
	void stoppingWhileHungAnswersHeldRequestsInsteadOfWaitingForThem() throws Exception {
		ConfigurableApplicationContext service = start();
		FaultInjector injector = service.getBean(FaultInjector.class);
		injector.update(null, null, true);
		CompletableFuture<HttpResponse<String>> held = this.http.sendAsync(
				HttpRequest.newBuilder(uri(service, "/livez")).timeout(Duration.ofSeconds(60)).build(),
				BodyHandlers.ofString());
		await().atMost(Duration.ofSeconds(10)).until(() -> injector.hungRequests() == 1);

		long started = System.nanoTime();
		service.close();
		Duration took = Duration.ofNanos(System.nanoTime() - started);

		// Graceful shutdown would otherwise wait its whole 30 s timeout for the held request.
		assertThat(took).isLessThan(Duration.ofSeconds(10));
		assertThat(held.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
	}

	private ConfigurableApplicationContext start() {
		return new SpringApplicationBuilder(PaymentServiceApplication.class).run("--server.port=0",
				"--management.server.port=0", "--payment.data-dir=" + this.dataDir);
	}

	private HttpResponse<String> charge(ConfigurableApplicationContext service) throws Exception {
		return send(service, HttpRequest.newBuilder(uri(service, "/payments"))
			.header("Idempotency-Key", "key-restart")
			.header("Content-Type", "application/json")
			.POST(BodyPublishers.ofString(PAYMENT)));
	}

	private HttpResponse<String> send(ConfigurableApplicationContext service, HttpRequest.Builder request)
			throws Exception {
		return this.http.send(request.timeout(Duration.ofSeconds(10)).build(), BodyHandlers.ofString());
	}

	private static URI uri(ConfigurableApplicationContext service, String path) {
		return URI.create("http://127.0.0.1:" + service.getEnvironment().getProperty("local.server.port") + path);
	}

}
