package dev.faultline.peer;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

import dev.faultline.detector.AdaptiveFailureDetector;
import dev.faultline.detector.AdaptiveSettings;
import dev.faultline.detector.FailureDetector;
import dev.faultline.detector.ManualClock;
import dev.faultline.detector.PhiAccrualFailureDetector;
import dev.faultline.detector.PhiAccrualSettings;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.springframework.boot.web.context.WebServerGracefulShutdownLifecycle;
import org.springframework.context.SmartLifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.withinPercentage;

class HeartbeatMonitorTests {

	private static final Duration TICK = Duration.ofMillis(100);

	private final ManualClock clock = new ManualClock();

	private final LocalPauseWatch pauseWatch = new LocalPauseWatch(TICK, Duration.ofMillis(500));

	private final AtomicInteger probes = new AtomicInteger();

	private volatile boolean answering = true;

	private final HeartbeatProbe probe = (instance) -> {
		this.probes.incrementAndGet();
		return CompletableFuture
			.completedFuture(this.answering ? ProbeResult.answered(200) : ProbeResult.noAnswer("connection refused"));
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
	void instanceThatDiscoveryListsLaterIsProbedFromThenAndOneNoLongerListedIsNot() {
		PeerRegistry registry = new PeerRegistry(List.of(Peer.discovered("stock", "stock-service", Routing.BALANCED)));
		HeartbeatMonitor monitor = new HeartbeatMonitor(registry, this.probe, this.clock, this.pauseWatch, TICK);
		PeerInstance first = discoveredInstance("stock-1", 9001);
		PeerInstance second = discoveredInstance("stock-2", 9002);
		runFor(monitor, Duration.ofSeconds(3));
		assertThat(this.probes.get()).isZero();

		registry.update("stock", List.of(first));
		// Minutes of not being listed are no silence of the instance: its watch starts now.
		this.clock.advance(Duration.ofMinutes(5));
		runFor(monitor, Duration.ofSeconds(3));
		registry.update("stock", List.of(first, second));
		runFor(monitor, Duration.ofSeconds(3));
		registry.update("stock", List.of(second));
		int firstProbes = (int) first.heartbeats(HeartbeatKind.ACTIVE);
		runFor(monitor, Duration.ofSeconds(3));

		assertThat(firstProbes).isEqualTo(6);
		assertThat(first.heartbeats(HeartbeatKind.ACTIVE)).isEqualTo(6);
		assertThat(second.heartbeats(HeartbeatKind.ACTIVE)).isEqualTo(6);
		assertThat(second.isAvailable()).isTrue();
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

	@ParameterizedTest(name = "{0} detector, start gap {1} ms")
	@CsvSource({ "adaptive, 1500", "adaptive, 5000", "adaptive, 30000", "phi, 1500", "phi, 5000", "phi, 30000" })
	void applicationStartupIsNotLearnedAsAHeartbeatInterval(String type, long gapMillis) {
		assertThat(suspicionTimeoutAfterSixtyHeartbeats(type, Duration.ofMillis(gapMillis)))
			.isCloseTo(suspicionTimeoutAfterSixtyHeartbeats(type, Duration.ZERO), withinPercentage(5));
	}

	// Milliseconds of silence after which a steady peer is suspected, when its detector was
	// created, then watched from a start of the monitor this long after.
	private static long suspicionTimeoutAfterSixtyHeartbeats(String type, Duration startGap) {
		ManualClock clock = new ManualClock();
		LocalPauseWatch pauseWatch = new LocalPauseWatch(TICK, Duration.ofMillis(500));
		FailureDetector detector = type.equals("phi") ? new PhiAccrualFailureDetector(PhiAccrualSettings.DEFAULTS, clock)
				: new AdaptiveFailureDetector(AdaptiveSettings.DEFAULTS, clock);
		PeerInstance instance = new PeerInstance("payment", "primary", URI.create("http://127.0.0.1:8081"),
				new HeartbeatSettings("/health", Duration.ofSeconds(1), Duration.ofMillis(500), HeartbeatMode.ACTIVE),
				detector, clock, pauseWatch);
		HeartbeatMonitor monitor = new HeartbeatMonitor(new PeerRegistry(List.of(new Peer("payment", List.of(instance)))),
				(probed) -> CompletableFuture.completedFuture(ProbeResult.answered(200)), clock, pauseWatch, TICK);
		clock.advance(startGap);
		monitor.startWatching();
		while (instance.heartbeats(HeartbeatKind.ACTIVE) < 60) {
			monitor.tick();
			clock.advance(TICK);
		}
		long silence = 0;
		while (detector.isAvailable()) {
			clock.advance(Duration.ofMillis(5));
			silence += 5;
		}
		return silence;
	}

	@Test
	void tickThatThrowsAnErrorDoesNotEndTheSchedule() {
		AtomicInteger calls = new AtomicInteger();
		HeartbeatMonitor.Listener failing = () -> {
			if (calls.incrementAndGet() <= 2) {
				throw new StackOverflowError("thrown by a test listener");
			}
		};
		HeartbeatMonitor monitor = new HeartbeatMonitor(
				new PeerRegistry(List.of(new Peer("payment", List.of(this.instance)))), this.probe, this.clock,
				this.pauseWatch, Duration.ofMillis(10), List.of(failing));
		monitor.start();
		try {
			Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> calls.get() >= 5);
		}
		finally {
			monitor.stop();
		}
	}

	@Test
	void listenerThatFailsDoesNotKeepTheNextListenerFromItsTick() {
		AtomicInteger calls = new AtomicInteger();
		HeartbeatMonitor monitor = new HeartbeatMonitor(
				new PeerRegistry(List.of(new Peer("payment", List.of(this.instance)))), this.probe, this.clock,
				this.pauseWatch, TICK, List.of(() -> {
					throw new IllegalStateException("thrown by a test listener");
				}, calls::incrementAndGet));

		monitor.tick();

		assertThat(calls).hasValue(1);
	}

	@Test
	void monitorStopsAfterTheWebServersGracefulShutdownAndStartsBeforeTheServer() {
		// Stopping runs from the highest phase down, starting from the lowest up; Spring Boot
		// starts and stops the web server in DEFAULT_PHASE - 2048 (a package-private class).
		assertThat(this.monitor.getPhase()).isLessThan(WebServerGracefulShutdownLifecycle.SMART_LIFECYCLE_PHASE)
			.isLessThan(SmartLifecycle.DEFAULT_PHASE - 2048);
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

	private PeerInstance discoveredInstance(String name, int port) {
		return new PeerInstance("stock", name, URI.create("http://127.0.0.1:" + port),
				new HeartbeatSettings("/health", Duration.ofSeconds(1), Duration.ofMillis(500), HeartbeatMode.ACTIVE),
				new PhiAccrualFailureDetector(PhiAccrualSettings.DEFAULTS, this.clock), this.clock, this.pauseWatch);
	}

	private void runFor(HeartbeatMonitor monitor, Duration duration) {
		long ticks = duration.toNanos() / TICK.toNanos();
		for (long i = 0; i < ticks; i++) {
			this.clock.advance(TICK);
			monitor.tick();
		}
	}

	private void runFor(Duration duration) {
		for (long i = 0; i < duration.dividedBy(TICK); i++) {
			this.monitor.tick();
			this.clock.advance(TICK);
		}
	}

}
