package dev.faultline.detector;

import java.time.Duration;

/**
 * The parameters of an {@link AdaptiveFailureDetector}, checked when created.
 *
 * @param threshold the φ at and above which the process is suspected: a finite number
 * greater than 0. φ is calibrated: at threshold {@code θ} the detector accepts a chance of
 * 10<sup>−θ</sup> per heartbeat interval that a process it suspects would in fact have
 * answered, so at one heartbeat a second it expects about {@code 3600 × 10^−θ} false
 * suspicions an hour.
 * @param firstHeartbeatEstimate the heartbeat interval expected before any has been
 * learned, greater than 0, normally the configured heartbeat interval. It also places the
 * histogram: intervals from a quarter of it to 64 times it are told apart, shorter and
 * longer ones are counted at the ends.
 * @param memoryHalfLife after how many learned intervals an interval counts half as much
 * as a new one, {@value #MIN_MEMORY_HALF_LIFE} to {@value #MAX_MEMORY_HALF_LIFE}: how long
 * rare silences are remembered
 * @param maxTailExponent the steepest tail the detector assumes beyond the intervals it
 * has seen, a finite number from {@value #MIN_TAIL_EXPONENT} to
 * {@value #MAX_TAIL_EXPONENT}: past every interval {@code x} it has learned, the chance
 * that a silence lasts {@code t} falls no faster than {@code (t / x)^−maxTailExponent}, so
 * that timing noise too small to show in the history is not taken for a crash
 * @param outageFactor how many ordinary intervals (at least
 * {@code firstHeartbeatEstimate}) an interval that ends a suspicion may last and still be
 * learned, a finite number greater than 1: within it, it was a pause the detector should
 * have known about; a longer one was an outage, and learning it would slow every later
 * detection
 * @see #DEFAULTS
 */
public record AdaptiveSettings(double threshold, Duration firstHeartbeatEstimate, int memoryHalfLife,
		double maxTailExponent, double outageFactor) {

	// the histogram reaches 64 times the estimate in long nanoseconds; before DEFAULTS,
	// which the constructor checks against it
	private static final Duration MAX_ESTIMATE = Duration.ofNanos(Long.MAX_VALUE / 256);

	/** The least {@link #memoryHalfLife()} accepted. */
	public static final int MIN_MEMORY_HALF_LIFE = 16;

	/** The largest {@link #memoryHalfLife()} accepted: about 12 days at one heartbeat a second. */
	public static final int MAX_MEMORY_HALF_LIFE = 1_000_000;

	/** The least {@link #maxTailExponent()} accepted. */
	public static final double MIN_TAIL_EXPONENT = 2;

	/**
	 * The largest {@link #maxTailExponent()} accepted: steeper, and the histogram's
	 * resolution, not the tail, would decide when the process is suspected.
	 */
	public static final double MAX_TAIL_EXPONENT = 1000;

	/**
	 * The default settings, for a heartbeat every second:
	 * <ul>
	 * <li>{@code threshold} 5: about one false suspicion in 28 hours at one heartbeat a
	 * second if the model is right; a tenth of a mistake an hour, the rate a user is taken
	 * to accept, is φ 4.6, and the half a decade above it covers what the model gets
	 * wrong;</li>
	 * <li>{@code firstHeartbeatEstimate} 1 s: the default heartbeat interval;</li>
	 * <li>{@code memoryHalfLife} 14400: four hours at one heartbeat a second. Silences
	 * that come back more often than a few times in the memory are remembered between two
	 * occurrences; those that are rarer can each cause a false suspicion, at most about one
	 * per memory. With one hour, pauses that came a few times an hour, and the longest
	 * silences of a heavy-tailed network, were forgotten before they came back;</li>
	 * <li>{@code maxTailExponent} 100: beyond the longest interval of a perfectly regular
	 * process, φ grows by 1 for every 2.3 % more silence, so at φ 5 the process is
	 * suspected about 12 % after its longest interval;</li>
	 * <li>{@code outageFactor} 8: a process beating every second whose heartbeat comes
	 * within 8 s of the last had paused; one that comes later had been down. With 4,
	 * pauses of 5 or 6 s on a network that is otherwise quiet were taken for outages,
	 * never learned, and each was a false suspicion again.</li>
	 * </ul>
	 */
	public static final AdaptiveSettings DEFAULTS = new AdaptiveSettings(5.0, Duration.ofSeconds(1), 14400, 100.0,
			8.0);

	/**
	 * Checks every parameter.
	 * @throws IllegalArgumentException naming the first parameter whose value is not
	 * allowed, with the value and what is allowed
	 */
	public AdaptiveSettings {
		if (!Double.isFinite(threshold) || threshold <= 0) {
			throw new IllegalArgumentException(
					"threshold must be a finite number greater than 0, but was " + threshold);
		}
		if (firstHeartbeatEstimate == null) {
			throw new IllegalArgumentException("firstHeartbeatEstimate must be set, but was null");
		}
		if (firstHeartbeatEstimate.isNegative() || firstHeartbeatEstimate.isZero()) {
			throw new IllegalArgumentException(
					"firstHeartbeatEstimate must be greater than 0, but was " + firstHeartbeatEstimate);
		}
		if (firstHeartbeatEstimate.compareTo(MAX_ESTIMATE) > 0) {
			throw new IllegalArgumentException(
					"firstHeartbeatEstimate must be at most " + MAX_ESTIMATE + ", but was " + firstHeartbeatEstimate);
		}
		if (memoryHalfLife < MIN_MEMORY_HALF_LIFE || memoryHalfLife > MAX_MEMORY_HALF_LIFE) {
			throw new IllegalArgumentException("memoryHalfLife must be between " + MIN_MEMORY_HALF_LIFE + " and "
					+ MAX_MEMORY_HALF_LIFE + " intervals, but was " + memoryHalfLife);
		}
		if (!(maxTailExponent >= MIN_TAIL_EXPONENT && maxTailExponent <= MAX_TAIL_EXPONENT)) {
			throw new IllegalArgumentException("maxTailExponent must be a number between "
					+ number(MIN_TAIL_EXPONENT) + " and " + number(MAX_TAIL_EXPONENT) + ", but was " + maxTailExponent);
		}
		if (!Double.isFinite(outageFactor) || outageFactor <= 1) {
			throw new IllegalArgumentException(
					"outageFactor must be a finite number greater than 1, but was " + outageFactor);
		}
	}

	private static String number(double value) {
		return (value == Math.rint(value)) ? Long.toString((long) value) : Double.toString(value);
	}

	/**
	 * Returns a copy with the given threshold.
	 * @param threshold the φ at and above which the process is suspected
	 * @return the new settings
	 */
	public AdaptiveSettings withThreshold(double threshold) {
		return new AdaptiveSettings(threshold, this.firstHeartbeatEstimate, this.memoryHalfLife,
				this.maxTailExponent, this.outageFactor);
	}

	/**
	 * Returns a copy with the given first estimate.
	 * @param firstHeartbeatEstimate the interval expected before any is learned
	 * @return the new settings
	 */
	public AdaptiveSettings withFirstHeartbeatEstimate(Duration firstHeartbeatEstimate) {
		return new AdaptiveSettings(this.threshold, firstHeartbeatEstimate, this.memoryHalfLife,
				this.maxTailExponent, this.outageFactor);
	}

	/**
	 * Returns a copy with the given memory half-life.
	 * @param memoryHalfLife after how many learned intervals one counts half
	 * @return the new settings
	 */
	public AdaptiveSettings withMemoryHalfLife(int memoryHalfLife) {
		return new AdaptiveSettings(this.threshold, this.firstHeartbeatEstimate, memoryHalfLife,
				this.maxTailExponent, this.outageFactor);
	}

	/**
	 * Returns a copy with the given steepest tail.
	 * @param maxTailExponent the steepest tail assumed beyond the intervals seen
	 * @return the new settings
	 */
	public AdaptiveSettings withMaxTailExponent(double maxTailExponent) {
		return new AdaptiveSettings(this.threshold, this.firstHeartbeatEstimate, this.memoryHalfLife,
				maxTailExponent, this.outageFactor);
	}

	/**
	 * Returns a copy with the given outage factor.
	 * @param outageFactor how many ordinary intervals an interval that ends a suspicion
	 * may last and still be learned
	 * @return the new settings
	 */
	public AdaptiveSettings withOutageFactor(double outageFactor) {
		return new AdaptiveSettings(this.threshold, this.firstHeartbeatEstimate, this.memoryHalfLife,
				this.maxTailExponent, outageFactor);
	}

}
