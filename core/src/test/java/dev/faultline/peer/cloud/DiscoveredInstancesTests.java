package dev.faultline.peer.cloud;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import dev.faultline.detector.ManualClock;
import dev.faultline.detector.PhiAccrualFailureDetector;
import dev.faultline.detector.PhiAccrualSettings;
import dev.faultline.peer.HeartbeatMode;
import dev.faultline.peer.HeartbeatSettings;
import dev.faultline.peer.LocalPauseWatch;
import dev.faultline.peer.Peer;
import dev.faultline.peer.PeerInstance;
import dev.faultline.peer.PeerRegistry;
import dev.faultline.peer.Routing;
import org.junit.jupiter.api.Test;

import org.springframework.cloud.client.DefaultServiceInstance;
import org.springframework.cloud.client.ServiceInstance;

import static org.assertj.core.api.Assertions.assertThat;

class DiscoveredInstancesTests {

	private final ManualClock clock = new ManualClock();

	private final LocalPauseWatch pauseWatch = new LocalPauseWatch(Duration.ofMillis(100), Duration.ofMillis(500));

	private final PeerRegistry registry = new PeerRegistry(List.of(Peer.discovered("payment", "payment-svc", Routing.BALANCED)));

	private final AtomicReference<Object> listed = new AtomicReference<>(List.of());

	private final List<PeerInstance> created = new ArrayList<>();

	@SuppressWarnings("unchecked")
	private final DiscoveredInstances discovered = new DiscoveredInstances(this.registry, (serviceId) -> {
		assertThat(serviceId).isEqualTo("payment-svc");
		Object now = this.listed.get();
		if (now instanceof RuntimeException failure) {
			throw failure;
		}
		return (List<ServiceInstance>) now;
	}, (peer, name, uri) -> {
		PeerInstance instance = new PeerInstance(peer.getName(), name, uri,
				new HeartbeatSettings("/health", Duration.ofSeconds(1), Duration.ofMillis(500), HeartbeatMode.ACTIVE),
				new PhiAccrualFailureDetector(PhiAccrualSettings.DEFAULTS, this.clock), this.clock, this.pauseWatch);
		this.created.add(instance);
		return instance;
	}, Duration.ofSeconds(5));

	@Test
	void listedInstancesBecomeThePeersNamedByInstanceIdOrHostAndPort() {
		this.listed.set(List.of(service("p-1", 9001), service(null, 9002)));

		this.discovered.refresh();

		assertThat(peer().getInstances()).extracting(PeerInstance::getName).containsExactly("p-1", "127.0.0.1:9002");
		assertThat(peer().getInstances()).extracting(PeerInstance::getUri)
			.containsExactly(URI.create("http://127.0.0.1:9001"), URI.create("http://127.0.0.1:9002"));
	}

	@Test
	void instanceStillListedKeepsItsDetectorAndOneAtANewAddressGetsANewOne() {
		this.listed.set(List.of(service("p-1", 9001), service("p-2", 9002)));
		this.discovered.refresh();
		PeerInstance first = peer().getInstances().get(0);
		PeerInstance second = peer().getInstances().get(1);

		this.listed.set(List.of(service("p-1", 9001), service("p-2", 9102)));
		this.discovered.refresh();

		assertThat(peer().getInstances().get(0)).isSameAs(first);
		assertThat(peer().getInstances().get(1)).isNotSameAs(second).extracting(PeerInstance::getUri)
			.isEqualTo(URI.create("http://127.0.0.1:9102"));
		assertThat(this.created).hasSize(3);
	}

	@Test
	void unchangedListingChangesNothing() {
		this.listed.set(List.of(service("p-1", 9001)));
		this.discovered.refresh();
		List<PeerInstance> before = this.registry.getInstances();

		this.discovered.refresh();

		assertThat(this.registry.getInstances()).isSameAs(before);
	}

	@Test
	void failingDiscoveryLeavesTheInstancesAsTheyWere() {
		this.listed.set(List.of(service("p-1", 9001)));
		this.discovered.refresh();
		List<PeerInstance> before = peer().getInstances();

		this.listed.set(new IllegalStateException("registry unreachable"));
		this.discovered.refresh();

		assertThat(peer().getInstances()).isEqualTo(before);
	}

	@Test
	void emptyListingLeavesThePeerWithoutInstancesAndSuspected() {
		this.listed.set(List.of(service("p-1", 9001)));
		this.discovered.refresh();

		this.listed.set(List.of());
		this.discovered.refresh();

		assertThat(peer().getInstances()).isEmpty();
		assertThat(peer().isAvailable()).isFalse();
	}

	private Peer peer() {
		return this.registry.find("payment").orElseThrow();
	}

	private static ServiceInstance service(String id, int port) {
		return new DefaultServiceInstance(id, "payment-svc", "127.0.0.1", port, false);
	}

}
