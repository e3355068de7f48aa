package dev.faultline.detector;

import java.time.Duration;

/**
 * What a {@link FailureDetector} knows at one moment, read from one consistent state.
 *
 * @param phi the suspicion level
 * @param threshold the level at and above which the process is suspected
 * @param sinceLastHeartbeat the silence so far: time since the process was last heard from
 * @param meanInterval the mean of the learned heartbeat intervals, or {@code null} when
 * the detector learns none
 * @param stdDeviation the standard deviation used for the intervals (after the minimum is
 * applied), or {@code null} when the detector learns none
 * @param sampleCount the number of intervals in the window (0 when the detector learns
 * none)
 */
public record DetectorSnapshot(double phi, double threshold, Duration sinceLastHeartbeat, Duration meanInterval,
		Duration stdDeviation, int sampleCount) {

	/**
	 * Returns whether the process was considered alive at the moment of the snapshot.
	 * @return {@code true} unless the process was suspected
	 */
	public boolean available() {
		return this.phi < this.threshold;
	}

}
