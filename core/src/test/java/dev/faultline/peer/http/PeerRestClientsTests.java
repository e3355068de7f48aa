package dev.faultline.peer.http;

import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import dev.faultline.detector.ManualClock;
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
import org.junit.jupiter.api.Test;

import org.springframework.http.ResponseEntity;
import org.springframework.http.client.SimpleClientHttpRequestFactory;
import org.springframework.web.client.HttpServerErrorException;
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

	@Test
	void connectTimeoutSendsEvenAPostToTheNextInstance() throws Exception {
		try (FullBacklogListener unanswered = new FullBacklogListener(); TestPeerServer standby = TestPeerServer.start()) {
			PeerRegistry registry = registry(unanswered.uri(), standby.uri());
			try (PeerRestClients clients = clients(registry, Set.of())) {
				assertThat(clients.get("payment-service").post().uri("/pay").retrieve().toBodilessEntity().getStatusCode()
					.value()).isEqualTo(200);
				assertThat(standby.requests()).isEqualTo(1);
				assertThat(registry.getInstances()).allSatisfy((instance) -> assertThat(instance.requestsInFlight()).isZero());
			}
		}
	}

	@Test
	void readTimeoutOfAPostIsNeverSentAgain() throws Exception {
		try (TestPeerServer hung = TestPeerServer.start(); TestPeerServer standby = TestPeerServer.start()) {
			hung.hang();
			PeerRegistry registry = registry(hung.uri(), standby.uri());
			try (PeerRestClients clients = clients(registry, EnumSet.allOf(Resend.Condition.class))) {
				assertThatExceptionOfType(ResourceAccessException.class)
					.isThrownBy(() -> clients.get("payment-service").post().uri("/pay").retrieve().toBodilessEntity())
					.withRootCauseInstanceOf(SocketTimeoutException.class);
				assertThat(standby.requests()).isZero();
				assertThat(registry.getInstances()).allSatisfy((instance) -> assertThat(instance.requestsInFlight()).isZero());
			}
		}
	}

	@Test
	void readTimeoutOfAGetIsNotSentAgainByDefault() throws Exception {
		try (TestPeerServer hung = TestPeerServer.start(); TestPeerServer standby = TestPeerServer.start()) {
			hung.hang();
			try (PeerRestClients clients = clients(registry(hung.uri(), standby.uri()), Set.of())) {
				assertThatExceptionOfType(ResourceAccessException.class)
					.isThrownBy(() -> clients.get("payment-service").get().uri("/pay").retrieve().toBodilessEntity());
				assertThat(standby.requests()).isZero();
			}
		}
	}

	@Test
	void readTimeoutOfAGetIsSentToTheNextInstanceWhenAsked() throws Exception {
		try (TestPeerServer hung = TestPeerServer.start(); TestPeerServer standby = TestPeerServer.start()) {
			hung.hang();
			try (PeerRestClients clients = clients(registry(hung.uri(), standby.uri()), Set.of(Resend.Condition.TIMEOUT))) {
				assertThat(clients.get("payment-service").get().uri("/pay").retrieve().toBodilessEntity().getStatusCode()
					.value()).isEqualTo(200);
				assertThat(hung.requests()).isEqualTo(1);
				assertThat(standby.requests()).isEqualTo(1);
			}
		}
	}

	@Test
	void gatewayStatusOfAGetIsSentToTheNextInstanceWhenAskedAndOfAPostIsAnswered() throws Exception {
		try (TestPeerServer failing = TestPeerServer.start(); TestPeerServer standby = TestPeerServer.start()) {
			failing.answer(503);
			try (PeerRestClients clients = clients(registry(failing.uri(), standby.uri()),
					Set.of(Resend.Condition.GATEWAY_STATUS))) {
				RestClient client = clients.get("payment-service");
				assertThat(client.get().uri("/pay").retrieve().toBodilessEntity().getStatusCode().value()).isEqualTo(200);
				assertThat(standby.requests()).isEqualTo(1);

				assertThatExceptionOfType(HttpServerErrorException.class)
					.isThrownBy(() -> client.post().uri("/pay").retrieve().toBodilessEntity())
					.satisfies((ex) -> assertThat(ex.getStatusCode().value()).isEqualTo(503));
				assertThat(standby.requests()).isEqualTo(1);
			}
		}
	}

	@Test
	void balancedPeerSendsRequestsToEveryAvailableInstanceAndNoneToASuspectedOne() throws Exception {
		try (TestPeerServer first = TestPeerServer.start(); TestPeerServer second = TestPeerServer.start();
				TestPeerServer third = TestPeerServer.start()) {
			ManualClock clock = new ManualClock();
			PeerRegistry registry = registry(Routing.BALANCED, clock, first.uri(), second.uri(), third.uri());
			List<PeerInstance> instances = registry.getInstances();
			// Each instance beats once a second for ten seconds, the third then falls silent.
			for (int i = 0; i < 10; i++) {
				clock.advance(Duration.ofSeconds(1));
				instances.forEach((instance) -> instance.heartbeat(HeartbeatKind.ACTIVE));
			}
			try (PeerRestClients clients = clients(registry, Set.of())) {
				for (int i = 0; i < 60; i++) {
					clients.get("payment-service").get().uri("/pay").retrieve().toBodilessEntity();
				}
				assertThat(List.of(first.requests(), second.requests(), third.requests()))
					.allSatisfy((count) -> assertThat(count).isBetween(5, 40));

				for (int i = 0; i < 10; i++) {
					clock.advance(Duration.ofSeconds(1));
					instances.subList(0, 2).forEach((instance) -> instance.heartbeat(HeartbeatKind.ACTIVE));
				}
				assertThat(instances.get(2).isAvailable()).isFalse();
				int thirdBefore = third.requests();
				for (int i = 0; i < 30; i++) {
					clients.get("payment-service").get().uri("/pay").retrieve().toBodilessEntity();
				}
				assertThat(third.requests()).isEqualTo(thirdBefore);
				assertThat(first.requests() + second.requests() + third.requests()).isEqualTo(90);
				assertThat(instances).extracting(PeerInstance::requestsSent)
					.containsExactly((long) first.requests(), (long) second.requests(), (long) third.requests());
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

	// Short timeouts, so the hung and unanswered instances fail fast.
	private static PeerRestClients clients(PeerRegistry registry, Set<Resend.Condition> idempotentResends) {
		SimpleClientHttpRequestFactory factory = new SimpleClientHttpRequestFactory();
		factory.setConnectTimeout(Duration.ofMillis(300));
		factory.setReadTimeout(Duration.ofMillis(500));
		return new PeerRestClients(registry, RestClient::builder, (peer) -> factory,
				(peer) -> Resend.idempotentAlsoOn(idempotentResends));
	}

	private static PeerRegistry registry(URI... uris) {
		return registry(Routing.FAILOVER, MonotonicClock.SYSTEM, uris);
	}

	private static PeerRegistry registry(Routing routing, MonotonicClock clock, URI... uris) {
		HeartbeatSettings settings = new HeartbeatSettings("/health", Duration.ofSeconds(1), Duration.ofMillis(500),
				HeartbeatMode.PASSIVE);
		List<PeerInstance> instances = new ArrayList<>();
		for (int i = 0; i < uris.length; i++) {
			instances.add(new PeerInstance("payment-service", (i == 0) ? "primary" : "standby-" + i, uris[i], settings,
					new PhiAccrualFailureDetector(PhiAccrualSettings.DEFAULTS, clock), clock,
					new LocalPauseWatch(Duration.ofMillis(100), Duration.ofMillis(500))));
		}
		return new PeerRegistry(List.of(new Peer("payment-service", instances, false, routing)));
	}

}
