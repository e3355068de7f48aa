package dev.faultline.peer;

import java.net.URI;
import java.time.Duration;
import java.util.Set;

import dev.faultline.detector.AdaptiveFailureDetector;
import dev.faultline.detector.AdaptiveSettings;
import dev.faultline.detector.FailureDetector;
import dev.faultline.detector.ManualClock;
import dev.faultline.detector.PhiAccrualFailureDetector;
import dev.faultline.detector.PhiAccrualSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

@ExtendWith(OutputCaptureExtension.class)
class PeerInstanceTests {

	private static final Duration TICK = Duration.ofMillis(100);

	private final ManualClock clock = new ManualClock();

	private final LocalPauseWatch pauseWatch = new LocalPauseWatch(TICK, Duration.ofMillis(500));

	@Test
	void burstOfTrafficThenOrdinaryGapIsNotSuspected() {
		PeerInstance instance = instance(HeartbeatMode.HYBRID);
		for (int i = 0; i < 30; i++) {
			this.clock.advance(Duration.ofSeconds(1));
			instance.heartbeat(HeartbeatKind.ACTIVE);
		}
		for (int i = 0; i < 500; i++) {
			this.clock.advance(Duration.ofMillis(10));
			instance.heartbeat(HeartbeatKind.PASSIVE);
		}
		this.clock.advance(Duration.ofSeconds(2));

		assertThat(instance.isAvailable()).isTrue();
		assertThat(instance.snapshot().meanInterval().toMillis()).isCloseTo(1000, within(60L));
	}

	@Test
	void detectorFedEveryResponseAsSampleSuspectsAfterTheSameGap() {
		// The counterpart of the test above: what happens without the cadence rule.
		FailureDetector detector = new PhiAccrualFailureDetector(PhiAccrualSettings.DEFAULTS, this.clock);
		for (int i = 0; i < 30; i++) {
			this.clock.advance(Duration.ofSeconds(1));
			detector.heartbeat();
		}
		for (int i = 0; i < 500; i++) {
			this.clock.advance(Duration.ofMillis(10));
			detector.heartbeat();
		}
		this.clock.advance(Duration.ofSeconds(2));

		assertThat(detector.isAvailable()).isFalse();
	}

	@Test
	void passiveHeartbeatsFeedTheWindowAtMostOncePerInterval() {
		PeerInstance instance = instance(HeartbeatMode.PASSIVE);
		int before = instance.snapshot().sampleCount();
		for (int i = 0; i < 500; i++) {
			this.clock.advance(Duration.ofMillis(10));
			instance.heartbeat(HeartbeatKind.PASSIVE);
		}

		assertThat(instance.snapshot().sampleCount() - before).isEqualTo(5);
		assertThat(instance.heartbeats(HeartbeatKind.PASSIVE)).isEqualTo(500);
	}

	@Test
	void passiveHeartbeatRestartsTheSilence() {
		PeerInstance instance = instance(HeartbeatMode.PASSIVE);
		this.clock.advance(Duration.ofMillis(2400));
		instance.heartbeat(HeartbeatKind.PASSIVE);
		this.clock.advance(Duration.ofMillis(300));

		assertThat(instance.snapshot().sinceLastHeartbeat()).isEqualTo(Duration.ofMillis(300));
	}

	@Test
	void hybridWhenTrafficAnsweredWithinIntervalSendsNoProbe() {
		PeerInstance instance = instance(HeartbeatMode.HYBRID);
		assertThat(instance.startProbeIfDue(this.clock.nanoTime())).isTrue();
		instance.probeFinished();
		for (int i = 0; i < 10; i++) {
			this.clock.advance(Duration.ofMillis(500));
			instance.heartbeat(HeartbeatKind.PASSIVE);
			assertThat(instance.startProbeIfDue(this.clock.nanoTime())).isFalse();
		}
		this.clock.advance(Duration.ofMillis(1000));

		assertThat(instance.startProbeIfDue(this.clock.nanoTime())).isTrue();
	}

	@Test
	void activeProbesEveryIntervalWhateverTheTraffic() {
		PeerInstance instance = instance(HeartbeatMode.ACTIVE);
		int probes = 0;
		for (int i = 0; i < 50; i++) {
			instance.heartbeat(HeartbeatKind.PASSIVE);
			if (instance.startProbeIfDue(this.clock.nanoTime())) {
				probes++;
				instance.probeFinished();
			}
			this.clock.advance(Duration.ofMillis(100));
		}

		assertThat(probes).isEqualTo(5);
	}

	@Test
	void passiveDoesNotProbeWhileTheInstanceIsAvailable() {
		PeerInstance instance = instance(HeartbeatMode.PASSIVE);
		this.clock.advance(Duration.ofMillis(500));

		assertThat(instance.startProbeIfDue(this.clock.nanoTime())).isFalse();
	}

	@Test
	void passiveProbesWhileTheInstanceIsSuspectedSoItCanBeProvenBack() {
		PeerInstance instance = instance(HeartbeatMode.PASSIVE);
		this.clock.advance(Duration.ofSeconds(10));
		assertThat(instance.getDetector().isAvailable()).isFalse();

		assertThat(instance.startProbeIfDue(this.clock.nanoTime())).isTrue();
		instance.probeFinished();
		instance.probed(ProbeResult.answered(200));
		this.clock.advance(Duration.ofSeconds(1));

		assertThat(instance.getDetector().isAvailable()).isTrue();
		assertThat(instance.startProbeIfDue(this.clock.nanoTime())).isFalse();
	}

	@Test
	void probeAnswerRightAfterASampledResponseIsNotLearnedAsAnInterval() {
		PeerInstance instance = instance(HeartbeatMode.ACTIVE);
		for (int i = 0; i < 30; i++) {
			this.clock.advance(Duration.ofSeconds(1));
			instance.heartbeat(HeartbeatKind.ACTIVE);
		}
		for (int i = 0; i < 30; i++) {
			// a response on the cadence is learned; the probe's answer 10 ms later must not be
			this.clock.advance(Duration.ofMillis(1000));
			instance.heartbeat(HeartbeatKind.PASSIVE);
			this.clock.advance(Duration.ofMillis(10));
			instance.heartbeat(HeartbeatKind.ACTIVE);
		}

		assertThat(instance.snapshot().meanInterval().toMillis()).isCloseTo(1000, within(30L));
	}

	@Test
	void probeAnswersAtTheCadenceWithLatencyJitterAreAllLearned() {
		PeerInstance instance = instance(HeartbeatMode.ACTIVE);
		int before = instance.snapshot().sampleCount();
		for (int i = 0; i < 40; i++) {
			// probes leave a second apart; answers take 5 or 45 ms, so some come 960 ms apart
			this.clock.advance(Duration.ofMillis((i % 2 == 0) ? 1040 : 960));
			instance.heartbeat(HeartbeatKind.ACTIVE);
		}

		assertThat(instance.snapshot().sampleCount() - before).isEqualTo(40);
		assertThat(instance.snapshot().meanInterval().toMillis()).isCloseTo(1000, within(30L));
	}

	@Test
	void probeAnswerThatIsNoHealthAnswerIsAHeartbeatAndWarnsOnceWithTheKeyToSet(CapturedOutput output) {
		PeerInstance instance = instance(HeartbeatMode.ACTIVE);
		for (int status : new int[] { 404, 404, 401, 403, 405, 302 }) {
			instance.probed(ProbeResult.answered(status));
		}

		assertThat(instance.heartbeats(HeartbeatKind.ACTIVE)).isEqualTo(6);
		assertThat(instance.failedProbes()).isZero();
		assertThat(instance.lastProbe()).hasToString("HTTP 302");
		assertThat(output.getOut().lines().filter((line) -> line.contains("WARN"))).singleElement()
			.asString()
			.contains("answered HTTP 404", "http://127.0.0.1:8081/health", "faultline.peers.payment.heartbeat.path");
	}

	@Test
	void probeAnswerThatSaysDownOrComesFromAGatewayOrNeverComesIsNoHeartbeat(CapturedOutput output) {
		PeerInstance instance = instance(HeartbeatMode.ACTIVE);
		instance.probed(ProbeResult.answered(503));
		instance.probed(ProbeResult.answered(500));
		instance.probed(ProbeResult.answered(502));
		instance.probed(ProbeResult.answered(504));
		instance.probed(ProbeResult.noAnswer("connection refused"));

		assertThat(instance.heartbeats(HeartbeatKind.ACTIVE)).isZero();
		assertThat(instance.failedProbes()).isEqualTo(5);
		assertThat(instance.lastProbe()).hasToString("connection refused");
		assertThat(output.getOut()).doesNotContain("WARN");
	}

	@Test
	void responseWithAGatewayStatusIsNoPassiveHeartbeatAndAnyOtherIs() {
		PeerInstance instance = instance(HeartbeatMode.PASSIVE);
		for (int status : new int[] { 502, 503, 504 }) {
			instance.responded(status);
		}
		assertThat(instance.heartbeats(HeartbeatKind.PASSIVE)).isZero();

		for (int status : new int[] { 200, 404, 500, 429 }) {
			instance.responded(status);
		}
		assertThat(instance.heartbeats(HeartbeatKind.PASSIVE)).isEqualTo(4);
	}

	@Test
	void gapsFilledWithAnswersThatAreNoHeartbeatsAreNotLearned() {
		// half the answers 503: the gaps they leave are the peer saying it is unwell, and
		// learned they would make every later detection slow for hours
		PeerInstance instance = instance(HeartbeatMode.HYBRID);
		for (int i = 0; i < 30; i++) {
			this.clock.advance(Duration.ofSeconds(1));
			instance.heartbeat(HeartbeatKind.ACTIVE);
		}
		for (int i = 0; i < 30; i++) {
			this.clock.advance(Duration.ofSeconds(1));
			instance.responded(503);
			instance.probed(ProbeResult.answered(503));
			this.clock.advance(Duration.ofSeconds(2));
			instance.responded(201);
		}
		for (int i = 0; i < 10; i++) {
			this.clock.advance(Duration.ofSeconds(1));
			instance.heartbeat(HeartbeatKind.ACTIVE);
		}

		assertThat(instance.snapshot().meanInterval().toMillis()).isCloseTo(1000, within(30L));
		assertThat(instance.isAvailable()).isTrue();
	}

	@Test
	void normalIntervalWithOneAnswerThatIsNoHeartbeatIsLearnedAsUsual() {
		// a peer shedding a little load answers 503 now and then: its timing is still learned
		PeerInstance instance = instance(HeartbeatMode.HYBRID);
		int before = instance.snapshot().sampleCount();
		for (int i = 0; i < 30; i++) {
			this.clock.advance(Duration.ofMillis(500));
			instance.responded(503);
			this.clock.advance(Duration.ofMillis(500));
			instance.responded(200);
		}

		assertThat(instance.snapshot().sampleCount() - before).isEqualTo(30);
	}

	@Test
	void heartbeatWhoseGapHoldsAStallOfThisServiceIsNotLearnedSoLaterDetectionsStayQuick() {
		PeerInstance stalled = instance(HeartbeatMode.HYBRID);
		for (int i = 0; i < 30; i++) {
			tickFor(Duration.ofSeconds(1));
			stalled.heartbeat(HeartbeatKind.ACTIVE);
		}
		// This service stalls for 2.5 s: its monitor ticks late, and the first heartbeat it
		// takes in after the stall spans it.
		this.clock.advance(Duration.ofMillis(2500));
		this.pauseWatch.tick(this.clock.nanoTime());
		stalled.heartbeat(HeartbeatKind.ACTIVE);
		for (int i = 0; i < 30; i++) {
			tickFor(Duration.ofSeconds(1));
			stalled.heartbeat(HeartbeatKind.ACTIVE);
		}

		// Only the peer's own one-second intervals are learned: learned, the 2.5 s gap
		// would raise the mean by about 40 ms and the spread above its floor.
		assertThat(stalled.snapshot().meanInterval().toMillis()).isEqualTo(1000);
		assertThat(stalled.snapshot().stdDeviation()).isEqualTo(PhiAccrualSettings.DEFAULTS.minStdDeviation());
	}

	@Test
	void idlePassivePeerProvenBackByProbesLearnsNothingFromItsIdleness() {
		PeerInstance idle = new PeerInstance("payment", "primary", URI.create("http://127.0.0.1:8081"),
				settings(HeartbeatMode.PASSIVE), new AdaptiveFailureDetector(AdaptiveSettings.DEFAULTS, this.clock),
				this.clock, this.pauseWatch);
		// a minute without traffic: suspected, probed, back, suspected again, ...
		for (int i = 0; i < 600; i++) {
			this.clock.advance(TICK);
			if (idle.startProbeIfDue(this.clock.nanoTime())) {
				idle.probeFinished();
				idle.probed(ProbeResult.answered(200));
			}
		}
		PeerInstance busy = new PeerInstance("payment", "primary", URI.create("http://127.0.0.1:8081"),
				settings(HeartbeatMode.PASSIVE), new AdaptiveFailureDetector(AdaptiveSettings.DEFAULTS, this.clock),
				this.clock, this.pauseWatch);
		for (int i = 0; i < 120; i++) {
			this.clock.advance(Duration.ofSeconds(1));
			idle.responded(200);
			busy.responded(200);
		}

		// the first response after the idle minute still spans the end of it (passive mode
		// learns the traffic's own cadence), but none of the probes' silences is learned
		Duration busyTimeout = ((AdaptiveFailureDetector) busy.getDetector()).suspicionTimeout();
		assertThat(((AdaptiveFailureDetector) idle.getDetector()).suspicionTimeout())
			.isLessThanOrEqualTo(busyTimeout.multipliedBy(5).dividedBy(4));
	}

	@Test
	void gatewayStatusesAreTheConfiguredOnes() {
		PeerInstance instance = new PeerInstance("payment", "primary", URI.create("http://127.0.0.1:8081"),
				new HeartbeatSettings("/health", Duration.ofSeconds(1), Duration.ofMillis(500), HeartbeatMode.PASSIVE,
						Set.of(429)),
				new PhiAccrualFailureDetector(PhiAccrualSettings.DEFAULTS, this.clock), this.clock, this.pauseWatch);
		instance.responded(429);
		instance.responded(503);

		assertThat(instance.heartbeats(HeartbeatKind.PASSIVE)).isEqualTo(1);
	}

	@Test
	void probeStillInFlightIsNotSentTwice() {
		PeerInstance instance = instance(HeartbeatMode.ACTIVE);
		assertThat(instance.startProbeIfDue(this.clock.nanoTime())).isTrue();
		this.clock.advance(Duration.ofSeconds(1));

		assertThat(instance.startProbeIfDue(this.clock.nanoTime())).isFalse();
	}

	@Test
	void probeWhoseAnswerAStoppedMonitorDroppedDoesNotBlockProbesAfterARestart() {
		PeerInstance instance = instance(HeartbeatMode.ACTIVE);
		assertThat(instance.startProbeIfDue(this.clock.nanoTime())).isTrue();
		// the monitor stops before the answer is handled, then starts again
		instance.startWatching();

		assertThat(instance.startProbeIfDue(this.clock.nanoTime())).isTrue();
	}

	@Test
	void silenceWithMonitorTickingIsConvicted() {
		PeerInstance instance = instance(HeartbeatMode.ACTIVE);
		instance.heartbeat(HeartbeatKind.ACTIVE);
		tickFor(Duration.ofSeconds(5));

		assertThat(instance.isAvailable()).isFalse();
	}

	@Test
	void localPauseHoldsConvictionsUntilThePeerHadAFreshChance() {
		PeerInstance instance = instance(HeartbeatMode.ACTIVE);
		instance.heartbeat(HeartbeatKind.ACTIVE);
		this.pauseWatch.tick(this.clock.nanoTime());
		this.clock.advance(Duration.ofSeconds(5));
		assertThat(instance.getDetector().isAvailable()).isFalse();

		this.pauseWatch.tick(this.clock.nanoTime());
		assertThat(instance.isAvailable()).isTrue();
		tickFor(Duration.ofMillis(1400));
		assertThat(instance.isAvailable()).isTrue();
		tickFor(Duration.ofMillis(200));

		assertThat(instance.isAvailable()).isFalse();
	}

	@Test
	void localPauseThenAnswerWithinGraceStaysAvailable() {
		PeerInstance instance = instance(HeartbeatMode.ACTIVE);
		this.pauseWatch.tick(this.clock.nanoTime());
		this.clock.advance(Duration.ofSeconds(5));
		this.pauseWatch.tick(this.clock.nanoTime());
		tickFor(Duration.ofMillis(300));
		instance.heartbeat(HeartbeatKind.ACTIVE);
		tickFor(Duration.ofSeconds(2));

		assertThat(instance.isAvailable()).isTrue();
	}

	@Test
	void monitorLateRightNowHoldsConvictions() {
		PeerInstance instance = instance(HeartbeatMode.ACTIVE);
		this.pauseWatch.tick(this.clock.nanoTime());
		this.clock.advance(Duration.ofSeconds(5));

		assertThat(instance.getDetector().isAvailable()).isFalse();
		assertThat(instance.isAvailable()).isTrue();
	}

	@Test
	void displayUriDropsUserInfoQueryAndFragmentAndProbeUriAppendsPath() {
		PeerInstance instance = new PeerInstance("payment", "primary",
				URI.create("https://user:secret@pay.example:8443/api?token=abc#top"), settings(HeartbeatMode.ACTIVE),
				new PhiAccrualFailureDetector(PhiAccrualSettings.DEFAULTS, this.clock), this.clock, this.pauseWatch);

		assertThat(instance.displayUri()).isEqualTo("https://pay.example:8443/api");
		assertThat(instance.probeUri()).hasToString("https://user:secret@pay.example:8443/api/health");
	}

	private void tickFor(Duration duration) {
		long ticks = duration.dividedBy(TICK);
		for (long i = 0; i < ticks; i++) {
			this.clock.advance(TICK);
			this.pauseWatch.tick(this.clock.nanoTime());
		}
	}

	private PeerInstance instance(HeartbeatMode mode) {
		return new PeerInstance("payment", "primary", URI.create("http://127.0.0.1:8081"), settings(mode),
				new PhiAccrualFailureDetector(PhiAccrualSettings.DEFAULTS, this.clock), this.clock, this.pauseWatch);
	}

	private static HeartbeatSettings settings(HeartbeatMode mode) {
		return new HeartbeatSettings("/health", Duration.ofSeconds(1), Duration.ofMillis(500), mode);
	}

}
