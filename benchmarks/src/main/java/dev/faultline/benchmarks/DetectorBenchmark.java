package dev.faultline.benchmarks;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import dev.faultline.detector.AdaptiveFailureDetector;
import dev.faultline.detector.AdaptiveSettings;
import dev.faultline.detector.DetectorSnapshot;
import dev.faultline.detector.FixedTimeoutDetector;
import dev.faultline.detector.MonotonicClock;
import dev.faultline.detector.PhiAccrualFailureDetector;
import dev.faultline.detector.PhiAccrualSettings;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The cost of recording a heartbeat and of reading φ, for the φ accrual detector with its
 * default window, for the adaptive detector with its defaults and for the fixed-timeout
 * detector as the floor, on the real clock.
 *
 * <p>
 * Each heartbeat benchmark feeds one detector shared by all its threads, so the
 * {@code @Threads(2)} variants measure compare-and-set contention. A heartbeat includes
 * the φ check that decides whether its interval is learned, and every
 * {@code maxSampleSize}-th one the reversal of the window's back list, so the figure is
 * amortised. Reads run on a detector whose window is full and whose last heartbeat was at
 * the start of the iteration, so φ is read over the first second of a silence, as health
 * and metrics read it between heartbeats. The adaptive detector learns every heartbeat
 * (the intervals here are microseconds, never a suspicion), so each recomputes its φ
 * table: the figure is its full cost, not an amortised one.
 *
 * <p>
 * Run with {@code java -jar benchmarks/target/benchmarks.jar DetectorBenchmark}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Benchmark)
public class DetectorBenchmark {

	private static final int FILL = 250;

	// past the 600 intervals over which the adaptive detector's imagined ones fade
	private static final int ADAPTIVE_FILL = 1000;

	private PhiAccrualFailureDetector written;

	private PhiAccrualFailureDetector read;

	private AdaptiveFailureDetector adaptiveWritten;

	private AdaptiveFailureDetector adaptiveRead;

	private FixedTimeoutDetector fixedWritten;

	private FixedTimeoutDetector fixedRead;

	@Setup(Level.Trial)
	public void createDetectors() {
		this.written = new PhiAccrualFailureDetector(PhiAccrualSettings.DEFAULTS, MonotonicClock.SYSTEM);
		this.read = new PhiAccrualFailureDetector(PhiAccrualSettings.DEFAULTS, MonotonicClock.SYSTEM);
		for (int i = 0; i < FILL; i++) {
			this.written.heartbeat();
			this.read.heartbeat();
		}
		this.adaptiveWritten = new AdaptiveFailureDetector(AdaptiveSettings.DEFAULTS, MonotonicClock.SYSTEM);
		this.adaptiveRead = new AdaptiveFailureDetector(AdaptiveSettings.DEFAULTS, MonotonicClock.SYSTEM);
		for (int i = 0; i < ADAPTIVE_FILL; i++) {
			this.adaptiveWritten.heartbeat();
			this.adaptiveRead.heartbeat();
		}
		this.fixedWritten = new FixedTimeoutDetector(Duration.ofSeconds(1),
				FixedTimeoutDetector.DEFAULT_MISSED_HEARTBEATS, MonotonicClock.SYSTEM);
		this.fixedRead = new FixedTimeoutDetector(Duration.ofSeconds(1),
				FixedTimeoutDetector.DEFAULT_MISSED_HEARTBEATS, MonotonicClock.SYSTEM);
	}

	@Setup(Level.Iteration)
	public void heartbeatBeforeReading() {
		this.read.heartbeat();
		this.adaptiveRead.heartbeat();
		this.fixedRead.heartbeat();
	}

	@Benchmark
	public void phiAccrualHeartbeat() {
		this.written.heartbeat();
	}

	@Benchmark
	@Threads(2)
	public void phiAccrualHeartbeatContended() {
		this.written.heartbeat();
	}

	@Benchmark
	public double phiAccrualPhi() {
		return this.read.phi();
	}

	@Benchmark
	@Threads(2)
	public double phiAccrualPhiTwoReaders() {
		return this.read.phi();
	}

	@Benchmark
	public DetectorSnapshot phiAccrualSnapshot() {
		return this.read.snapshot();
	}

	@Benchmark
	public void adaptiveHeartbeat() {
		this.adaptiveWritten.heartbeat();
	}

	@Benchmark
	@Threads(2)
	public void adaptiveHeartbeatContended() {
		this.adaptiveWritten.heartbeat();
	}

	@Benchmark
	public double adaptivePhi() {
		return this.adaptiveRead.phi();
	}

	@Benchmark
	@Threads(2)
	public double adaptivePhiTwoReaders() {
		return this.adaptiveRead.phi();
	}

	@Benchmark
	public DetectorSnapshot adaptiveSnapshot() {
		return this.adaptiveRead.snapshot();
	}

	@Benchmark
	public void fixedTimeoutHeartbeat() {
		this.fixedWritten.heartbeat();
	}

	@Benchmark
	@Threads(2)
	public void fixedTimeoutHeartbeatContended() {
		this.fixedWritten.heartbeat();
	}

	@Benchmark
	public double fixedTimeoutPhi() {
		return this.fixedRead.phi();
	}

	@Benchmark
	public long systemClock() {
		// the floor under every figure above: one clock reading
		return MonotonicClock.SYSTEM.nanoTime();
	}

}
