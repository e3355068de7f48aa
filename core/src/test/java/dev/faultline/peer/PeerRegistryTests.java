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
