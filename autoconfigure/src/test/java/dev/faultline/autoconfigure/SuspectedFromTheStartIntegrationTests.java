package dev.faultline.autoconfigure;

import java.time.Duration;

import dev.faultline.autoconfigure.DetectionDrivesIsolationIntegrationTests.PaymentGateway;
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
import org.springframework.context.annotation.Bean;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A peer watched only through traffic (passive mode), whose linked function gets no call
 * through while the peer is suspected: before probes of suspected instances, nothing
 * could ever prove it back, and the circuit stayed open for good. The peer is hung from
 * the start, so it is suspected before any traffic, then answers.
 */
@SpringBootTest(properties = { "faultline.functions.payment.peer=payment-service",
		"faultline.peers.payment-service.heartbeat.mode=passive",
		"faultline.peers.payment-service.heartbeat.interval=200ms",
		"faultline.peers.payment-service.heartbeat.timeout=100ms",
		"resilience4j.timelimiter.instances.payment.timeout-duration=1s",
		"resilience4j.circuitbreaker.instances.payment.permitted-number-of-calls-in-half-open-state=2" })
@DirtiesContext
class SuspectedFromTheStartIntegrationTests {

	private static final Duration INTERVAL = Duration.ofMillis(200);

	private static final TestPeerServer payment = TestPeerServer.start();

	static {
		payment.hang();
	}

	@Autowired
	private PaymentGateway gateway;

	@Autowired
	private BusinessFunctions functions;

	@Autowired
	private PeerRegistry peers;

	@DynamicPropertySource
	static void peers(DynamicPropertyRegistry registry) {
		registry.add("faultline.peers.payment-service.instances[0]", () -> payment.uri().toString());
	}

	@AfterAll
	static void stopPeer() {
		payment.close();
	}

	@Test
	void passivePeerSuspectedBeforeAnyTrafficIsProvenBackByProbesAndItsCircuitCloses() {
		CircuitBreaker breaker = this.functions.get("payment").getCircuitBreaker();
		await().atMost(Duration.ofSeconds(10)).until(() -> breaker.getState() == State.OPEN);
		assertThat(this.gateway.charge()).isEqualTo("pending after CallNotPermittedException");

		payment.release();
		long releasedAt = System.nanoTime();

		// A few intervals: the next probe of the suspected instance answers. Generous
		// bounds for a loaded machine; the figure is printed.
		await().atMost(INTERVAL.multipliedBy(25)).until(() -> breaker.getState() == State.HALF_OPEN);
		System.out.printf("Circuit half-open %d ms after the peer answered again (heartbeat interval %d ms)%n",
				Duration.ofNanos(System.nanoTime() - releasedAt).toMillis(), INTERVAL.toMillis());
		await().atMost(Duration.ofSeconds(10)).until(() -> {
			this.gateway.charge();
			return breaker.getState() == State.CLOSED;
		});
		assertThat(this.gateway.charge()).isEqualTo("paid");
		assertThat(this.peers.find("payment-service").orElseThrow().isAvailable()).isTrue();
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
