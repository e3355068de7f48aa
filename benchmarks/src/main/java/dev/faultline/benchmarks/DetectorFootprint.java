package dev.faultline.benchmarks;

import java.lang.ref.Reference;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;

import dev.faultline.detector.AdaptiveFailureDetector;
import dev.faultline.detector.AdaptiveSettings;
import dev.faultline.detector.FailureDetector;
import dev.faultline.detector.FixedTimeoutDetector;
import dev.faultline.detector.MonotonicClock;
import dev.faultline.detector.PhiAccrualFailureDetector;
import dev.faultline.detector.PhiAccrualSettings;
import dev.faultline.peer.HeartbeatKind;
import dev.faultline.peer.HeartbeatMode;
import dev.faultline.peer.HeartbeatSettings;
import dev.faultline.peer.LocalPauseWatch;
import dev.faultline.peer.Peer;
import dev.faultline.peer.PeerInstance;

/**
 * Measures the heap one detector retains: many detectors are created and fed, and the
 * used heap after garbage collection is compared with the used heap before. A φ accrual
 * detector is fed more heartbeats than its default window holds, so the window is full;
 * an adaptive detector is fixed in size once it holds its 16 longest intervals.
 *
 * <p>
 * Run with
 * {@code java -cp benchmarks/target/benchmarks.jar dev.faultline.benchmarks.DetectorFootprint [count]}.
 * The figure depends on the JVM's object layout (compressed references or not), so it is
 * printed with the JVM it was measured on.
 */
public final class DetectorFootprint {

	private static final int DEFAULT_COUNT = 10_000;

	private static final int HEARTBEATS = 250;

	// past the 600 intervals over which the adaptive detector's imagined ones fade; its
	// size does not depend on how many it learned after
	private static final int ADAPTIVE_HEARTBEATS = 1000;

	private DetectorFootprint() {
	}

	public static void main(String[] args) throws InterruptedException {
		int count = (args.length > 0) ? Integer.parseInt(args[0]) : DEFAULT_COUNT;
		System.out.printf("JVM %s %s, max heap %d MiB%n", System.getProperty("java.vm.name"),
				System.getProperty("java.runtime.version"), Runtime.getRuntime().maxMemory() >> 20);
		// one fake clock for all: every reading is a second after the previous one, so a
		// detector fed alone sees 1 s intervals
		MonotonicClock clock = new MonotonicClock() {

			private long now;

			@Override
			public long nanoTime() {
				this.now += 1_000_000_000L;
				return this.now;
			}

		};
		measure("PhiAccrualFailureDetector (defaults, window full)", count, () -> {
			FailureDetector detector = new PhiAccrualFailureDetector(PhiAccrualSettings.DEFAULTS, clock);
			for (int i = 0; i < HEARTBEATS; i++) {
				detector.heartbeat();
			}
			return detector;
		});
		measure("AdaptiveFailureDetector (defaults, 1000 heartbeats learned)", count, () -> {
			FailureDetector detector = new AdaptiveFailureDetector(AdaptiveSettings.DEFAULTS, clock);
			for (int i = 0; i < ADAPTIVE_HEARTBEATS; i++) {
				detector.heartbeat();
			}
			return detector;
		});
		measure("FixedTimeoutDetector", count, () -> {
			FailureDetector detector = new FixedTimeoutDetector(Duration.ofSeconds(1),
					FixedTimeoutDetector.DEFAULT_MISSED_HEARTBEATS, clock);
			for (int i = 0; i < HEARTBEATS; i++) {
				detector.heartbeat();
			}
			return detector;
		});
		// What one watched peer costs in all: its instance, counters and detector; the
		// clock, pause watch and heartbeat settings are shared by every peer of a service.
		LocalPauseWatch pauseWatch = new LocalPauseWatch(Duration.ofMillis(100), Duration.ofMillis(500));
		HeartbeatSettings heartbeat = new HeartbeatSettings("/actuator/health/liveness", Duration.ofSeconds(1),
				Duration.ofMillis(500), HeartbeatMode.HYBRID);
		int[] port = { 1024 };
		measure("Peer with one instance (defaults, window full)", count, () -> {
			PeerInstance instance = new PeerInstance("peer-" + port[0], "primary",
					URI.create("http://127.0.0.1:" + (port[0]++ % 60_000 + 1024)), heartbeat,
					new PhiAccrualFailureDetector(PhiAccrualSettings.DEFAULTS, clock), clock, pauseWatch);
			for (int i = 0; i < HEARTBEATS; i++) {
				instance.heartbeat(HeartbeatKind.ACTIVE);
			}
			return new Peer(instance.getPeerName(), List.of(instance));
		});
	}

	private static void measure(String name, int count, Supplier<Object> factory)
			throws InterruptedException {
		// warm the code first, so that what the JIT allocates is not counted
		for (int i = 0; i < 1_000; i++) {
			factory.get();
		}
		Object[] detectors = new Object[count];
		long before = usedAfterGc();
		for (int i = 0; i < count; i++) {
			detectors[i] = factory.get();
		}
		long after = usedAfterGc();
		int samples = (detectors[0] instanceof Peer peer) ? peer.getInstances().get(0).snapshot().sampleCount()
				: ((FailureDetector) detectors[0]).snapshot().sampleCount();
		System.out.printf("%s: %,d bytes each (%,d of them, %d samples each, %,d bytes in all)%n", name,
				(after - before) / count, count, samples, after - before);
		Reference.reachabilityFence(detectors);
	}

	/**
	 * Returns the heap in use once collections free nothing more: what a measurement of
	 * retained size subtracts before and after.
	 * @return the bytes in use
	 * @throws InterruptedException if interrupted between collections
	 */
	static long usedAfterGc() throws InterruptedException {
		Runtime runtime = Runtime.getRuntime();
		long used = Long.MAX_VALUE;
		// a few rounds, until a collection frees nothing more
		for (int round = 0; round < 10; round++) {
			System.gc();
			Thread.sleep(100);
			long now = runtime.totalMemory() - runtime.freeMemory();
			if (now >= used && round >= 3) {
				return Math.min(used, now);
			}
			used = Math.min(used, now);
		}
		return used;
	}

}
