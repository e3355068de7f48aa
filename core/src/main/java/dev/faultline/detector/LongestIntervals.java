package dev.faultline.detector;

/**
 * The tail model: the {@value #RECORDS} longest intervals learned, kept exactly, and the
 * exponential tail fitted beyond them.
 *
 * <p>
 * The histogram fades each interval beyond its own length by the steepest power law,
 * which says nothing about a pause longer than any seen. Pauses of varied length are the
 * sign that a longer one will come: the longest intervals well above the ordinary one
 * give a peaks-over-threshold estimate, an exponential beyond the least of them whose
 * scale is their mean excess over it. A steady peer has no such intervals and keeps the
 * steepest tail.
 *
 * <p>
 * Each record carries the count of learned intervals when it came, from which its
 * weight follows, so that it fades with the memory like the histogram. Immutable; adding
 * copies two arrays of at most {@value #RECORDS}, and only when the interval is among the
 * longest.
 */
final class LongestIntervals {

	/** How many of the longest intervals are kept exactly, for the tail. */
	static final int RECORDS = 32;

	/** How much of the weight, in intervals, the tail is fitted to. */
	static final double TAIL_COUNT = 12;

	/**
	 * How many mean absolute deviations above the ordinary interval an interval must be
	 * to count among the long ones the tail is fitted to.
	 */
	static final double SPREAD = 4;

	/** None learned yet. */
	static final LongestIntervals NONE = new LongestIntervals(new double[0], new long[0]);

	// a record whose weight fell below this gives its place to a newer one: 4 half-lives
	private static final double STALE_RECORD = 1.0 / 16;

	// longest first
	private final double[] values;

	private final long[] learnedAt;

	private LongestIntervals(double[] values, long[] learnedAt) {
		this.values = values;
		this.learnedAt = learnedAt;
	}

	/**
	 * Returns the records with the interval added if it is among the longest, the stale
	 * ones dropped; this one if nothing changes.
	 * @param interval the interval learned
	 * @param learned the count of learned intervals, this one included
	 * @param decay how much a weight fades per learned interval
	 */
	LongestIntervals add(double interval, long learned, double decay) {
		int size = this.values.length;
		int fresh = 0;
		for (int i = 0; i < size; i++) {
			if (weight(i, learned, decay) >= STALE_RECORD) {
				fresh++;
			}
		}
		if (fresh == RECORDS && !(interval > this.values[size - 1])) {
			return this;
		}
		double[] values = new double[Math.min(RECORDS, fresh + 1)];
		long[] learnedAt = new long[values.length];
		int n = 0;
		boolean placed = false;
		for (int i = 0; i < size && n < values.length; i++) {
			if (weight(i, learned, decay) < STALE_RECORD) {
				continue;
			}
			if (!placed && interval > this.values[i]) {
				values[n] = interval;
				learnedAt[n++] = learned;
				placed = true;
				if (n == values.length) {
					break;
				}
			}
			values[n] = this.values[i];
			learnedAt[n++] = this.learnedAt[i];
		}
		if (!placed && n < values.length) {
			values[n] = interval;
			learnedAt[n] = learned;
		}
		return new LongestIntervals(values, learnedAt);
	}

	/** Returns the longest interval kept, 0 if none. */
	double longest() {
		return (this.values.length > 0) ? this.values[0] : 0.0;
	}

	private double weight(int i, long learned, double decay) {
		return Math.pow(decay, learned - this.learnedAt[i]);
	}

	/**
	 * Returns the tail fitted to the longest intervals more than {@value #SPREAD} mean
	 * absolute deviations above the ordinary interval that make {@value #TAIL_COUNT} of
	 * the weight, or {@code null} if they do not spread.
	 * @param learned the count of learned intervals
	 * @param decay how much a weight fades per learned interval
	 * @param total the total weight of the histogram
	 * @param ordinary the ordinary interval
	 * @param deviation its mean absolute deviation
	 */
	ExponentialTail tail(long learned, double decay, double total, double ordinary, double deviation) {
		double gap = ordinary + SPREAD * deviation;
		int size = 0;
		while (size < this.values.length && this.values[size] > gap) {
			size++;
		}
		if (size < 2 || !(total > 0)) {
			return null;
		}
		double count = 0;
		double excess = 0;
		int last = 0;
		for (int i = 0; i < size; i++) {
			last = i;
			double weight = weight(i, learned, decay);
			count += weight;
			if (count >= TAIL_COUNT) {
				break;
			}
		}
		double from = this.values[last];
		double above = 0;
		for (int i = 0; i < last; i++) {
			double weight = weight(i, learned, decay);
			above += weight;
			excess += weight * (this.values[i] - from);
		}
		if (!(excess > 0)) {
			return null;
		}
		return new ExponentialTail(from, Math.min(1.0, count / total), excess / above);
	}

}
