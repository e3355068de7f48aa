package dev.faultline.peer;

import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.faultline.detector.ManualClock;
import dev.faultline.detector.PhiAccrualFailureDetector;
import dev.faultline.detector.PhiAccrualSettings;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PeerTests {

	private final ManualClock clock = new ManualClock();

	private final LocalPauseWatch pauseWatch = new LocalPauseWatch(Duration.ofMillis(100), Duration.ofMillis(500));

	private final PeerInstance primary = instance("primary", 8081);

	private final PeerInstance standby = instance("standby-1", 8082);

	private final PeerInstance secondStandby = instance("standby-2", 8083);

	@Test
	void primaryAvailableIsActive() {
		Peer peer = new Peer("payment", List.of(this.primary, this.standby));
		beat(this.primary, this.standby);

		assertThat(peer.activeInstance()).isSameAs(this.primary);
		assertThat(peer.isActive(this.primary)).isTrue();
	}

	@Test
	void primarySuspectedFailsOverToTheFirstAvailableStandby() {
		Peer peer = new Peer("payment", List.of(this.primary, this.standby, this.secondStandby));
		silenceOf(this.primary, this.standby);

		assertThat(peer.activeInstance()).isSameAs(this.secondStandby);
		// Suspected only when every instance is: one standby left is enough.
		assertThat(peer.isAvailable()).isTrue();
		assertThat(peer.failoverOrder()).containsExactly(this.secondStandby, this.primary, this.standby);
	}

	@Test
	void recoveredPrimaryDoesNotTakeTrafficBackWithoutFailback() {
		Peer peer = new Peer("payment", List.of(this.primary, this.standby));
		silenceOf(this.primary);
		assertThat(peer.activeInstance()).isSameAs(this.standby);

		beat(this.primary, this.standby);

		assertThat(peer.activeInstance()).isSameAs(this.standby);
		assertThat(peer.failoverOrder()).containsExactly(this.standby, this.primary);
	}

	@Test
	void recoveredPrimaryTakesTrafficBackWithFailback() {
		Peer peer = new Peer("payment", List.of(this.primary, this.standby), true);
		silenceOf(this.primary);
		assertThat(peer.activeInstance()).isSameAs(this.standby);

		beat(this.primary, this.standby);

		assertThat(peer.activeInstance()).isSameAs(this.primary);
	}

	@Test
	void everyInstanceSuspectedKeepsTheActiveOneAndThePeerIsSuspected() {
		Peer peer = new Peer("payment", List.of(this.primary, this.standby));
		silenceOf(this.primary, this.standby);

		assertThat(peer.activeInstance()).isSameAs(this.primary);
		assertThat(peer.isAvailable()).isFalse();
	}

	@Test
	void balancedRequestGoesToTheLessLoadedOfTwoInstances() {
		Peer peer = new Peer("payment", List.of(this.primary, this.standby), false, Routing.BALANCED);
		beat(this.primary, this.standby);
		this.primary.requestStarted();

		for (int i = 0; i < 50; i++) {
			assertThat(peer.requestOrder()).containsExactly(this.standby, this.primary);
		}
		assertThat(peer.isActive(this.primary)).isTrue();
		assertThat(peer.isActive(this.standby)).isTrue();
	}

	@Test
	void balancedRequestsSpreadOverEveryAvailableInstance() {
		Peer peer = new Peer("payment", List.of(this.primary, this.standby, this.secondStandby), false,
				Routing.BALANCED);
		beat(this.primary, this.standby, this.secondStandby);
		Map<PeerInstance, Integer> first = new HashMap<>();

		for (int i = 0; i < 300; i++) {
			first.merge(peer.requestOrder().get(0), 1, Integer::sum);
		}

		// Equal load: each instance is first about a third of the time.
		assertThat(first).containsOnlyKeys(this.primary, this.standby, this.secondStandby);
		assertThat(first.values()).allSatisfy((count) -> assertThat(count).isBetween(50, 150));
	}

	@Test
	void balancedRequestNeverGoesFirstToTheMostLoadedOfThree() {
		Peer peer = new Peer("payment", List.of(this.primary, this.standby, this.secondStandby), false,
				Routing.BALANCED);
		beat(this.primary, this.standby, this.secondStandby);
		for (int i = 0; i < 5; i++) {
			this.standby.requestStarted();
		}

		for (int i = 0; i < 100; i++) {
			assertThat(peer.requestOrder().get(0)).isNotSameAs(this.standby);
		}
	}

	@Test
	void balancedRequestGoesToASuspectedInstanceOnlyAfterTheAvailableOnes() {
		Peer peer = new Peer("payment", List.of(this.primary, this.standby, this.secondStandby), false,
				Routing.BALANCED);
		silenceOf(this.standby);

		for (int i = 0; i < 50; i++) {
			List<PeerInstance> order = peer.requestOrder();
			assertThat(order).hasSize(3).last().isSameAs(this.standby);
		}
		assertThat(peer.isActive(this.standby)).isFalse();
		assertThat(peer.isAvailable()).isTrue();
	}

	@Test
	void balancedPeerWithEveryInstanceSuspectedIsSuspectedAndStillTriesThemAll() {
		Peer peer = new Peer("payment", List.of(this.primary, this.standby), false, Routing.BALANCED);
		silenceOf(this.primary, this.standby);

		assertThat(peer.isAvailable()).isFalse();
		assertThat(peer.requestOrder()).containsExactlyInAnyOrder(this.primary, this.standby);
	}

	@Test
	void resolveKeepsPathAndQueryUnderTheInstancesBaseUrl() {
		PeerInstance withBase = new PeerInstance("payment", "primary", URI.create("http://127.0.0.1:9000/api/"),
				settings(), new PhiAccrualFailureDetector(PhiAccrualSettings.DEFAULTS, this.clock), this.clock,
				this.pauseWatch);

		assertThat(withBase.resolve(URI.create("http://faultline.peer/payments/7?expand=true")))
			.hasToString("http://127.0.0.1:9000/api/payments/7?expand=true");
		assertThat(withBase.resolve(URI.create("payments"))).hasToString("http://127.0.0.1:9000/api/payments");
	}

	// Everyone named keeps beating; the others fall silent long enough to be suspected.
	private void silenceOf(PeerInstance... silent) {
		List<PeerInstance> quiet = List.of(silent);
		for (int i = 0; i < 10; i++) {
			this.clock.advance(Duration.ofSeconds(1));
			for (PeerInstance instance : List.of(this.primary, this.standby, this.secondStandby)) {
				if (!quiet.contains(instance)) {
					instance.heartbeat(HeartbeatKind.ACTIVE);
				}
			}
		}
	}

	private void beat(PeerInstance... instances) {
		this.clock.advance(Duration.ofMillis(500));
		for (PeerInstance instance : instances) {
			instance.heartbeat(HeartbeatKind.ACTIVE);
		}
	}

	private PeerInstance instance(String name, int port) {
		return new PeerInstance("payment", name, URI.create("http://127.0.0.1:" + port), settings(),
				new PhiAccrualFailureDetector(PhiAccrualSettings.DEFAULTS, this.clock), this.clock, this.pauseWatch);
	}

	private static HeartbeatSettings settings() {
		return new HeartbeatSettings("/health", Duration.ofSeconds(1), Duration.ofMillis(500), HeartbeatMode.ACTIVE);
	}

}
