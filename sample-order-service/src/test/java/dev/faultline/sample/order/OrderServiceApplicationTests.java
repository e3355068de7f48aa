package dev.faultline.sample.order;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The order service with its real configuration, watching a real HTTP server that
 * stands in for the payment service's liveness endpoint.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class OrderServiceApplicationTests {

	private static final HttpServer payment = startPayment();

	@Autowired
	private TestRestTemplate rest;

	@DynamicPropertySource
	static void paymentPeer(DynamicPropertyRegistry registry) {
		registry.add("faultline.peers.payment-service.instances[0]",
				() -> "http://127.0.0.1:" + payment.getAddress().getPort());
	}

	@AfterAll
	static void stopPayment() {
		payment.stop(0);
	}

	@Test
	void paymentPeerAnsweringItsLivenessProbeIsShownUpWithItsPhi() {
		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
			String peers = this.rest.getForObject("/actuator/health/peers", String.class);
			assertThat(peers).contains("\"payment-service\":{\"status\":\"UP\"").contains("\"phi\":");
		});
		assertThat(this.rest.getForObject("/actuator/metrics/faultline.peer.phi", String.class))
			.contains("payment-service");
	}

	private static HttpServer startPayment() {
		try {
			HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 10);
			server.createContext("/actuator/health/liveness", (exchange) -> {
				byte[] body = "{\"status\":\"UP\"}".getBytes(StandardCharsets.UTF_8);
				exchange.sendResponseHeaders(200, body.length);
				try (OutputStream out = exchange.getResponseBody()) {
					out.write(body);
				}
			});
			server.start();
			return server;
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
