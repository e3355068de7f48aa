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
import dev.faultline.peer.TestPeerServer;
import org.junit.jupiter.api.Test;

import org.springframework.http.ResponseEntity;
import org.springframework.http.client.SimpleClientHttpRequestFactory;
import org.springframework.web.client.ResourceAccessException;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.support.RestClientAdapter;
import org.springframework.web.service.annotation.GetExchange;
import org.springframework.web.service.invoker.HttpServiceProxyFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class PeerRestClientsTests {

	@Test
	void connectionRefusedByTheOnlyInstanceNamesItsRealUrl() throws Exception {
		URI primary = deadUri();
		try (PeerRestClients clients = clients(primary)) {
			assertThatExceptionOfType(ResourceAccessException.class)
				.isThrownBy(() -> clients.get("payment-service").post().uri("/pay").retrieve().toBodilessEntity())
				.withMessageContaining("Connection refused by peer 'payment-service' instance primary (" + primary
						+ "/pay)");
		}
	}

	@Test
	void connectionRefusedByEveryInstanceNamesAllThatWereTried() throws Exception {
		URI primary = deadUri();
		URI standby = deadUri();
		try (PeerRestClients clients = clients(primary, standby)) {
			assertThatExceptionOfType(ResourceAccessException.class)
				.isThrownBy(() -> clients.get("payment-service").get().uri("/pay?order=1").retrieve().toBodilessEntity())
				.withMessageContaining("Connection refused by peer 'payment-service' instances primary (" + primary
						+ "/pay?order=1), standby-1 (" + standby + "/pay?order=1)")
				// each instance's own refusal is kept: the last as the cause, the others suppressed
				.satisfies((ex) -> {
					assertThat(ex.getCause().getCause()).isInstanceOf(ConnectException.class);
					assertThat(ex.getCause().getSuppressed()).hasSize(1);
				});
		}
	}

	@Test
	void connectionRefusedByThePrimaryFallsOverToTheStandby() throws Exception {
		try (TestPeerServer standby = TestPeerServer.start(); PeerRestClients clients = clients(deadUri(), standby.uri())) {
			assertThat(clients.get("payment-service").get().uri("/pay").retrieve().toBodilessEntity().getStatusCode().value())
				.isEqualTo(200);
		}
	}

	@Test
	void httpServiceClientOnTheReadyClientFallsOverAndCountsAsHeartbeats() throws Exception {
		try (TestPeerServer standby = TestPeerServer.start()) {
			PeerRegistry registry = registry(deadUri(), standby.uri());
			try (PeerRestClients clients = clients(registry)) {
				// An @HttpExchange interface is bound to a peer by building it on the peer's client.
				PaymentApi payments = HttpServiceProxyFactory
					.builderFor(RestClientAdapter.create(clients.get("payment-service")))
					.build()
					.createClient(PaymentApi.class);

				assertThat(payments.pay().getStatusCode().value()).isEqualTo(200);
				assertThat(standby.requests()).isEqualTo(1);
				PeerInstance standbyInstance = registry.getPeers().get("payment-service").getInstances().get(1);
				assertThat(standbyInstance.heartbeats(HeartbeatKind.PASSIVE)).isEqualTo(1);
			}
		}
	}

	interface PaymentApi {

		@GetExchange("/pay")
		ResponseEntity<Void> pay();

	}

	private static URI deadUri() {
		TestPeerServer server = TestPeerServer.start();
		URI uri = server.uri();
		server.stop();
		return uri;
	}

	private static PeerRestClients clients(URI... uris) {
		return clients(registry(uris));
	}

	private static PeerRestClients clients(PeerRegistry registry) {
		return new PeerRestClients(registry, RestClient::builder, (peer) -> new SimpleClientHttpRequestFactory());
	}

	private static PeerRegistry registry(URI... uris) {
		HeartbeatSettings settings = new HeartbeatSettings("/health", Duration.ofSeconds(1), Duration.ofMillis(500),
				HeartbeatMode.PASSIVE);
		List<PeerInstance> instances = new ArrayList<>();
		for (int i = 0; i < uris.length; i++) {
			instances.add(new PeerInstance("payment-service", (i == 0) ? "primary" : "standby-" + i, uris[i], settings,
					new PhiAccrualFailureDetector(PhiAccrualSettings.DEFAULTS, MonotonicClock.SYSTEM),
					MonotonicClock.SYSTEM, new LocalPauseWatch(Duration.ofMillis(100), Duration.ofMillis(500))));
		}
		return new PeerRegistry(List.of(new Peer("payment-service", instances)));
	}

}
