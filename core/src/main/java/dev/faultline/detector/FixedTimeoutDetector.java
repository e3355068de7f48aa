package dev.faultline.detector;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A failure detector with a fixed timeout: the process is suspected once it has been
 * silent for {@code missedHeartbeats × period}, whatever its heartbeats looked like
 * before. It learns nothing, so it is the baseline a {@link PhiAccrualFailureDetector} is
 * measured against, and the choice when heartbeats are too few to learn from.
 *
 * <p>
 * Its {@link #phi()} is a linear suspicion level, not a probability: the silence divided
 * by the timeout, so 0 right after a heartbeat, 0.5 half way and 1 at the timeout, its
 * {@link #threshold()}. It is finite, non-negative and non-decreasing while no heartbeat
 * arrives, like φ, so health and metrics can show either kind the same way; but a value
 * of this detector is not comparable with a φ value.
 *
 * <p>
 * {@link #heartbeat()} and {@link #refresh()} do the same here: both restart the
 * silence. The process is suspected from the moment the silence reaches the timeout, as
 * in Akka's {@code DeadlineFailureDetector}. Thread-safe without locks.
 */
public final class FixedTimeoutDetector implements FailureDetector {

	/**
	 * The default number of heartbeats that may be missed before the process is
	 * suspected: one lost heartbeat is common, three in a row rarely is.
	 */
	public static final int DEFAULT_MISSED_HEARTBEATS = 3;

	/** The suspicion level at the timeout. */
	private static final double THRESHOLD = 1.0;

	private final Duration period;

	private final int missedHeartbeats;

	private final MonotonicClock clock;

	private final long timeoutNanos;

	private final double timeout;

	private final AtomicLong lastHeardNanos;

	/**
	 * Creates a detector that watches from now, as if a heartbeat arrived now.
	 * @param period the heartbeat interval, greater than 0
	 * @param missedHeartbeats how many heartbeats in a row may be missed, 1 or more
	 * @param clock the clock to read time from
	 * @throws IllegalArgumentException if a parameter is not allowed
	 */
	public FixedTimeoutDetector(Duration period, int missedHeartbeats, MonotonicClock clock) {
		if (period == null) {
			throw new IllegalArgumentException("period must be set, but was null");
		}
		if (period.isNegative() || period.isZero()) {
			throw new IllegalArgumentException("period must be greater than 0, but was " + period);
		}
		if (missedHeartbeats < 1) {
			throw new IllegalArgumentException("missedHeartbeats must be 1 or more, but was " + missedHeartbeats);
		}
		if (clock == null) {
			throw new IllegalArgumentException("clock must be set, but was null");
		}
		this.period = period;
		this.missedHeartbeats = missedHeartbeats;
		this.clock = clock;
		this.timeoutNanos = timeoutNanos(period, missedHeartbeats);
		this.timeout = this.timeoutNanos;
		this.lastHeardNanos = new AtomicLong(clock.nanoTime());
	}

	private static long timeoutNanos(Duration period, int missedHeartbeats) {
		try {
			return period.multipliedBy(missedHeartbeats).toNanos();
		}
		catch (ArithmeticException ex) {
			throw new IllegalArgumentException("period × missedHeartbeats must be at most "
					+ Duration.ofNanos(Long.MAX_VALUE) + ", but was " + period + " × " + missedHeartbeats);
		}
	}

	/**
	 * Returns the silence after which the process is suspected.
	 * @return {@code missedHeartbeats × period}
	 */
	public Duration timeout() {
		return Duration.ofNanos(this.timeoutNanos);
	}

	@Override
	public void heartbeat() {
		long now = this.clock.nanoTime();
		// a thread that read the clock earlier but got here later must not move time back
		this.lastHeardNanos.accumulateAndGet(now, (last, next) -> (next - last > 0) ? next : last);
	}

	@Override
	public void refresh() {
		heartbeat();
	}

	@Override
	public void restart() {
		heartbeat();
	}

	@Override
	public double phi() {
		long lastHeard = this.lastHeardNanos.get();
		return phi(silence(lastHeard, this.clock.nanoTime()));
	}

	@Override
	public double threshold() {
		return THRESHOLD;
	}

	/**
	 * {@inheritDoc}
	 * <p>
	 * This detector learns no intervals: mean and standard deviation are {@code null}
	 * and the sample count is 0.
	 */
	@Override
	public DetectorSnapshot snapshot() {
		long lastHeard = this.lastHeardNanos.get();
		long silence = silence(lastHeard, this.clock.nanoTime());
		return new DetectorSnapshot(phi(silence), THRESHOLD, Duration.ofNanos(silence), null, null, 0);
	}

	@Override
	public String toString() {
		long silence = silence(this.lastHeardNanos.get(), this.clock.nanoTime());
		return "FixedTimeoutDetector[silence=" + Duration.ofNanos(silence) + ", timeout=" + timeout() + " ("
				+ this.missedHeartbeats + " × " + this.period + "), available=" + (phi(silence) < THRESHOLD) + "]";
	}

	private static long silence(long lastHeard, long now) {
		return Math.max(0, now - lastHeard);
	}

	private double phi(long silence) {
		double ratio = silence / this.timeout;
		// the division may round across 1.0 for timeouts beyond 2^53 ns; the integer
		// comparison decides which side of the threshold we are on
		if (silence >= this.timeoutNanos) {
			return Math.max(ratio, THRESHOLD);
		}
		return Math.min(ratio, Math.nextDown(THRESHOLD));
	}

}
