package dev.faultline.detector;

/**
 * Decides from heartbeats whether one monitored process is still alive.
 *
 * <p>
 * Two kinds of arrival are told apart. A {@link #heartbeat()} arrives at the heartbeat
 * cadence and its interval since the previous sampled heartbeat may feed the detector's
 * statistics. A {@link #refresh()} only says "heard from now" (for example a response to
 * ordinary traffic that came between two heartbeats): the silence restarts from now but
 * the statistics are left alone, so bursts of traffic cannot shrink the learned interval.
 *
 * <p>
 * Watching starts when the detector is created, as if a heartbeat arrived then, so a peer
 * that never answers becomes suspected too. Implementations are thread-safe.
 *
 * @see #create(DetectorSettings, MonotonicClock)
 */
public interface FailureDetector {

	/**
	 * Records a heartbeat that arrived now, at the heartbeat cadence.
	 */
	void heartbeat();

	/**
	 * Records that the process was heard from now, without adding an interval sample.
	 */
	void refresh();

	/**
	 * Starts watching afresh from now, keeping what was learned: the silence until now is
	 * neither counted against the process nor learned as an interval. Called when watching
	 * really begins, so that the time between the detector's creation and its first probe
	 * (the rest of this service's own startup) is not taken for the peer's silence.
	 */
	void restart();

	/**
	 * Returns the current suspicion level: finite, non-negative and non-decreasing while
	 * no heartbeat arrives. The process is suspected once it reaches {@link #threshold()}.
	 * @return the suspicion level now
	 */
	double phi();

	/**
	 * Returns the suspicion level at and above which the process is suspected.
	 * @return the threshold
	 */
	double threshold();

	/**
	 * Returns whether the process is considered alive now, that is {@code phi() < threshold()}.
	 * @return {@code true} unless the process is suspected
	 */
	default boolean isAvailable() {
		return phi() < threshold();
	}

	/**
	 * Returns a consistent view of the detector's state now, for health and metrics.
	 * @return the snapshot
	 */
	DetectorSnapshot snapshot();

	/**
	 * Creates the detector of the settings' type, watching from now: an
	 * {@link AdaptiveFailureDetector}, a {@link PhiAccrualFailureDetector} or a
	 * {@link FixedTimeoutDetector}.
	 * @param settings the type and its settings
	 * @param clock the clock the detector reads
	 * @return a new detector
	 * @throws IllegalArgumentException if a setting of the type is not allowed
	 */
	static FailureDetector create(DetectorSettings settings, MonotonicClock clock) {
		if (settings == null) {
			throw new IllegalArgumentException("settings must be set, but was null");
		}
		return switch (settings.type()) {
			case ADAPTIVE -> new AdaptiveFailureDetector(settings.adaptiveSettings(), clock);
			case PHI -> new PhiAccrualFailureDetector(settings.phiAccrualSettings(), clock);
			case FIXED -> new FixedTimeoutDetector(settings.heartbeatInterval(), settings.missedHeartbeats(), clock);
		};
	}

}
