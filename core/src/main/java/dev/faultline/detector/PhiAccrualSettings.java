package dev.faultline.detector;

import java.time.Duration;

/**
 * The parameters of a {@link PhiAccrualFailureDetector}, checked when created.
 *
 * @param threshold the φ at and above which the process is suspected: a finite number
 * greater than 0. At {@code 8} the detector accepts a chance of about 10<sup>-8</sup>
 * that a process it suspects would in fact have answered.
 * @param maxSampleSize how many of the latest heartbeat intervals the detector learns
 * from, 1 to {@value #MAX_SAMPLE_SIZE_LIMIT}
 * @param minStdDeviation the least standard deviation used for the intervals, greater
 * than 0, so that a very regular process is not suspected for the smallest delay
 * @param acceptableHeartbeatPause a silence on top of the learned mean that is still
 * normal, such as a lost heartbeat or a garbage collection pause; 0 or more
 * @param firstHeartbeatEstimate the interval assumed before any has been learned,
 * greater than 0, normally the heartbeat interval
 * @see #DEFAULTS
 */
public record PhiAccrualSettings(double threshold, int maxSampleSize, Duration minStdDeviation,
		Duration acceptableHeartbeatPause, Duration firstHeartbeatEstimate) {

	/**
	 * The largest {@link #maxSampleSize()} accepted: 100 000 intervals, more than a day
	 * of history at one heartbeat a second, already beyond any use for a detector that
	 * must follow a process that changes.
	 */
	public static final int MAX_SAMPLE_SIZE_LIMIT = 100_000;

	/**
	 * The default settings, for a heartbeat every second:
	 * <ul>
	 * <li>{@code threshold} 8: the process is suspected when the chance that its next
	 * heartbeat is still on its way has fallen to 10<sup>-8</sup>, so a suspicion is wrong
	 * about once in a hundred million checks of a healthy process;</li>
	 * <li>{@code maxSampleSize} 200: about 3 minutes of history at one heartbeat a second,
	 * long enough for a steady estimate, short enough to follow a peer whose rhythm
	 * changes;</li>
	 * <li>{@code minStdDeviation} 100 ms: a very regular peer gives a standard deviation
	 * near zero, and without a floor a few milliseconds of scheduler or network noise would
	 * convict it;</li>
	 * <li>{@code acceptableHeartbeatPause} 1 s: one lost heartbeat at the default 1 s
	 * interval is not a crash;</li>
	 * <li>{@code firstHeartbeatEstimate} 1 s: the default heartbeat interval, used until
	 * real intervals have been learned.</li>
	 * </ul>
	 */
	public static final PhiAccrualSettings DEFAULTS = new PhiAccrualSettings(8.0, 200, Duration.ofMillis(100),
			Duration.ofSeconds(1), Duration.ofSeconds(1));

	/**
	 * Checks every parameter.
	 * @throws IllegalArgumentException naming the first parameter whose value is not
	 * allowed, with the value and what is allowed
	 */
	public PhiAccrualSettings {
		if (!Double.isFinite(threshold) || threshold <= 0) {
			throw new IllegalArgumentException(
					"threshold must be a finite number greater than 0, but was " + threshold);
		}
		if (maxSampleSize < 1 || maxSampleSize > MAX_SAMPLE_SIZE_LIMIT) {
			throw new IllegalArgumentException("maxSampleSize must be between 1 and " + MAX_SAMPLE_SIZE_LIMIT
					+ ", but was " + maxSampleSize);
		}
		requireInNanosRange("minStdDeviation", minStdDeviation, false);
		requireInNanosRange("acceptableHeartbeatPause", acceptableHeartbeatPause, true);
		requireInNanosRange("firstHeartbeatEstimate", firstHeartbeatEstimate, false);
	}

	/**
	 * Returns a copy with the given threshold.
	 * @param threshold the φ at and above which the process is suspected
	 * @return the new settings
	 */
	public PhiAccrualSettings withThreshold(double threshold) {
		return new PhiAccrualSettings(threshold, this.maxSampleSize, this.minStdDeviation,
				this.acceptableHeartbeatPause, this.firstHeartbeatEstimate);
	}

	/**
	 * Returns a copy with the given window size.
	 * @param maxSampleSize how many of the latest intervals are learned from
	 * @return the new settings
	 */
	public PhiAccrualSettings withMaxSampleSize(int maxSampleSize) {
		return new PhiAccrualSettings(this.threshold, maxSampleSize, this.minStdDeviation,
				this.acceptableHeartbeatPause, this.firstHeartbeatEstimate);
	}

	/**
	 * Returns a copy with the given minimum standard deviation.
	 * @param minStdDeviation the least standard deviation used
	 * @return the new settings
	 */
	public PhiAccrualSettings withMinStdDeviation(Duration minStdDeviation) {
		return new PhiAccrualSettings(this.threshold, this.maxSampleSize, minStdDeviation,
				this.acceptableHeartbeatPause, this.firstHeartbeatEstimate);
	}

	/**
	 * Returns a copy with the given acceptable pause.
	 * @param acceptableHeartbeatPause the silence beyond the mean that is still normal
	 * @return the new settings
	 */
	public PhiAccrualSettings withAcceptableHeartbeatPause(Duration acceptableHeartbeatPause) {
		return new PhiAccrualSettings(this.threshold, this.maxSampleSize, this.minStdDeviation,
				acceptableHeartbeatPause, this.firstHeartbeatEstimate);
	}

	/**
	 * Returns a copy with the given first estimate.
	 * @param firstHeartbeatEstimate the interval assumed before any is learned
	 * @return the new settings
	 */
	public PhiAccrualSettings withFirstHeartbeatEstimate(Duration firstHeartbeatEstimate) {
		return new PhiAccrualSettings(this.threshold, this.maxSampleSize, this.minStdDeviation,
				this.acceptableHeartbeatPause, firstHeartbeatEstimate);
	}

	private static void requireInNanosRange(String name, Duration value, boolean zeroAllowed) {
		if (value == null) {
			throw new IllegalArgumentException(name + " must be set, but was null");
		}
		if (value.isNegative() || (!zeroAllowed && value.isZero())) {
			throw new IllegalArgumentException(
					name + " must be " + (zeroAllowed ? "0 or more" : "greater than 0") + ", but was " + value);
		}
		try {
			value.toNanos();
		}
		catch (ArithmeticException ex) {
			// the detector works in long nanoseconds: about 292 years at most
			throw new IllegalArgumentException(
					name + " must be at most " + Duration.ofNanos(Long.MAX_VALUE) + ", but was " + value);
		}
	}

}
