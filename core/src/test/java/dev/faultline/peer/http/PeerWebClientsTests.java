package dev.faultline.peer.http;

import java.net.ConnectException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.faultline.detector.MonotonicClock;
import dev.faultline.detector.PhiAccrualFailureDetector;
import dev.faultline.detector.PhiAccrualSettings;
import dev.faultline.peer.HeartbeatKind;
import dev.faultline.peer.HeartbeatMode;
import dev.faultline.peer.HeartbeatSettings;
import dev.faultline.peer.LocalPauseWatch;
import dev.faultline.peer.Peer;
import dev.faultline.peer.PeerInstance;
import dev.faultline.peer.PeerRegistry;
import dev.faultline.peer.Routing;
import dev.faultline.peer.TestPeerServer;
import io.micrometer.observation.ObservationRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.http.client.reactive.JdkClientHttpConnector;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.client.WebClientRequestException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

class PeerWebClientsTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	@Test
	void refusedConnectionSendsEvenAPostToTheNextInstanceAndTheResponseIsOneHeartbeat() {
		try (TestPeerServer standby = TestPeerServer.start()) {
			PeerRegistry registry = registry(Routing.FAILOVER, deadUri(), standby.uri());
			ObservationRegistry observations = ObservationRegistry.create();
			observations.observationConfig().observationHandler(new ReactivePassiveHeartbeatObservationHandler(registry));
			WebClient client = clients(registry, observations).get("payment-service");

			Integer status = client.post().uri("/pay").bodyValue("{}").retrieve().toBodilessEntity()
				.map((entity) -> entity.getStatusCode().value())
				.block(WAIT);

			assertThat(status).isEqualTo(200);
			assertThat(standby.requests()).isEqualTo(1);
			// Counted by the client's own filter, not again by the observation of the request,
			// which stops a moment after the answer.
			await().during(Duration.ofMillis(300))
				.atMost(Duration.ofSeconds(2))
				.until(() -> registry.getInstances().get(1).heartbeats(HeartbeatKind.PASSIVE) == 1);
			assertThat(registry.getInstances()).allSatisfy((instance) -> assertThat(instance.requestsInFlight()).isZero());
		}
	}

	@Test
	void everyInstanceRefusingFailsTheRequestNamingTheInstancesTried() {
		URI primary = deadUri();
		URI standby = deadUri();
		PeerRegistry registry = registry(Routing.FAILOVER, primary, standby);
		WebClient client = clients(registry, ObservationRegistry.NOOP).get("payment-service");

		assertThatExceptionOfType(WebClientRequestException.class)
			.isThrownBy(() -> client.post().uri("/pay").retrieve().toBodilessEntity().block(WAIT))
			.withMessage("Connection refused by peer 'payment-service' instances primary (" + primary
					+ "/pay), standby-1 (" + standby + "/pay)")
			.withCauseInstanceOf(ConnectException.class);
	}

	@Test
	void balancedRequestsSpreadOverTheInstances() {
		try (TestPeerServer first = TestPeerServer.start(); TestPeerServer second = TestPeerServer.start()) {
			PeerRegistry registry = registry(Routing.BALANCED, first.uri(), second.uri());
			WebClient client = clients(registry, ObservationRegistry.NOOP).get("payment-service");

			for (int i = 0; i < 40; i++) {
				client.get().uri("/pay?n=" + i).retrieve().toBodilessEntity().block(WAIT);
			}

			assertThat(first.requests()).isBetween(5, 35);
			assertThat(first.requests() + second.requests()).isEqualTo(40);
		}
	}

	@Test
	void responseOfAClientOfTheApplicationToAnInstanceUrlIsAPassiveHeartbeat() {
		try (TestPeerServer server = TestPeerServer.start()) {
			PeerRegistry registry = registry(Routing.FAILOVER, server.uri());
			ObservationRegistry observations = ObservationRegistry.create();
			observations.observationConfig().observationHandler(new ReactivePassiveHeartbeatObservationHandler(registry));
			WebClient own = WebClient.builder().clientConnector(new JdkClientHttpConnector())
				.observationRegistry(observations).baseUrl(server.uri().toString()).build();

			own.get().uri("/stock").retrieve().toBodilessEntity().block(WAIT);

			await().atMost(Duration.ofSeconds(5))
				.until(() -> registry.getInstances().get(0).heartbeats(HeartbeatKind.PASSIVE) == 1);
		}
	}

	private static PeerWebClients clients(PeerRegistry registry, ObservationRegistry observations) {
		return new PeerWebClients(registry,
				() -> WebClient.builder().clientConnector(new JdkClientHttpConnector()).observationRegistry(observations),
				(peer) -> Resend.connectFailuresOnly());
	}

	private static URI deadUri() {
		TestPeerServer server = TestPeerServer.start();
		URI uri = server.uri();
		server.stop();
		return uri;
	}

	private static PeerRegistry registry(Routing routing, URI... uris) {
		HeartbeatSettings settings = new HeartbeatSettings("/health", Duration.ofSeconds(1), Duration.ofMillis(500),
				HeartbeatMode.PASSIVE);
		List<PeerInstance> instances = new ArrayList<>();
		for (int i = 0; i < uris.length; i++) {
			instances.add(new PeerInstance("payment-service", (i == 0) ? "primary" : "standby-" + i, uris[i], settings,
					new PhiAccrualFailureDetector(PhiAccrualSettings.DEFAULTS, MonotonicClock.SYSTEM),
					MonotonicClock.SYSTEM, new LocalPauseWatch(Duration.ofMillis(100), Duration.ofMillis(500))));
		}
		return new PeerRegistry(List.of(new Peer("payment-service", instances, false, routing)));
	}

}
