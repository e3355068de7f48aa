package dev.faultline.detector;

/**
 * Everything an {@link AdaptiveFailureDetector} has learned from the intervals, one
 * immutable value: the histogram, the longest intervals, the latest ones, the loss model
 * and the moments, and how many intervals went into them. What it means for a silence
 * is the {@link PhiTable} that {@link SurvivalModel#table} computes from it.
 */
final class IntervalHistory {

	private final IntervalHistogram histogram;

	private final LongestIntervals longest;

	private final RecentIntervals recent;

	private final LostHeartbeats losses;

	private final IntervalMoments moments;

	private final long learned;

	private IntervalHistory(IntervalHistogram histogram, LongestIntervals longest, RecentIntervals recent,
			LostHeartbeats losses, IntervalMoments moments, long learned) {
		this.histogram = histogram;
		this.longest = longest;
		this.recent = recent;
		this.losses = losses;
		this.moments = moments;
		this.learned = learned;
	}

	/**
	 * Returns the history before any interval is learned.
	 * @param estimate the first heartbeat estimate in nanoseconds
	 */
	static IntervalHistory none(double estimate) {
		return new IntervalHistory(IntervalHistogram.empty(), LongestIntervals.NONE, RecentIntervals.NONE,
				LostHeartbeats.expecting(estimate), IntervalMoments.NONE, 0);
	}

	/**
	 * Returns the history with one more interval learned into every part.
	 * @param interval the interval in nanoseconds, at least 1
	 * @param phi φ at that interval before it is learned
	 * @param decay how much a weight fades per learned interval
	 * @param buckets the buckets of the histograms
	 */
	IntervalHistory learn(double interval, double phi, double decay, Buckets buckets) {
		long learned = (this.learned == Long.MAX_VALUE) ? this.learned : this.learned + 1;
		return new IntervalHistory(this.histogram.learned(interval, decay, buckets),
				this.longest.add(interval, learned, decay), this.recent.add(interval, phi, learned),
				this.losses.learn(interval, this.learned == 0, decay), this.moments.learn(interval, decay), learned);
	}

	IntervalHistogram histogram() {
		return this.histogram;
	}

	LongestIntervals longest() {
		return this.longest;
	}

	RecentIntervals recent() {
		return this.recent;
	}

	LostHeartbeats losses() {
		return this.losses;
	}

	IntervalMoments moments() {
		return this.moments;
	}

	/** Returns how many intervals have been learned. */
	long learned() {
		return this.learned;
	}

}
