package dev.faultline.peer;

import java.net.URI;
import java.time.Duration;
import java.util.List;

import dev.faultline.detector.MonotonicClock;
import dev.faultline.detector.PhiAccrualFailureDetector;
import dev.faultline.detector.PhiAccrualSettings;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

class PeerRegistryTests {

	private final LocalPauseWatch pauseWatch = new LocalPauseWatch(Duration.ofMillis(100), Duration.ofMillis(500));

	private final PeerInstance payment = instance("payment", "primary", "http://127.0.0.1:8081");

	private final PeerInstance paymentStandby = instance("payment", "standby-1", "http://127.0.0.1:8082");

	private final PeerInstance stock = instance("stock", "primary", "http://Stock.Example/api/");

	private final PeerRegistry registry = new PeerRegistry(
			List.of(new Peer("payment", List.of(this.payment, this.paymentStandby)), new Peer("stock", List.of(this.stock))));

	@Test
	void instanceForRequestToInstanceOriginFindsIt() {
		assertThat(this.registry.instanceFor(URI.create("http://127.0.0.1:8081/payments/42?x=1"))).contains(this.payment);
		assertThat(this.registry.instanceFor(URI.create("http://127.0.0.1:8082/payments"))).contains(this.paymentStandby);
	}

	@Test
	void instanceForRequestMatchesDefaultPortAndHostCaseAndBasePath() {
		assertThat(this.registry.instanceFor(URI.create("http://stock.example:80/api/items"))).contains(this.stock);
		assertThat(this.registry.instanceFor(URI.create("http://stock.example/api"))).contains(this.stock);
	}

	@Test
	void updateOfADiscoveredPeerReplacesItsInstancesAndTheirLookup() {
		PeerInstance first = instance("inventory", "i-1", "http://127.0.0.1:9001");
		PeerInstance second = instance("inventory", "i-2", "http://127.0.0.1:9002");
		PeerRegistry registry = new PeerRegistry(
				List.of(new Peer("payment", List.of(this.payment)), Peer.discovered("inventory", "inventory", Routing.BALANCED)));
		List<PeerInstance> before = registry.getInstances();

		registry.update("inventory", List.of(first, second));
		assertThat(registry.getInstances()).isNotSameAs(before).containsExactly(this.payment, first, second);
		assertThat(registry.instanceFor(URI.create("http://127.0.0.1:9002/items"))).contains(second);

		registry.update("inventory", List.of(second));
		assertThat(registry.getInstances()).containsExactly(this.payment, second);
		assertThat(registry.instanceFor(URI.create("http://127.0.0.1:9001/items"))).isEmpty();
		assertThat(registry.find("inventory")).get().satisfies((peer) -> {
			assertThat(peer.getInstances()).containsExactly(second);
			assertThat(peer.isDiscovered()).isTrue();
		});
	}

	@Test
	void discoveredPeerWithoutInstancesIsSuspectedAndHasNoneToTry() {
		Peer inventory = Peer.discovered("inventory", "inventory", Routing.FAILOVER);

		assertThat(inventory.isAvailable()).isFalse();
		assertThat(inventory.requestOrder()).isEmpty();
		assertThat(inventory.activeInstance()).isNull();
	}

	@Test
	void updateOfAPeerWithConfiguredInstancesIsRefused() {
		assertThatIllegalStateException().isThrownBy(() -> this.registry.update("payment", List.of(this.payment)))
			.withMessageContaining("configured instances");
	}

	@Test
	void instanceForRequestOutsideEveryPeerFindsNothing() {
		assertThat(this.registry.instanceFor(URI.create("http://127.0.0.1:9999/payments"))).isEmpty();
		assertThat(this.registry.instanceFor(URI.create("https://127.0.0.1:8081/payments"))).isEmpty();
		assertThat(this.registry.instanceFor(URI.create("http://stock.example/apis"))).isEmpty();
		assertThat(this.registry.instanceFor(URI.create("/relative"))).isEmpty();
	}

	@Test
	void registryListsEveryInstanceOfEveryPeerInOrder() {
		assertThat(this.registry.getInstances()).containsExactly(this.payment, this.paymentStandby, this.stock);
		assertThat(this.registry.getPeers()).containsOnlyKeys("payment", "stock");
	}

	@Test
	void peerDeclaredTwiceIsRejected() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new PeerRegistry(
					List.of(new Peer("stock", List.of(this.stock)), new Peer("stock", List.of(this.stock)))))
			.withMessageContaining("'stock'");
	}

	private PeerInstance instance(String peer, String name, String uri) {
		HeartbeatSettings settings = new HeartbeatSettings("/health", Duration.ofSeconds(1), Duration.ofMillis(500),
				HeartbeatMode.HYBRID);
		return new PeerInstance(peer, name, URI.create(uri), settings,
				new PhiAccrualFailureDetector(PhiAccrualSettings.DEFAULTS, MonotonicClock.SYSTEM), MonotonicClock.SYSTEM,
				this.pauseWatch);
	}

}
