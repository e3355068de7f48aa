package dev.faultline.detector;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Tests for {@link PhiAccrualFailureDetector} and {@link FixedTimeoutDetector} under
 * concurrent heartbeats, on clocks that move by one step at every reading.
 */
class FailureDetectorConcurrencyTests {

	private static final int THREADS = 4;

	private static final int HEARTBEATS_PER_THREAD = 10_000;

	private static final long STEP = 1_000;

	private static final long BOOTSTRAP_SUM = 2_000_000_000L;

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
		PhiAccrualFailureDetector detector = new PhiAccrualFailureDetector(
				PhiAccrualSettings.DEFAULTS.withMaxSampleSize(100_000), this.clock);
		long createdAt = this.ticks.get();
		runTogether(THREADS, () -> {
			for (int i = 0; i < HEARTBEATS_PER_THREAD; i++) {
				detector.heartbeat();
			}
		});
		DetectorSnapshot snapshot = detector.snapshot();
		long lastHeardAt = this.ticks.get() - snapshot.sinceLastHeartbeat().toNanos();
		long[] intervals = detector.intervals();
		int expectedCount = 2 + THREADS * HEARTBEATS_PER_THREAD;
		assertThat(snapshot.sampleCount()).isEqualTo(expectedCount);
		assertThat(intervals).hasSize(expectedCount);
		// a lost update would leave a hole; a duplicate, an overlap: either breaks the sum
		long sum = Arrays.stream(intervals).sum();
		assertThat(sum).isEqualTo(BOOTSTRAP_SUM + (lastHeardAt - createdAt));
		assertThat(Arrays.stream(intervals, 2, expectedCount)).allMatch((interval) -> interval >= STEP);
		assertThat(snapshot.meanInterval().toNanos()).isEqualTo(Math.round((double) sum / expectedCount));
	}

	@Test
	void concurrentHeartbeatsReadsAndRefreshesKeepTheWindowCappedAndItsSumsExact() throws Exception {
		PhiAccrualFailureDetector detector = new PhiAccrualFailureDetector(
				PhiAccrualSettings.DEFAULTS.withMinStdDeviation(Duration.ofNanos(1)), this.clock);
		AtomicBoolean writing = new AtomicBoolean(true);
		List<Double> badReadings = new ArrayList<>();
		Future<?> reader = this.executor.submit(() -> {
			while (writing.get()) {
				double phi = detector.phi();
				DetectorSnapshot snapshot = detector.snapshot();
				detector.refresh();
				if (!Double.isFinite(phi) || phi < 0 || snapshot.sampleCount() > 200) {
					badReadings.add(phi);
				}
			}
			return null;
		});
		try {
			runTogether(THREADS, () -> {
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
		long[] intervals = detector.intervals();
		assertThat(intervals).hasSize(200);
		double mean = Arrays.stream(intervals).average().orElseThrow();
		double variance = Arrays.stream(intervals).mapToDouble((x) -> (x - mean) * (x - mean)).sum() / 200;
		DetectorSnapshot snapshot = detector.snapshot();
		assertThat(snapshot.sampleCount()).isEqualTo(200);
		assertThat(snapshot.meanInterval().toNanos()).isEqualTo(Math.round(mean));
		assertThat(snapshot.stdDeviation().toNanos())
			.isCloseTo(Math.max(1, Math.round(Math.sqrt(variance))), within(1L));
	}

	@Test
	void concurrentHeartbeatsOnFixedTimeoutDetectorNeverMoveTheLastHeartbeatBack() throws Exception {
		FixedTimeoutDetector detector = new FixedTimeoutDetector(Duration.ofMillis(1), 1, this.clock);
		runTogether(THREADS, () -> {
			for (int i = 0; i < HEARTBEATS_PER_THREAD; i++) {
				detector.heartbeat();
			}
		});
		// the last of all readings taken by heartbeats is the latest: the snapshot's own
		// reading is one step later
		assertThat(detector.snapshot().sinceLastHeartbeat()).isEqualTo(Duration.ofNanos(STEP));
	}

	@Test
	void heartbeatThatLosesTheRaceIsRetriedOnTheWinnersState() throws Exception {
		PausingClock clock = new PausingClock();
		PhiAccrualFailureDetector detector = new PhiAccrualFailureDetector(PhiAccrualSettings.DEFAULTS, clock);
		// the late thread reads the state and the clock (2 steps), then waits while
		// another heartbeat reads 3 steps and wins; its own compare-and-set must then
		// fail and retry at 4 steps
		clock.pauseFirstReadingOf(detector::heartbeat, detector::heartbeat);
		assertThat(detector.intervals()).containsExactly(750_000_000L, 1_250_000_000L, 2 * STEP, STEP);
		assertThat(detector.snapshot().sinceLastHeartbeat()).isEqualTo(Duration.ofNanos(STEP));
	}

	@Test
	void fixedTimeoutHeartbeatThatReadTheClockEarlierDoesNotMoveTheLastHeartbeatBack() throws Exception {
		PausingClock clock = new PausingClock();
		FixedTimeoutDetector detector = new FixedTimeoutDetector(Duration.ofSeconds(1), 3, clock);
		// the late thread read 2 steps, the other heartbeat 3 steps: the snapshot reads 4
		clock.pauseFirstReadingOf(detector::heartbeat, detector::heartbeat);
		assertThat(detector.snapshot().sinceLastHeartbeat()).isEqualTo(Duration.ofNanos(STEP));
	}

	private void runTogether(int threads, Runnable task) throws Exception {
		CountDownLatch start = new CountDownLatch(1);
		List<Future<?>> futures = new ArrayList<>();
		for (int i = 0; i < threads; i++) {
			Callable<Void> callable = () -> {
				start.await();
				task.run();
				return null;
			};
			futures.add(this.executor.submit(callable));
		}
		start.countDown();
		for (Future<?> future : futures) {
			// rethrows what a thread threw
			future.get(60, TimeUnit.SECONDS);
		}
	}

	/**
	 * A clock that moves one step at every reading and can hold one thread just after
	 * its reading, to force an interleaving.
	 */
	private static final class PausingClock implements MonotonicClock {

		private final AtomicLong ticks = new AtomicLong();

		private final CountDownLatch paused = new CountDownLatch(1);

		private final CountDownLatch released = new CountDownLatch(1);

		private volatile Thread toPause;

		@Override
		public long nanoTime() {
			long reading = this.ticks.addAndGet(STEP);
			if (Thread.currentThread() == this.toPause) {
				this.toPause = null;
				this.paused.countDown();
				try {
					this.released.await();
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
			}
			return reading;
		}

		/**
		 * Runs {@code late} on its own thread, held after its first clock reading while
		 * {@code meanwhile} runs on this one.
		 */
		void pauseFirstReadingOf(Runnable late, Runnable meanwhile) throws InterruptedException {
			AtomicReference<Throwable> failure = new AtomicReference<>();
			Thread thread = new Thread(late);
			thread.setUncaughtExceptionHandler((t, ex) -> failure.set(ex));
			this.toPause = thread;
			thread.start();
			assertThat(this.paused.await(10, TimeUnit.SECONDS)).isTrue();
			meanwhile.run();
			this.released.countDown();
			thread.join(10_000);
			assertThat(thread.isAlive()).isFalse();
			assertThat(failure.get()).isNull();
		}

	}

}
