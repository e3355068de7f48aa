package dev.faultline.peer;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

import dev.faultline.detector.ManualClock;
import dev.faultline.detector.PhiAccrualFailureDetector;
import dev.faultline.detector.PhiAccrualSettings;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class HeartbeatMonitorTests {

	private static final Duration TICK = Duration.ofMillis(100);

	private final ManualClock clock = new ManualClock();

	private final LocalPauseWatch pauseWatch = new LocalPauseWatch(TICK, Duration.ofMillis(500));

	private final AtomicInteger probes = new AtomicInteger();

	private volatile boolean answering = true;

	private final HeartbeatProbe probe = (instance) -> {
		this.probes.incrementAndGet();
		return CompletableFuture.completedFuture(this.answering);
	};

	private final PeerInstance instance = new PeerInstance("payment", "primary", URI.create("http://127.0.0.1:8081"),
			new HeartbeatSettings("/health", Duration.ofSeconds(1), Duration.ofMillis(500), HeartbeatMode.ACTIVE),
			new PhiAccrualFailureDetector(PhiAccrualSettings.DEFAULTS, this.clock), this.clock, this.pauseWatch);

	private final HeartbeatMonitor monitor = new HeartbeatMonitor(
			new PeerRegistry(List.of(new Peer("payment", List.of(this.instance)))), this.probe, this.clock,
			this.pauseWatch, TICK);

	@Test
	void ticksProbeOncePerIntervalAndAnswersAreActiveHeartbeats() {
		runFor(Duration.ofSeconds(10));

		assertThat(this.probes.get()).isEqualTo(10);
		assertThat(this.instance.heartbeats(HeartbeatKind.ACTIVE)).isEqualTo(10);
		assertThat(this.instance.isAvailable()).isTrue();
	}

	@Test
	void failedProbesAreCountedAndTheInstanceBecomesSuspected() {
		runFor(Duration.ofSeconds(5));
		this.answering = false;
		runFor(Duration.ofSeconds(5));

		assertThat(this.instance.failedProbes()).isEqualTo(5);
		assertThat(this.instance.isAvailable()).isFalse();
	}

	@Test
	void ownPauseLongerThanDetectionHoldsConvictionUntilTheNextProbeAnswers() {
		runFor(Duration.ofSeconds(5));
		this.clock.advance(Duration.ofSeconds(10));
		assertThat(this.instance.getDetector().isAvailable()).isFalse();

		this.monitor.tick();

		assertThat(this.instance.isAvailable()).isTrue();
		assertThat(this.instance.getDetector().isAvailable()).isTrue();
	}

	@Test
	void ownPauseHoldsConvictionForAFreshProbeThenConvictsASilentPeer() {
		runFor(Duration.ofSeconds(5));
		this.answering = false;
		this.clock.advance(Duration.ofSeconds(10));

		this.monitor.tick();
		assertThat(this.instance.failedProbes()).isEqualTo(1);
		assertThat(this.instance.isAvailable()).isTrue();
		runFor(Duration.ofMillis(1600));

		assertThat(this.instance.isAvailable()).isFalse();
	}

	@Test
	void slowStartOfThisServiceDoesNotCountAsThePeersSilence() {
		this.answering = false;
		// The instances exist from early in startup; the monitor starts at its very end.
		this.clock.advance(Duration.ofSeconds(10));
		assertThat(this.instance.getDetector().isAvailable()).isFalse();

		this.monitor.start();
		try {
			assertThat(this.instance.getDetector().isAvailable()).isTrue();
			assertThat(this.instance.snapshot().sinceLastHeartbeat()).isZero();
		}
		finally {
			this.monitor.stop();
		}
	}

	@Test
	void tickForShortIntervalsIsATenthOfTheShortest() {
		HeartbeatSettings slow = new HeartbeatSettings("/h", Duration.ofSeconds(5), Duration.ofSeconds(1),
				HeartbeatMode.HYBRID);
		HeartbeatSettings fast = new HeartbeatSettings("/h", Duration.ofMillis(500), Duration.ofMillis(100),
				HeartbeatMode.HYBRID);
		HeartbeatSettings fastest = new HeartbeatSettings("/h", Duration.ofMillis(20), Duration.ofMillis(10),
				HeartbeatMode.HYBRID);

		assertThat(HeartbeatMonitor.tickFor(List.of(slow))).isEqualTo(HeartbeatMonitor.MAX_TICK);
		assertThat(HeartbeatMonitor.tickFor(List.of(slow, fast))).isEqualTo(Duration.ofMillis(50));
		assertThat(HeartbeatMonitor.tickFor(List.of(fastest))).isEqualTo(Duration.ofMillis(10));
	}

	private void runFor(Duration duration) {
		for (long i = 0; i < duration.dividedBy(TICK); i++) {
			this.monitor.tick();
			this.clock.advance(TICK);
		}
	}

}
