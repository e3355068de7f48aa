package dev.faultline.peer;

import java.net.URI;
import java.time.Duration;
import java.util.List;

import dev.faultline.detector.MonotonicClock;
import dev.faultline.detector.PhiAccrualFailureDetector;
import dev.faultline.detector.PhiAccrualSettings;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.http.HttpMethod;
import org.springframework.http.client.ClientHttpRequestFactory;
import org.springframework.http.client.ClientHttpResponse;

import static org.assertj.core.api.Assertions.assertThat;

class JdkPeerRequestFactoriesTests {

	private final TestPeerServer server = TestPeerServer.start();

	@AfterEach
	void stopServer() {
		this.server.close();
	}

	@Test
	void closedFactoriesLeaveNoThreadOfTheirOwn() throws Exception {
		JdkPeerRequestFactories factories = new JdkPeerRequestFactories((peer) -> Duration.ofSeconds(1),
				(peer) -> Duration.ofSeconds(2));
		ClientHttpRequestFactory factory = factories.apply(peer());
		try (ClientHttpResponse response = factory.createRequest(URI.create(this.server.uri() + "/pay"), HttpMethod.GET)
			.execute()) {
			assertThat(response.getStatusCode().value()).isEqualTo(200);
		}
		assertThat(threads(factories)).isNotEmpty();

		factories.close();

		Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> threads(factories).isEmpty());
	}

	private static List<String> threads(JdkPeerRequestFactories factories) {
		return Thread.getAllStackTraces()
			.keySet()
			.stream()
			.filter(Thread::isAlive)
			.map(Thread::getName)
			.filter((name) -> name.startsWith(factories.threadNamePrefix()))
			.toList();
	}

	private Peer peer() {
		HeartbeatSettings settings = new HeartbeatSettings("/health", Duration.ofSeconds(1), Duration.ofMillis(500),
				HeartbeatMode.ACTIVE);
		return new Peer("payment", List.of(new PeerInstance("payment", "primary", this.server.uri(), settings,
				new PhiAccrualFailureDetector(PhiAccrualSettings.DEFAULTS, MonotonicClock.SYSTEM), MonotonicClock.SYSTEM,
				new LocalPauseWatch(Duration.ofMillis(100), Duration.ofMillis(500)))));
	}

}
