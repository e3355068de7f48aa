package dev.faultline.detector;

import java.time.Duration;

/**
 * Which failure detector watches a process, and how: the type and the settings of every
 * type, from which {@link FailureDetector#create} builds the detector. Only the settings
 * of the chosen type are used; they are checked when the detector is built, by
 * {@link AdaptiveSettings}, {@link PhiAccrualSettings} or {@link FixedTimeoutDetector}.
 *
 * <p>
 * Three settings default to something that depends on the others, and are {@code null}
 * for it: the threshold to the type's own (that of {@link AdaptiveSettings#DEFAULTS}, 5,
 * for {@link DetectorType#ADAPTIVE adaptive}, and of {@link PhiAccrualSettings#DEFAULTS},
 * 8, for {@link DetectorType#PHI phi}, which needs a higher one because its normal
 * distribution is far too thin in the tail), and the acceptable pause and the first
 * estimate to the heartbeat interval, so that one lost heartbeat is not a crash and the
 * first judgements expect the configured cadence. The others default to those of
 * {@link AdaptiveSettings#DEFAULTS}, {@link PhiAccrualSettings#DEFAULTS} and
 * {@link FixedTimeoutDetector#DEFAULT_MISSED_HEARTBEATS}.
 *
 * @param type the detector model
 * @param heartbeatInterval the heartbeat cadence
 * @param threshold the φ at and above which the process is suspected, or {@code null}
 * for the type's default; not used by the fixed detector
 * @param memoryHalfLife after how many learned intervals one counts half, for the
 * adaptive detector
 * @param maxTailExponent the steepest tail assumed beyond the intervals seen, for the
 * adaptive detector
 * @param outageFactor how many ordinary intervals an interval that ends a suspicion may
 * last and still be learned, for the adaptive detector
 * @param maxSamples how many recent intervals the phi detector learns from
 * @param minStdDeviation the least standard deviation the phi detector assumes
 * @param acceptableHeartbeatPause the silence on top of the mean that the phi detector
 * accepts, or {@code null} for the heartbeat interval
 * @param firstHeartbeatEstimate the interval assumed before any is learned, by the
 * adaptive and phi detectors, or {@code null} for the heartbeat interval
 * @param missedHeartbeats how many heartbeat intervals without one the fixed detector
 * waits before it suspects
 * @see #of(DetectorType, Duration)
 */
public record DetectorSettings(DetectorType type, Duration heartbeatInterval, Double threshold, int memoryHalfLife,
		double maxTailExponent, double outageFactor, int maxSamples, Duration minStdDeviation,
		Duration acceptableHeartbeatPause, Duration firstHeartbeatEstimate, int missedHeartbeats) {

	/**
	 * Checks the type and the heartbeat interval, which every detector needs.
	 * @throws IllegalArgumentException if either is not set
	 */
	public DetectorSettings {
		if (type == null) {
			throw new IllegalArgumentException("type must be set, but was null");
		}
		if (heartbeatInterval == null) {
			throw new IllegalArgumentException("heartbeatInterval must be set, but was null");
		}
	}

	/**
	 * Returns the default settings of a type at a heartbeat interval.
	 * @param type the detector model
	 * @param heartbeatInterval the heartbeat cadence
	 * @return the settings
	 */
	public static DetectorSettings of(DetectorType type, Duration heartbeatInterval) {
		return new DetectorSettings(type, heartbeatInterval, null, AdaptiveSettings.DEFAULTS.memoryHalfLife(),
				AdaptiveSettings.DEFAULTS.maxTailExponent(), AdaptiveSettings.DEFAULTS.outageFactor(),
				PhiAccrualSettings.DEFAULTS.maxSampleSize(), PhiAccrualSettings.DEFAULTS.minStdDeviation(), null, null,
				FixedTimeoutDetector.DEFAULT_MISSED_HEARTBEATS);
	}

	/**
	 * Returns the threshold the detector uses: the one given, or the type's default.
	 * @return the threshold
	 */
	public double thresholdOrDefault() {
		if (this.threshold != null) {
			return this.threshold;
		}
		return (this.type == DetectorType.PHI) ? PhiAccrualSettings.DEFAULTS.threshold()
				: AdaptiveSettings.DEFAULTS.threshold();
	}

	/**
	 * Returns the settings of the adaptive detector.
	 * @return the settings
	 * @throws IllegalArgumentException if one of them is not allowed
	 */
	public AdaptiveSettings adaptiveSettings() {
		return new AdaptiveSettings(thresholdOrDefault(), orInterval(this.firstHeartbeatEstimate),
				this.memoryHalfLife, this.maxTailExponent, this.outageFactor);
	}

	/**
	 * Returns the settings of the phi detector.
	 * @return the settings
	 * @throws IllegalArgumentException if one of them is not allowed
	 */
	public PhiAccrualSettings phiAccrualSettings() {
		return new PhiAccrualSettings(thresholdOrDefault(), this.maxSamples, this.minStdDeviation,
				orInterval(this.acceptableHeartbeatPause), orInterval(this.firstHeartbeatEstimate));
	}

	private Duration orInterval(Duration duration) {
		return (duration != null) ? duration : this.heartbeatInterval;
	}

	/**
	 * Returns a copy with the given threshold.
	 * @param threshold the φ at and above which the process is suspected, or
	 * {@code null} for the type's default
	 * @return the new settings
	 */
	public DetectorSettings withThreshold(Double threshold) {
		return new DetectorSettings(this.type, this.heartbeatInterval, threshold, this.memoryHalfLife,
				this.maxTailExponent, this.outageFactor, this.maxSamples, this.minStdDeviation,
				this.acceptableHeartbeatPause, this.firstHeartbeatEstimate, this.missedHeartbeats);
	}

	/**
	 * Returns a copy with the given memory half-life.
	 * @param memoryHalfLife after how many learned intervals one counts half
	 * @return the new settings
	 */
	public DetectorSettings withMemoryHalfLife(int memoryHalfLife) {
		return new DetectorSettings(this.type, this.heartbeatInterval, this.threshold, memoryHalfLife,
				this.maxTailExponent, this.outageFactor, this.maxSamples, this.minStdDeviation,
				this.acceptableHeartbeatPause, this.firstHeartbeatEstimate, this.missedHeartbeats);
	}

	/**
	 * Returns a copy with the given steepest tail.
	 * @param maxTailExponent the steepest tail assumed beyond the intervals seen
	 * @return the new settings
	 */
	public DetectorSettings withMaxTailExponent(double maxTailExponent) {
		return new DetectorSettings(this.type, this.heartbeatInterval, this.threshold, this.memoryHalfLife,
				maxTailExponent, this.outageFactor, this.maxSamples, this.minStdDeviation,
				this.acceptableHeartbeatPause, this.firstHeartbeatEstimate, this.missedHeartbeats);
	}

	/**
	 * Returns a copy with the given outage factor.
	 * @param outageFactor how many ordinary intervals an interval that ends a suspicion
	 * may last and still be learned
	 * @return the new settings
	 */
	public DetectorSettings withOutageFactor(double outageFactor) {
		return new DetectorSettings(this.type, this.heartbeatInterval, this.threshold, this.memoryHalfLife,
				this.maxTailExponent, outageFactor, this.maxSamples, this.minStdDeviation,
				this.acceptableHeartbeatPause, this.firstHeartbeatEstimate, this.missedHeartbeats);
	}

	/**
	 * Returns a copy with the given window of the phi detector.
	 * @param maxSamples how many recent intervals it learns from
	 * @return the new settings
	 */
	public DetectorSettings withMaxSamples(int maxSamples) {
		return new DetectorSettings(this.type, this.heartbeatInterval, this.threshold, this.memoryHalfLife,
				this.maxTailExponent, this.outageFactor, maxSamples, this.minStdDeviation,
				this.acceptableHeartbeatPause, this.firstHeartbeatEstimate, this.missedHeartbeats);
	}

	/**
	 * Returns a copy with the given least standard deviation of the phi detector.
	 * @param minStdDeviation the least standard deviation it assumes
	 * @return the new settings
	 */
	public DetectorSettings withMinStdDeviation(Duration minStdDeviation) {
		return new DetectorSettings(this.type, this.heartbeatInterval, this.threshold, this.memoryHalfLife,
				this.maxTailExponent, this.outageFactor, this.maxSamples, minStdDeviation,
				this.acceptableHeartbeatPause, this.firstHeartbeatEstimate, this.missedHeartbeats);
	}

	/**
	 * Returns a copy with the given acceptable pause of the phi detector.
	 * @param acceptableHeartbeatPause the silence on top of the mean it accepts, or
	 * {@code null} for the heartbeat interval
	 * @return the new settings
	 */
	public DetectorSettings withAcceptableHeartbeatPause(Duration acceptableHeartbeatPause) {
		return new DetectorSettings(this.type, this.heartbeatInterval, this.threshold, this.memoryHalfLife,
				this.maxTailExponent, this.outageFactor, this.maxSamples, this.minStdDeviation,
				acceptableHeartbeatPause, this.firstHeartbeatEstimate, this.missedHeartbeats);
	}

	/**
	 * Returns a copy with the given first estimate.
	 * @param firstHeartbeatEstimate the interval assumed before any is learned, or
	 * {@code null} for the heartbeat interval
	 * @return the new settings
	 */
	public DetectorSettings withFirstHeartbeatEstimate(Duration firstHeartbeatEstimate) {
		return new DetectorSettings(this.type, this.heartbeatInterval, this.threshold, this.memoryHalfLife,
				this.maxTailExponent, this.outageFactor, this.maxSamples, this.minStdDeviation,
				this.acceptableHeartbeatPause, firstHeartbeatEstimate, this.missedHeartbeats);
	}

	/**
	 * Returns a copy with the given number of missed heartbeats of the fixed detector.
	 * @param missedHeartbeats how many heartbeat intervals without one it waits
	 * @return the new settings
	 */
	public DetectorSettings withMissedHeartbeats(int missedHeartbeats) {
		return new DetectorSettings(this.type, this.heartbeatInterval, this.threshold, this.memoryHalfLife,
				this.maxTailExponent, this.outageFactor, this.maxSamples, this.minStdDeviation,
				this.acceptableHeartbeatPause, this.firstHeartbeatEstimate, missedHeartbeats);
	}

}
