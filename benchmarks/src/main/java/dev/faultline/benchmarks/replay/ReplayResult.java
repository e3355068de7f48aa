package dev.faultline.benchmarks.replay;

/**
 * The failure-detector metrics of Chen, Toueg and Aguilera ("On the quality of service
 * of failure detectors", IEEE Transactions on Computers 51(5), 2002) for one policy on
 * one trace.
 *
 * @param trace the trace replayed
 * @param policy the detector configuration
 * @param mistakes how many times the detector went from trusting to suspecting the
 * process while it was alive
 * @param watchedNanos how long the process was watched alive, from the first heartbeat to
 * the crash
 * @param suspectedNanos how much of that time it was wrongly suspected
 * @param detectionAtCrashNanos T_D of the trace's crash: from the crash to the start of
 * the suspicion that never ends, 0 if that started before the crash,
 * {@link Long#MAX_VALUE} if it never starts
 * @param meanDetectionNanos the mean T_D had the process crashed at any instant of the
 * watched time, each equally likely; infinite if some crash would never be detected
 */
public record ReplayResult(Trace trace, DetectorPolicy policy, long mistakes, long watchedNanos, long suspectedNanos,
		long detectionAtCrashNanos, double meanDetectionNanos) {

	private static final double NANOS_PER_HOUR = 3_600e9;

	/**
	 * Returns λ_M, the mistake rate.
	 * @return mistakes per hour of watched time
	 */
	public double mistakesPerHour() {
		return this.mistakes / (this.watchedNanos / NANOS_PER_HOUR);
	}

	/**
	 * Returns P_A, the query accuracy probability.
	 * @return the fraction of the watched time during which the process was trusted
	 */
	public double queryAccuracy() {
		return 1.0 - (double) this.suspectedNanos / this.watchedNanos;
	}

	/**
	 * Returns T_D of the trace's crash in seconds.
	 * @return the detection time, infinite if never detected
	 */
	public double detectionAtCrashSeconds() {
		return (this.detectionAtCrashNanos == Long.MAX_VALUE) ? Double.POSITIVE_INFINITY
				: this.detectionAtCrashNanos / 1e9;
	}

	/**
	 * Returns the mean T_D over every crash instant in seconds.
	 * @return the mean detection time
	 */
	public double meanDetectionSeconds() {
		return this.meanDetectionNanos / 1e9;
	}

}
