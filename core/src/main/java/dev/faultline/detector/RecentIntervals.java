package dev.faultline.detector;

import java.util.Arrays;

/**
 * The {@value #RECENT} latest intervals and the φ each had when it came.
 *
 * <p>
 * Hours of history outweigh a network that just got worse: the latest intervals alone
 * make a second histogram, so that they are believed at once. And when one of them was
 * itself improbable when it came (φ at least {@value #SURPRISE} of the threshold), the
 * network has changed: an exponential tail over their median, scaled by their mean
 * excess over it, widens the detector until what follows outweighs them. Immutable;
 * adding copies two arrays of {@value #RECENT}.
 */
final class RecentIntervals {

	/** How many of the latest intervals make the recent distribution. */
	static final int RECENT = 16;

	/**
	 * The share of the threshold that one of the latest intervals must have reached to
	 * mean that the network changed.
	 */
	static final double SURPRISE = 0.5;

	/** None learned yet. */
	static final RecentIntervals NONE = new RecentIntervals(new double[RECENT], new double[RECENT], 0);

	// the newest at intervals[(learned − 1) % RECENT]
	private final double[] intervals;

	private final double[] phi;

	private final int count;

	private RecentIntervals(double[] intervals, double[] phi, int count) {
		this.intervals = intervals;
		this.phi = phi;
		this.count = count;
	}

	/**
	 * Returns the latest intervals with this one in place of the oldest.
	 * @param interval the interval learned
	 * @param phi φ at that interval before it was learned
	 * @param learned the count of learned intervals, this one included
	 */
	RecentIntervals add(double interval, double phi, long learned) {
		double[] intervals = this.intervals.clone();
		double[] surprise = this.phi.clone();
		int slot = (int) ((learned - 1) % RECENT);
		intervals[slot] = interval;
		surprise[slot] = phi;
		return new RecentIntervals(intervals, surprise, (int) Math.min(RECENT, learned));
	}

	/** Returns how many there are, at most {@value #RECENT}. */
	int count() {
		return this.count;
	}

	/** Returns their histogram, each at weight 1. */
	IntervalHistogram histogram(Buckets buckets) {
		IntervalHistogram histogram = IntervalHistogram.empty();
		for (int r = 0; r < this.count; r++) {
			histogram.add(this.intervals[r], 1.0, buckets);
		}
		return histogram;
	}

	/** Returns whether one of them reached {@value #SURPRISE} of the threshold when it came. */
	boolean surprised(double threshold) {
		double surprise = 0;
		for (int r = 0; r < this.count; r++) {
			surprise = Math.max(surprise, this.phi[r]);
		}
		return surprise >= threshold * SURPRISE;
	}

	/**
	 * Returns the exponential tail above their median, its scale their mean excess over
	 * it, or {@code null} if they are too few or do not spread.
	 */
	ExponentialTail tail() {
		if (this.count < 4) {
			return null;
		}
		double[] sorted = Arrays.copyOf(this.intervals, this.count);
		Arrays.sort(sorted);
		int median = this.count / 2;
		double from = sorted[median];
		double excess = 0;
		for (int r = median + 1; r < this.count; r++) {
			excess += sorted[r] - from;
		}
		if (!(excess > 0)) {
			return null;
		}
		int above = this.count - median;
		return new ExponentialTail(from, (double) above / this.count, excess / (above - 1));
	}

}
