package dev.faultline.peer.cloud;

import java.net.URI;
import java.time.Duration;
import java.util.List;

import dev.faultline.detector.ManualClock;
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
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;

import org.springframework.cloud.client.DefaultServiceInstance;
import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.loadbalancer.core.ServiceInstanceListSupplier;

import static org.assertj.core.api.Assertions.assertThat;

class SuspectedInstancesFilterTests {

	private final ManualClock clock = new ManualClock();

	private final LocalPauseWatch pauseWatch = new LocalPauseWatch(Duration.ofMillis(100), Duration.ofMillis(500));

	private final PeerInstance first = instance("payment-1", 9001);

	private final PeerInstance second = instance("payment-2", 9002);

	private final PeerRegistry registry = new PeerRegistry(List.of(Peer.discovered("payment", "payment", Routing.BALANCED)));

	private final ServiceInstance firstService = service("payment-1", 9001);

	private final ServiceInstance secondService = service("payment-2", 9002);

	private final ServiceInstance unwatched = service("payment-9", 9009);

	private final SuspectedInstancesFilter filter = new SuspectedInstancesFilter(new FixedList(), this.registry);

	SuspectedInstancesFilterTests() {
		this.registry.update("payment", List.of(this.first, this.second));
	}

	@Test
	void suspectedInstanceIsLeftOutAndOthersPass() {
		beat(10, this.first, this.second);
		beat(10, this.first);
		assertThat(this.second.isAvailable()).isFalse();

		assertThat(this.filter.get().blockFirst()).containsExactly(this.firstService, this.unwatched);
	}

	@Test
	void availableInstancesAllPass() {
		beat(10, this.first, this.second);

		assertThat(this.filter.get().blockFirst()).containsExactly(this.firstService, this.secondService, this.unwatched);
	}

	@Test
	void everyWatchedInstanceSuspectedLeavesNoneOut() {
		beat(10, this.first, this.second);
		beat(10);
		assertThat(this.first.isAvailable()).isFalse();
		assertThat(this.second.isAvailable()).isFalse();

		assertThat(this.filter.get().blockFirst()).containsExactly(this.firstService, this.secondService, this.unwatched);
	}

	// Each second for the given seconds, the named instances beat and the others are silent.
	private void beat(int seconds, PeerInstance... beating) {
		for (int i = 0; i < seconds; i++) {
			this.clock.advance(Duration.ofSeconds(1));
			for (PeerInstance instance : beating) {
				instance.heartbeat(HeartbeatKind.ACTIVE);
			}
		}
	}

	private PeerInstance instance(String name, int port) {
		return new PeerInstance("payment", name, URI.create("http://127.0.0.1:" + port),
				new HeartbeatSettings("/health", Duration.ofSeconds(1), Duration.ofMillis(500), HeartbeatMode.ACTIVE),
				new PhiAccrualFailureDetector(PhiAccrualSettings.DEFAULTS, this.clock), this.clock, this.pauseWatch);
	}

	private static ServiceInstance service(String id, int port) {
		return new DefaultServiceInstance(id, "payment", "127.0.0.1", port, false);
	}

	private final class FixedList implements ServiceInstanceListSupplier {

		@Override
		public String getServiceId() {
			return "payment";
		}

		@Override
		public Flux<List<ServiceInstance>> get() {
			return Flux.just(List.of(SuspectedInstancesFilterTests.this.firstService,
					SuspectedInstancesFilterTests.this.secondService, SuspectedInstancesFilterTests.this.unwatched));
		}

	}

}
