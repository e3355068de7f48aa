package dev.faultline.detector;

/**
 * A monotonic source of nanoseconds, injected into detectors so that tests can drive
 * time by hand. Never wall-clock time: a wall clock that jumps would read as a silence
 * or a burst of heartbeats.
 */
@FunctionalInterface
public interface MonotonicClock {

	/** The clock of this JVM, {@link System#nanoTime()}. */
	MonotonicClock SYSTEM = System::nanoTime;

	/**
	 * Returns the current reading in nanoseconds; only differences between readings mean
	 * anything.
	 * @return the current reading
	 */
	long nanoTime();

}
