package dev.faultline.detector;

/**
 * The buckets that every histogram of one {@link AdaptiveFailureDetector} shares:
 * {@value #COUNT} of them, {@value #PER_OCTAVE} per doubling of the interval, from a
 * quarter of {@code firstHeartbeatEstimate} to 64 times it, and how the weight of a
 * bucket fades beyond its longest interval (a power law of {@code maxTailExponent}).
 *
 * <p>
 * Geometric buckets because the silences that matter range over decades: a jitter of a
 * few milliseconds and a pause of ten seconds must both be told apart from the ordinary
 * interval, with the same relative resolution. S is known exactly at the
 * {@value #COUNT} + 1 edges; between them it is read linearly in {@code log t}, which is
 * exact where one power law dominates. Immutable.
 */
final class Buckets {

	/** The histogram's buckets. */
	static final int COUNT = 64;

	/** Buckets per doubling of the interval. */
	static final int PER_OCTAVE = 8;

	/** The width of one bucket in {@code ln t}. */
	static final double LN_STEP = Math.log(2.0) / PER_OCTAVE;

	private final double[] edges = new double[COUNT + 1];

	private final double lowestEdge;

	private final double exponent;

	// r^−a: how a power law of the steepest exponent falls over one bucket
	private final double stepFactor;

	/**
	 * Creates the buckets around the first estimate.
	 * @param estimate the interval expected before any is learned, in nanoseconds
	 * @param exponent the steepest tail assumed beyond a learned interval
	 */
	Buckets(double estimate, double exponent) {
		this.lowestEdge = estimate / 4;
		for (int i = 0; i <= COUNT; i++) {
			this.edges[i] = this.lowestEdge * Math.pow(2.0, (double) i / PER_OCTAVE);
		}
		this.exponent = exponent;
		this.stepFactor = Math.exp(-this.exponent * LN_STEP);
	}

	/**
	 * Returns the bucket of an interval; shorter and longer intervals than the buckets
	 * reach are counted at the ends.
	 */
	int bucket(double interval) {
		if (!(interval > this.lowestEdge)) {
			return 0;
		}
		int bucket = (int) (Math.log(interval / this.lowestEdge) / LN_STEP);
		// the logarithm may round across an edge: the edges decide
		while (bucket > 0 && bucket < COUNT && interval < this.edges[bucket]) {
			bucket--;
		}
		while (bucket < COUNT - 1 && interval >= this.edges[bucket + 1]) {
			bucket++;
		}
		return Math.min(bucket, COUNT - 1);
	}

	/** Returns edge {@code i}, 0 to {@value #COUNT}, in nanoseconds. */
	double edge(int i) {
		return this.edges[i];
	}

	double lowestEdge() {
		return this.lowestEdge;
	}

	/** Returns the steepest tail exponent, {@code maxTailExponent}. */
	double exponent() {
		return this.exponent;
	}

	/** Returns how a power law of the steepest exponent falls over one bucket. */
	double stepFactor() {
		return this.stepFactor;
	}

	/** Returns a copy of the {@value #COUNT} + 1 edges. */
	double[] edges() {
		return this.edges.clone();
	}

	/**
	 * Returns the share of an interval's weight left at a silence: 1 up to the longest
	 * interval of its bucket, {@code (t / longest)^−a} beyond, so that timing noise too
	 * small to show in the history is not taken for a crash.
	 */
	double fade(double longest, double t) {
		return Math.exp(this.exponent * Math.log(Math.min(1.0, longest / t)));
	}

	/**
	 * Returns log S at a silence from a table of log S at the edges: linear in log t
	 * between edges, from log S = 0 at t = 0 to the first edge, at the steepest slope
	 * beyond the last.
	 */
	double interpolate(double[] logSurvival, double t) {
		if (t <= 0) {
			return 0.0;
		}
		if (t <= this.lowestEdge) {
			return logSurvival[0] * (t / this.lowestEdge);
		}
		double position = Math.log(t / this.lowestEdge) / LN_STEP;
		if (position >= COUNT) {
			return logSurvival[COUNT] - this.exponent * LN_STEP * (position - COUNT);
		}
		int i = (int) position;
		double fraction = position - i;
		return logSurvival[i] + (logSurvival[i + 1] - logSurvival[i]) * fraction;
	}

}
