package dev.faultline.detector;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Tests for {@link AdaptiveFailureDetector} under concurrent heartbeats, reads and
 * refreshes, on a clock that moves by one step at every reading.
 */
class AdaptiveFailureDetectorConcurrencyTests {

	private static final int THREADS = 4;

	private static final int HEARTBEATS_PER_THREAD = 5_000;

	private static final long STEP = 1_000_000;

	private final AtomicLong ticks = new AtomicLong();

	private final MonotonicClock clock = () -> this.ticks.addAndGet(STEP);

	private final ExecutorService executor = Executors.newFixedThreadPool(THREADS + 1);

	@AfterEach
	void shutdown() throws InterruptedException {
		this.executor.shutdownNow();
		assertThat(this.executor.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
	}

	@Test
	void concurrentHeartbeatsAreEachLearnedOnceAndTheirIntervalsAddUpToTheElapsedTime() throws Exception {
		// a half-life far beyond the heartbeats, so that the remembered sum is almost the sum
		AdaptiveSettings settings = AdaptiveSettings.DEFAULTS.withMemoryHalfLife(AdaptiveSettings.MAX_MEMORY_HALF_LIFE)
			.withFirstHeartbeatEstimate(java.time.Duration.ofMillis(1))
			.withOutageFactor(1e9);
		AdaptiveFailureDetector detector = new AdaptiveFailureDetector(settings, this.clock);
		long createdAt = this.ticks.get();
		// heard once before the race: with threads racing, the silence from creation could
		// outlast the first suspicion timeout (2.2 steps here), and that one is not learned
		detector.heartbeat();
		runTogether(() -> {
			for (int i = 0; i < HEARTBEATS_PER_THREAD; i++) {
				detector.heartbeat();
			}
		});
		DetectorSnapshot snapshot = detector.snapshot();
		long lastHeardAt = this.ticks.get() - snapshot.sinceLastHeartbeat().toNanos();
		int count = THREADS * HEARTBEATS_PER_THREAD + 1;
		// a lost update would leave a heartbeat out, a duplicate count one twice
		assertThat(detector.learned()).isEqualTo(count);
		// every interval is learned: their mean is the time watched over their number,
		// up to the decay of 20 000 intervals in a million (1.4 % at the oldest)
		double mean = (double) (lastHeardAt - createdAt) / count;
		assertThat((double) snapshot.meanInterval().toNanos()).isCloseTo(mean, within(mean * 0.01));
	}

	@Test
	void concurrentHeartbeatsReadsAndRefreshesKeepPhiFiniteAndTheLastHeartbeatForward() throws Exception {
		// every interval learned, however long a thread was held up
		AdaptiveFailureDetector detector = new AdaptiveFailureDetector(
				AdaptiveSettings.DEFAULTS.withOutageFactor(1e9), this.clock);
		// heard once before the race: the silence from creation, which the reader's
		// readings alone could stretch past the first suspicion timeout, would not be learned
		detector.heartbeat();
		AtomicBoolean writing = new AtomicBoolean(true);
		List<Double> badReadings = new ArrayList<>();
		Future<?> reader = this.executor.submit(() -> {
			while (writing.get()) {
				double phi = detector.phi();
				DetectorSnapshot snapshot = detector.snapshot();
				detector.refresh();
				if (!Double.isFinite(phi) || phi < 0 || !Double.isFinite(snapshot.phi())) {
					badReadings.add(phi);
				}
			}
			return null;
		});
		try {
			runTogether(() -> {
				for (int i = 0; i < HEARTBEATS_PER_THREAD; i++) {
					detector.heartbeat();
				}
			});
		}
		finally {
			writing.set(false);
		}
		reader.get(30, TimeUnit.SECONDS);
		assertThat(badReadings).isEmpty();
		assertThat(detector.learned()).isEqualTo(THREADS * HEARTBEATS_PER_THREAD + 1);
		// the snapshot's own reading is one step after the latest heartbeat or refresh
		assertThat(detector.snapshot().sinceLastHeartbeat().toNanos()).isEqualTo(STEP);
	}

	private void runTogether(Runnable task) throws Exception {
		CountDownLatch start = new CountDownLatch(1);
		List<Future<?>> futures = new ArrayList<>();
		for (int i = 0; i < THREADS; i++) {
			Callable<Void> callable = () -> {
				start.await();
				task.run();
				return null;
			};
			futures.add(this.executor.submit(callable));
		}
		start.countDown();
		for (Future<?> future : futures) {
			future.get(120, TimeUnit.SECONDS);
		}
	}

}
