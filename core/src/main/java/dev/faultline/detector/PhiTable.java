package dev.faultline.detector;

import java.util.function.DoubleUnaryOperator;
import java.util.function.IntFunction;

/**
 * φ at the 65 bucket edges, from which φ at any silence is read in O(1), and the
 * silence at which φ reaches the threshold, found exactly.
 *
 * <p>
 * φ is interpolated linearly in {@code log t} between edges, which is exact where one
 * power law dominates, and grows at the steepest slope beyond the last edge. Where a
 * bucket's longest interval lies inside the bucket the fade beyond it is far steeper than
 * the interpolation, which would suspect a silence just longer than one already learned:
 * so the silence at which φ reaches the threshold is found by bisection of S within its
 * bucket, and φ is held below the threshold before it and at or above it from there. So
 * φ is finite for any silence, non-negative and non-decreasing, and the suspicion begins
 * where S says. Immutable.
 */
final class PhiTable {

	private static final double LN_10 = Math.log(10.0);

	private final double[] phi;

	private final double lowestEdge;

	// φ per bucket width beyond the last edge
	private final double slope;

	private final double gapShare;

	// the silence at which φ reaches the threshold, found exactly; NaN where the
	// interpolation decides
	private final double crossing;

	private final double threshold;

	private PhiTable(double[] phi, double lowestEdge, double slope, double gapShare, double crossing,
			double threshold) {
		this.phi = phi;
		this.lowestEdge = lowestEdge;
		this.slope = slope;
		this.gapShare = gapShare;
		this.crossing = crossing;
		this.threshold = threshold;
	}

	/**
	 * Computes the table from S at the edges.
	 * @param buckets the buckets
	 * @param survival S at each of the 65 edges
	 * @param threshold the φ at and above which the process is suspected
	 * @param gapShare the share of gaps learned, for {@link #gapShare()}
	 * @param survivalInBucket S at any silence within a bucket, computed as at the edges,
	 * asked for the one bucket where φ reaches the threshold
	 * @return the table
	 */
	static PhiTable of(Buckets buckets, double[] survival, double threshold, double gapShare,
			IntFunction<DoubleUnaryOperator> survivalInBucket) {
		double slope = buckets.exponent() * Buckets.LN_STEP / LN_10;
		double[] phi = new double[Buckets.COUNT + 1];
		for (int i = 0; i <= Buckets.COUNT; i++) {
			double s = survival[i];
			double value = (s >= 1.0) ? 0.0 : -Math.log(s) / LN_10;
			if (!(value < Double.POSITIVE_INFINITY)) {
				// S underflowed, hundreds of decades past any threshold: φ goes on at the
				// steepest slope, so that it stays finite
				value = ((i > 0) ? phi[i - 1] : 0.0) + slope;
			}
			phi[i] = (i > 0) ? Math.max(value, phi[i - 1]) : Math.max(0.0, value);
		}
		// φ is interpolated between edges, which misses where within its bucket a
		// learned interval ends and the steep fade beyond it begins: the silence at
		// which the threshold is reached is found exactly instead
		double crossing = Double.NaN;
		double level = Math.pow(10.0, -threshold);
		for (int i = 0; i < Buckets.COUNT; i++) {
			if (phi[i + 1] >= threshold) {
				if (phi[i] < threshold) {
					crossing = crossing(buckets, i, survivalInBucket.apply(i), level);
				}
				break;
			}
		}
		return new PhiTable(phi, buckets.lowestEdge(), slope, gapShare, crossing, threshold);
	}

	/**
	 * Returns the least silence in the bucket at which S falls to the level, to the
	 * nanosecond, or NaN if S does not cross it there.
	 */
	private static double crossing(Buckets buckets, int bucket, DoubleUnaryOperator survival, double level) {
		double low = buckets.edge(bucket);
		double high = buckets.edge(bucket + 1);
		if (!(survival.applyAsDouble(low) > level) || survival.applyAsDouble(high) > level) {
			return Double.NaN;
		}
		while (high - low > 1.0) {
			double middle = 0.5 * (low + high);
			if (survival.applyAsDouble(middle) > level) {
				low = middle;
			}
			else {
				high = middle;
			}
		}
		return high;
	}

	/** Returns the share of gaps learned when the table was computed. */
	double gapShare() {
		return this.gapShare;
	}

	/** Returns a copy of φ at the edges. */
	double[] values() {
		return this.phi.clone();
	}

	/**
	 * Returns φ after a silence in nanoseconds: linear in log t between edges, linear
	 * in t from 0 to the first edge, at the slope of the slowest tail beyond the last.
	 */
	double phi(double silence) {
		double interpolated = interpolated(silence);
		if (Double.isNaN(this.crossing)) {
			return interpolated;
		}
		return (silence < this.crossing) ? Math.min(interpolated, Math.nextDown(this.threshold))
				: Math.max(interpolated, this.threshold);
	}

	private double interpolated(double silence) {
		if (!(silence > 0)) {
			return 0.0;
		}
		double[] table = this.phi;
		if (silence <= this.lowestEdge) {
			return table[0] * (silence / this.lowestEdge);
		}
		double position = Math.log(silence / this.lowestEdge) / Buckets.LN_STEP;
		if (position >= Buckets.COUNT) {
			return Math.max(table[Buckets.COUNT], table[Buckets.COUNT] + this.slope * (position - Buckets.COUNT));
		}
		int i = (int) position;
		double fraction = position - i;
		// capped: a + (b − a)·f may round one ulp past b
		return Math.min(table[i + 1], table[i] + (table[i + 1] - table[i]) * fraction);
	}

	/**
	 * Returns the least silence at which φ reaches the level, in nanoseconds; +∞ if
	 * none does.
	 */
	double silenceAt(double level) {
		double interpolated = interpolatedSilenceAt(level);
		if (Double.isNaN(this.crossing) || level <= 0) {
			return interpolated;
		}
		if (level == this.threshold) {
			return this.crossing;
		}
		return (level < this.threshold) ? Math.min(interpolated, this.crossing)
				: Math.max(interpolated, this.crossing);
	}

	private double interpolatedSilenceAt(double level) {
		double[] table = this.phi;
		if (level <= 0) {
			return 0.0;
		}
		if (table[0] >= level) {
			return this.lowestEdge * (level / table[0]);
		}
		for (int i = 0; i < Buckets.COUNT; i++) {
			if (table[i + 1] >= level) {
				double fraction = (level - table[i]) / (table[i + 1] - table[i]);
				return this.lowestEdge * Math.exp(Buckets.LN_STEP * (i + fraction));
			}
		}
		if (!(this.slope > 0)) {
			return Double.POSITIVE_INFINITY;
		}
		return this.lowestEdge
				* Math.exp(Buckets.LN_STEP * (Buckets.COUNT + (level - table[Buckets.COUNT]) / this.slope));
	}

}
