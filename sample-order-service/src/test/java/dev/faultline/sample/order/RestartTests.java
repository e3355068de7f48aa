package dev.faultline.sample.order;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.MediaType;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Orders accepted while payment is down survive a restart of the order service and are
 * then paid exactly once.
 */
class RestartTests {

	@TempDir
	Path data;

	@Test
	void pendingOrdersSurviveARestartAndArePaidExactlyOnceAfterIt() {
		try (PaymentStub payment = PaymentStub.start()) {
			payment.stop();
			List<String> ids = new ArrayList<>();
			try (ConfigurableApplicationContext first = start(payment)) {
				RestClient client = client(first);
				for (int i = 0; i < 3; i++) {
					Map<?, ?> order = client.post()
						.uri("/orders")
						.contentType(MediaType.APPLICATION_JSON)
						.body("{\"customer\":\"heidi\",\"amount\":9.99,\"currency\":\"EUR\",\"postcode\":\"1011\"}")
						.retrieve()
						.body(Map.class);
					assertThat(order.get("status")).isEqualTo("PAYMENT_PENDING");
					ids.add((String) order.get("id"));
				}
			}
			payment.restart();

			try (ConfigurableApplicationContext second = start(payment)) {
				RestClient client = client(second);
				await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
					for (String id : ids) {
						assertThat(client.get().uri("/orders/" + id).retrieve().body(Map.class).get("status"))
							.isEqualTo("DELIVERY_SCHEDULED");
					}
				});
			}
			for (String id : ids) {
				assertThat(payment.charges(id)).as("payments of order %s", id).isEqualTo(1);
			}
		}
	}

	private ConfigurableApplicationContext start(PaymentStub payment) {
		return new SpringApplicationBuilder(OrderServiceApplication.class).run("--server.port=0",
				"--orders.data-dir=" + this.data, "--faultline.peers.payment-service.instances[0]=" + payment.url(),
				"--faultline.peers.payment-service.heartbeat.interval=200ms",
				"--faultline.peers.payment-service.heartbeat.timeout=100ms", "--orders.recovery.interval=300ms",
				"--orders.recovery.quiet-for=500ms");
	}

	private static RestClient client(ConfigurableApplicationContext context) {
		return RestClient.create("http://127.0.0.1:" + context.getEnvironment().getProperty("local.server.port"));
	}

}
