package dev.faultline.detector;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A {@link MonotonicClock} for tests that moves only when told to. It starts at an
 * arbitrary negative reading, as {@link System#nanoTime()} may, so that code which
 * treats a reading as anything but a difference shows it. Thread-safe.
 */
public class ManualClock implements MonotonicClock {

	private static final long START = -7_777_777_777_777L;

	private final AtomicLong nanos = new AtomicLong(START);

	@Override
	public long nanoTime() {
		return this.nanos.get();
	}

	/**
	 * Moves the clock forward.
	 * @param duration how far, 0 or more
	 * @return this clock
	 */
	public ManualClock advance(Duration duration) {
		if (duration.isNegative()) {
			throw new IllegalArgumentException("a monotonic clock cannot go back, but was asked to move " + duration);
		}
		this.nanos.addAndGet(duration.toNanos());
		return this;
	}

	/**
	 * Moves the clock forward by some milliseconds.
	 * @param millis how far, 0 or more
	 * @return this clock
	 */
	public ManualClock advanceMillis(long millis) {
		return advance(Duration.ofMillis(millis));
	}

	/**
	 * Moves the clock forward by some nanoseconds.
	 * @param nanos how far, 0 or more
	 * @return this clock
	 */
	public ManualClock advanceNanos(long nanos) {
		return advance(Duration.ofNanos(nanos));
	}

}
