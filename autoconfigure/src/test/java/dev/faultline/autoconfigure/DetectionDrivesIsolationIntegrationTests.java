package dev.faultline.autoconfigure;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import dev.faultline.function.BusinessFunction;
import dev.faultline.function.BusinessFunctions;
import dev.faultline.peer.PeerRegistry;
import dev.faultline.peer.http.PeerRestClients;
import dev.faultline.peer.TestPeerServer;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreaker.State;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.client.RestTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Detection drives isolation, with real HTTP servers that this test stops, hangs and
 * starts again: the payment function is linked to the payment peer; the stock peer has a
 * primary and a standby.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "management.endpoints.web.exposure.include=health,circuitbreakers,faultline",
				"management.endpoint.health.show-details=always", "faultline.functions.payment.peer=payment-service",
				"faultline.peers.payment-service.heartbeat.interval=200ms",
				"faultline.peers.payment-service.heartbeat.timeout=100ms",
				"faultline.peers.stock.heartbeat.interval=200ms", "faultline.peers.stock.heartbeat.timeout=100ms",
				"resilience4j.timelimiter.instances.payment.timeout-duration=2s",
				"resilience4j.circuitbreaker.instances.payment.permitted-number-of-calls-in-half-open-state=2" })
@DirtiesContext
class DetectionDrivesIsolationIntegrationTests {

	private static final Duration INTERVAL = Duration.ofMillis(200);

	private static final TestPeerServer payment = TestPeerServer.start();

	private static final TestPeerServer stockPrimary = TestPeerServer.start();

	private static final TestPeerServer stockStandby = TestPeerServer.start();

	@Autowired
	private PaymentGateway gateway;

	@Autowired
	private BusinessFunctions functions;

	@Autowired
	private PeerRestClients clients;

	@Autowired
	private PeerRegistry peers;

	@LocalServerPort
	private int port;

	private RestTemplate rest() {
		return LocalRestTemplate.on(this.port);
	}

	@DynamicPropertySource
	static void peers(DynamicPropertyRegistry registry) {
		registry.add("faultline.peers.payment-service.instances[0]", () -> payment.uri().toString());
		registry.add("faultline.peers.stock.instances[0]", () -> stockPrimary.uri().toString());
		registry.add("faultline.peers.stock.instances[1]", () -> stockStandby.uri().toString());
	}

	@AfterAll
	static void stopPeers() {
		payment.close();
		stockPrimary.close();
		stockStandby.close();
	}

	@Test
	void stoppedPeerOpensTheLinkedCircuitSoCallsFallBackAtOnceAndItClosesWhenThePeerReturns() {
		CircuitBreaker breaker = this.functions.get("payment").getCircuitBreaker();
		await().atMost(Duration.ofSeconds(10)).until(() -> this.gateway.charge().equals("paid"));

		payment.stop();
		long stoppedAt = System.nanoTime();
		await().atMost(INTERVAL.multipliedBy(20))
			.pollInterval(Duration.ofMillis(20))
			.until(() -> breaker.getState() == State.OPEN);
		System.out.printf("Linked circuit open %d ms after the peer stopped (heartbeat interval %d ms)%n",
				Duration.ofNanos(System.nanoTime() - stoppedAt).toMillis(), INTERVAL.toMillis());

		long start = System.nanoTime();
		assertThat(this.gateway.charge()).isEqualTo("pending after CallNotPermittedException");
		// At once: nowhere near the two-second time limit.
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(500));
		assertThat(rest().getForObject("/actuator/circuitbreakers", String.class))
			.contains("\"payment\":{").contains("\"state\":\"OPEN\"");
		assertThat(rest().getForObject("/actuator/faultline", String.class)).contains("\"state\":\"OPEN\"");

		payment.restart();
		await().atMost(Duration.ofSeconds(10)).until(() -> breaker.getState() == State.HALF_OPEN);
		await().atMost(Duration.ofSeconds(10)).until(() -> {
			this.gateway.charge();
			return breaker.getState() == State.CLOSED;
		});
		assertThat(this.gateway.charge()).isEqualTo("paid");
	}

	@Test
	void stoppedPrimaryFailsOverToTheStandbyWithoutFailedCalls() throws Exception {
		AtomicInteger failed = new AtomicInteger();
		await().atMost(Duration.ofSeconds(10)).until(() -> get("/stock/1").equals("200"));
		int beforeStandby = stockStandby.requests();

		for (int i = 0; i < 150; i++) {
			if (i == 30) {
				stockPrimary.stop();
			}
			try {
				assertThat(get("/stock/" + i)).isEqualTo("200");
			}
			catch (Exception ex) {
				failed.incrementAndGet();
			}
			Thread.sleep(10);
		}

		assertThat(failed).hasValue(0);
		assertThat(stockStandby.requests() - beforeStandby).isGreaterThan(100);
		assertThat(this.peers.find("stock").orElseThrow().activeInstance().getName()).isEqualTo("standby-1");
		assertThat(rest().getForObject("/actuator/health/peers/stock/standby-1", Map.class).get("details"))
			.asString()
			.contains("active=true");

		stockPrimary.restart();
		await().atMost(Duration.ofSeconds(10))
			.until(() -> this.peers.find("stock").orElseThrow().getInstances().get(0).isAvailable());
		get("/stock/after");
		// No failback by default: traffic stays on the instance that works.
		assertThat(this.peers.find("stock").orElseThrow().activeInstance().getName()).isEqualTo("standby-1");
	}

	private String get(String path) {
		Integer status = this.clients.get("stock")
			.get()
			.uri(path)
			.exchange((request, response) -> response.getStatusCode().value());
		return String.valueOf(status);
	}

	static class PaymentGateway {

		private final PeerRestClients clients;

		PaymentGateway(PeerRestClients clients) {
			this.clients = clients;
		}

		@BusinessFunction(value = "payment", fallbackMethod = "pending")
		String charge() {
			this.clients.get("payment-service").post().uri("/payments").retrieve().toBodilessEntity();
			return "paid";
		}

		String pending(Throwable cause) {
			return "pending after " + cause.getClass().getSimpleName();
		}

	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class App {

		@Bean
		PaymentGateway paymentGateway(PeerRestClients clients) {
			return new PaymentGateway(clients);
		}

	}

}
