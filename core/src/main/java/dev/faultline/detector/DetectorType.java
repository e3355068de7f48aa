package dev.faultline.detector;

/**
 * The failure detector models a peer can use, as {@link FailureDetector#create} builds
 * them.
 */
public enum DetectorType {

	/**
	 * Adaptive phi: learns the peer's own distribution of intervals, rare pauses and
	 * lost heartbeats included, over a long memory. See {@link AdaptiveFailureDetector}.
	 */
	ADAPTIVE,

	/**
	 * Classic phi accrual: a normal distribution of recent heartbeat intervals. See
	 * {@link PhiAccrualFailureDetector}.
	 */
	PHI,

	/**
	 * Fixed timeout: suspects after a fixed number of missed heartbeats. See
	 * {@link FixedTimeoutDetector}.
	 */
	FIXED

}
