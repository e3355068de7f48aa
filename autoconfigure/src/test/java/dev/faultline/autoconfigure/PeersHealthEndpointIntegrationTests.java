package dev.faultline.autoconfigure;

import java.time.Duration;
import java.util.Map;

import dev.faultline.peer.TestPeerServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.client.RestTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The starter in a fresh Spring Boot web application with one peer, a real HTTP server
 * that this test stops and starts again.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "management.endpoints.web.exposure.include=health",
				"management.endpoint.health.show-details=always", "management.endpoint.health.probes.enabled=true" })
class PeersHealthEndpointIntegrationTests {

	private static final Duration INTERVAL = Duration.ofMillis(500);

	private static final TestPeerServer payment = TestPeerServer.start();

	@LocalServerPort
	private int port;

	private RestTemplate rest() {
		return LocalRestTemplate.on(this.port);
	}

	@DynamicPropertySource
	static void peer(DynamicPropertyRegistry registry) {
		registry.add("faultline.peers.payment-service.instances[0]", () -> payment.uri().toString());
		registry.add("faultline.peers.payment-service.heartbeat.interval", INTERVAL::toString);
		registry.add("faultline.peers.payment-service.heartbeat.timeout", () -> "250ms");
	}

	@AfterAll
	static void stopPeer() {
		payment.close();
	}

	@Test
	void peerIsUpWhileItAnswersSuspectedAfterItStopsAndUpAgainWhenItReturns() {
		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(peerStatus()).isEqualTo("UP"));
		assertThat(peerDetails()).containsEntry("url", payment.uri().toString()).containsKey("phi");

		payment.stop();
		long stoppedAt = System.nanoTime();
		// 20 heartbeat intervals at most; with the defaults it takes about four.
		await().atMost(INTERVAL.multipliedBy(20))
			.pollInterval(Duration.ofMillis(50))
			.untilAsserted(() -> assertThat(peerStatus()).isEqualTo("SUSPECTED"));
		System.out.printf("Peer suspected %d ms after it stopped (heartbeat interval %d ms)%n",
				Duration.ofNanos(System.nanoTime() - stoppedAt).toMillis(), INTERVAL.toMillis());

		assertThat(rest().getForEntity("/actuator/health", String.class).getStatusCode())
			.isEqualTo(HttpStatus.OK);
		assertThat(status("/actuator/health")).isEqualTo("UP");
		assertThat(status("/actuator/health/liveness")).isEqualTo("UP");
		assertThat(status("/actuator/health/readiness")).isEqualTo("UP");
		assertThat(rest().getForEntity("/actuator/health/readiness", String.class).getBody()).doesNotContain("peers");

		payment.restart();
		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(peerStatus()).isEqualTo("UP"));
	}

	private String peerStatus() {
		return status("/actuator/health/peers/payment-service");
	}

	@SuppressWarnings("unchecked")
	private Map<String, Object> peerDetails() {
		return (Map<String, Object>) get("/actuator/health/peers/payment-service").getBody().get("details");
	}

	private String status(String path) {
		return (String) get(path).getBody().get("status");
	}

	private ResponseEntity<Map<String, Object>> get(String path) {
		return rest().exchange(path, HttpMethod.GET, null, new ParameterizedTypeReference<Map<String, Object>>() {
		});
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class App {

	}

}
