package dev.faultline.autoconfigure;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import dev.faultline.peer.HeartbeatKind;
import dev.faultline.peer.Peer;
import dev.faultline.peer.PeerInstance;
import dev.faultline.peer.PeerRegistry;
import dev.faultline.peer.TestPeerServer;
import dev.faultline.peer.cloud.DiscoveredInstances;
import dev.faultline.peer.http.PeerRestClients;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.cloud.client.discovery.simple.SimpleDiscoveryProperties;
import org.springframework.cloud.client.loadbalancer.LoadBalanced;
import org.springframework.context.annotation.Bean;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A peer whose three instances come from Spring Cloud's simple DiscoveryClient, each a
 * real HTTP server: balanced over the available ones by the ready client and by a
 * {@code @LoadBalanced} RestClient, a stopped one left out until it answers again, one no
 * longer listed dropped with its meters.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "management.endpoints.web.exposure.include=health,faultline",
				"management.endpoint.health.show-details=always", "faultline.peers.payment.discovery.service-id=payment",
				"faultline.peers.payment.routing=balanced", "faultline.peers.payment.heartbeat.interval=200ms",
				"faultline.peers.payment.heartbeat.timeout=100ms", "faultline.monitor.discovery-refresh-interval=200ms" })
@DirtiesContext
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DiscoveredPeersIntegrationTests {

	private static final List<TestPeerServer> replicas = List.of(TestPeerServer.start(), TestPeerServer.start(),
			TestPeerServer.start());

	@Autowired
	private PeerRegistry peers;

	@Autowired
	private PeerRestClients clients;

	@Autowired
	@LoadBalanced
	private RestClient.Builder loadBalanced;

	@Autowired
	private SimpleDiscoveryProperties discovery;

	@Autowired
	private DiscoveredInstances discoveredInstances;

	@Autowired
	private MeterRegistry meters;

	@LocalServerPort
	private int port;

	@DynamicPropertySource
	static void replicas(DynamicPropertyRegistry registry) {
		for (int i = 0; i < replicas.size(); i++) {
			int index = i;
			String key = "spring.cloud.discovery.client.simple.instances.payment[" + i + "]";
			registry.add(key + ".uri", () -> replicas.get(index).uri().toString());
			registry.add(key + ".instance-id", () -> "payment-" + (index + 1));
		}
	}

	@AfterAll
	static void stopReplicas() {
		replicas.forEach(TestPeerServer::close);
	}

	@Test
	@Order(1)
	void everyListedInstanceIsWatchedByItsInstanceIdAndGetsBalancedTraffic() {
		Peer payment = this.peers.find("payment").orElseThrow();
		assertThat(payment.getInstances()).extracting(PeerInstance::getName)
			.containsExactly("payment-1", "payment-2", "payment-3");
		await().atMost(Duration.ofSeconds(10))
			.until(() -> payment.getInstances().stream().allMatch((instance) -> instance.heartbeats(HeartbeatKind.ACTIVE) > 0));
		int[] before = requests();

		for (int i = 0; i < 60; i++) {
			this.clients.get("payment").get().uri("/pay").retrieve().toBodilessEntity();
		}

		int[] after = requests();
		for (int i = 0; i < replicas.size(); i++) {
			assertThat(after[i] - before[i]).as("requests to payment-%d", i + 1).isGreaterThan(5);
		}
		Map<?, ?> health = LocalRestTemplate.on(this.port).getForObject("/actuator/health/peers/payment", Map.class);
		assertThat(((Map<?, ?>) health.get("components")).keySet()).map(String::valueOf).containsOnly("payment-1", "payment-2", "payment-3");
	}

	@Test
	@Order(2)
	void stoppedInstanceGetsNoTrafficFromEitherClientUntilItAnswersAgain() {
		Peer payment = this.peers.find("payment").orElseThrow();
		PeerInstance second = payment.getInstances().get(1);
		RestClient lb = this.loadBalanced.build();
		replicas.get(1).stop();
		await().atMost(Duration.ofSeconds(10)).until(() -> !second.isAvailable());

		long heardBefore = passiveHeartbeatsOf(payment.getInstances().get(0), payment.getInstances().get(2));
		// Every request succeeds: none is sent to the stopped instance, whose connection
		// would be refused.
		for (int i = 0; i < 30; i++) {
			assertThat(this.clients.get("payment").get().uri("/pay").retrieve().toBodilessEntity().getStatusCode()
				.value()).isEqualTo(200);
			assertThat(lb.get().uri("http://payment/pay").retrieve().toBodilessEntity().getStatusCode().value())
				.isEqualTo(200);
		}
		assertThat(payment.isAvailable()).isTrue();
		assertThat(passiveHeartbeatsOf(payment.getInstances().get(0), payment.getInstances().get(2)) - heardBefore)
			.as("responses through both clients are heartbeats")
			.isEqualTo(60);

		replicas.get(1).restart();
		await().atMost(Duration.ofSeconds(10)).until(second::isAvailable);
		int before = replicas.get(1).requests();
		for (int i = 0; i < 60; i++) {
			lb.get().uri("http://payment/pay").retrieve().toBodilessEntity();
		}
		assertThat(replicas.get(1).requests()).isGreaterThan(before);
	}

	@Test
	@Order(3)
	void instanceNoLongerListedIsDroppedWithItsMeters() {
		Peer payment = this.peers.find("payment").orElseThrow();
		assertThat(this.meters.find("faultline.peer.phi").tag("instance", "payment-3").gauge()).isNotNull();
		// Its element type differs between the Spring Cloud lines; the list is the same.
		List<?> listed = this.discovery.getInstances().get("payment");
		listed.remove(2);
		this.discoveredInstances.refresh();

		assertThat(payment.getInstances()).extracting(PeerInstance::getName).containsExactly("payment-1", "payment-2");
		await().atMost(Duration.ofSeconds(5))
			.until(() -> this.meters.find("faultline.peer.phi").tag("instance", "payment-3").gauge() == null);
		assertThat(this.meters.find("faultline.peer.phi").tag("instance", "payment-1").gauge()).isNotNull();
		assertThat(this.peers.instanceFor(URI.create(replicas.get(2).uri() + "/pay"))).isEmpty();
	}

	@Test
	@Order(4)
	void peerThatDiscoveryListsNoInstanceOfIsSuspectedInHealthWithTheServiceId() {
		this.discovery.getInstances().get("payment").clear();
		this.discoveredInstances.refresh();

		Peer payment = this.peers.find("payment").orElseThrow();
		assertThat(payment.isAvailable()).isFalse();
		Map<?, ?> health = LocalRestTemplate.on(this.port).getForObject("/actuator/health/peers/payment", Map.class);
		Map<?, ?> none = (Map<?, ?>) ((Map<?, ?>) health.get("components")).get("no-instance");
		assertThat(none.get("status")).isEqualTo("SUSPECTED");
		assertThat(((Map<?, ?>) none.get("details")).get("serviceId")).isEqualTo("payment");
	}

	private static long passiveHeartbeatsOf(PeerInstance... instances) {
		long heard = 0;
		for (PeerInstance instance : instances) {
			heard += instance.heartbeats(HeartbeatKind.PASSIVE);
		}
		return heard;
	}

	private static int[] requests() {
		return replicas.stream().mapToInt(TestPeerServer::requests).toArray();
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class App {

		@Bean
		@LoadBalanced
		RestClient.Builder loadBalancedRestClientBuilder() {
			return RestClient.builder();
		}

	}

}
