package dev.faultline.detector;

/**
 * A histogram of heartbeat intervals over the {@link Buckets}: per bucket the weight of
 * the intervals in it and the longest of them, from which S, the share of the weight
 * still to come after a silence, follows at every edge.
 *
 * <p>
 * The longest interval per bucket is kept because a bucket is an eighth of an octave
 * wide: a silence just past the longest interval learned is already unusual, and S must
 * start to fall there, not at the bucket's upper edge.
 *
 * <p>
 * A histogram held by a detector's state is never changed: learning an interval returns
 * a new one. {@link #add} changes this histogram, and is only for one being filled, such
 * as a {@link #copy()} that the imagined intervals of the bootstrap are added to.
 */
final class IntervalHistogram {

	// a bucket whose weight fell below this forgets its longest interval when a new one
	// comes: about 6.6 half-lives
	private static final double STALE_WEIGHT = 0.01;

	private final double[] weights;

	private final double[] longest;

	private IntervalHistogram(double[] weights, double[] longest) {
		this.weights = weights;
		this.longest = longest;
	}

	/** Returns a new histogram with no weight. */
	static IntervalHistogram empty() {
		return new IntervalHistogram(new double[Buckets.COUNT], new double[Buckets.COUNT]);
	}

	/**
	 * Returns a new histogram with every weight faded by {@code decay} and the interval
	 * added at weight 1. A bucket whose weight has faded to almost nothing forgets its
	 * longest interval, so that a pause of hours ago does not widen the bucket forever.
	 */
	IntervalHistogram learned(double interval, double decay, Buckets buckets) {
		double[] weights = this.weights.clone();
		double[] longest = this.longest.clone();
		for (int i = 0; i < Buckets.COUNT; i++) {
			weights[i] *= decay;
		}
		int bucket = buckets.bucket(interval);
		longest[bucket] = (weights[bucket] < STALE_WEIGHT) ? interval : Math.max(longest[bucket], interval);
		weights[bucket] += 1.0;
		return new IntervalHistogram(weights, longest);
	}

	/** Returns a copy that may be {@linkplain #add added to}. */
	IntervalHistogram copy() {
		return new IntervalHistogram(this.weights.clone(), this.longest.clone());
	}

	/** Adds an interval at a weight to this histogram, which must be one being filled. */
	void add(double interval, double weight, Buckets buckets) {
		int bucket = buckets.bucket(interval);
		this.longest[bucket] = (this.weights[bucket] > 0) ? Math.max(this.longest[bucket], interval) : interval;
		this.weights[bucket] += weight;
	}

	/** Returns the total weight. */
	double total() {
		double total = 0;
		for (int b = 0; b < Buckets.COUNT; b++) {
			total += this.weights[b];
		}
		return total;
	}

	/** Returns the weight of the buckets whose longest interval is below the limit. */
	double total(double limit) {
		double total = 0;
		for (int b = 0; b < Buckets.COUNT; b++) {
			if (this.longest[b] < limit) {
				total += this.weights[b];
			}
		}
		return total;
	}

	/**
	 * Returns S at every edge for the buckets whose longest interval is below the
	 * limit: full weight for those at or beyond the edge, a power law of the steepest
	 * exponent for those below it.
	 */
	double[] survival(Buckets buckets, double total, double limit) {
		double[] survival = new double[Buckets.COUNT + 1];
		double beyond = 0;
		for (int b = 0; b < Buckets.COUNT; b++) {
			if (this.weights[b] > 0 && this.longest[b] < limit) {
				beyond += this.weights[b];
			}
		}
		double below = 0;
		for (int i = 0; i <= Buckets.COUNT; i++) {
			if (i > 0) {
				int b = i - 1;
				below *= buckets.stepFactor();
				if (this.weights[b] > 0 && this.longest[b] < limit) {
					beyond -= this.weights[b];
					below += this.weights[b] * buckets.fade(this.longest[b], buckets.edge(i));
				}
			}
			// a bucket's longest interval may lie beyond its upper edge only in the last
			survival[i] = Math.min(1.0, (Math.max(0.0, beyond) + below) / total);
		}
		return survival;
	}

	/**
	 * Returns S within one bucket, for finding exactly where S crosses a level there.
	 */
	Bucket bucket(int i, double total, Buckets buckets) {
		return new Bucket(this, i, total, buckets);
	}

	/**
	 * S of one histogram at any silence within bucket {@code i}, as
	 * {@link #survival} computes it at the edges: the weight of the buckets above it
	 * (whose intervals are all longer than any silence in the bucket), the faded weight
	 * of those below it, and the bucket itself.
	 */
	static final class Bucket {

		private final double above;

		private final double belowAtEdge;

		private final double weight;

		private final double longest;

		private final double total;

		private final double lowerEdge;

		private final Buckets buckets;

		private Bucket(IntervalHistogram histogram, int i, double total, Buckets buckets) {
			double above = 0;
			for (int b = i + 1; b < Buckets.COUNT; b++) {
				above += histogram.weights[b];
			}
			double below = 0;
			double edge = buckets.edge(i);
			for (int b = 0; b < i; b++) {
				if (histogram.weights[b] > 0) {
					below += histogram.weights[b] * buckets.fade(histogram.longest[b], edge);
				}
			}
			this.above = above;
			this.belowAtEdge = below;
			this.weight = histogram.weights[i];
			this.longest = histogram.longest[i];
			this.total = total;
			this.lowerEdge = edge;
			this.buckets = buckets;
		}

		/** Returns S at a silence within the bucket. */
		double at(double t) {
			double s = this.above
					+ this.belowAtEdge * Math.exp(-this.buckets.exponent() * Math.log(t / this.lowerEdge));
			if (this.weight > 0) {
				s += this.weight * this.buckets.fade(this.longest, t);
			}
			return Math.min(1.0, s / this.total);
		}

	}

}
