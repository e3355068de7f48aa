package dev.faultline.detector;

/**
 * The imagined intervals that the first judgements of an {@link AdaptiveFailureDetector}
 * also count, each fading linearly as real ones are learned.
 *
 * <p>
 * A young detector has seen too little to know the network's delays and pauses. A lost
 * heartbeat, twice the first estimate, lasts {@value #LOSS_MAX} learned intervals (fewer
 * with a short memory), about a minute at one heartbeat a second: a heartbeat lost then
 * is not suspected, and it is short because while it lasts the suspicion timeout stays
 * beyond two intervals. Noise not yet seen, 3/4 of the estimate and
 * {@value LostHeartbeats#GAP_FACTOR} times the longest interval learned so far (at least
 * the estimate), lasts until a {@value #FRACTION}th of {@code memoryHalfLife} intervals
 * are learned (from {@value #MIN} to {@value #MAX}): a silence up to half again the
 * longest one seen is not taken for a crash, and a pause learned early is not a mistake
 * again when a longer one follows. Immutable.
 */
final class Bootstrap {

	/** The imagined noise fades out over this fraction of the memory half-life. */
	static final double FRACTION = 6;

	/**
	 * The imagined noise fades out over at most this many learned intervals: a long
	 * memory must not make the first judgements slow for hours.
	 */
	static final int MAX = 600;

	/** The imagined intervals fade out over at least this many learned intervals. */
	static final int MIN = 16;

	/**
	 * The imagined lost heartbeat fades out over at most this many learned intervals,
	 * about a minute at one heartbeat a second: it holds the suspicion timeout beyond two
	 * intervals while it lasts, so a peer that lost no heartbeat by then is judged by what
	 * it showed, and its first lost heartbeat costs one suspicion, after which the loss
	 * part expects the next.
	 */
	static final int LOSS_MAX = 64;

	private final double estimate;

	private final double noiseSpan;

	private final double lossSpan;

	/**
	 * Creates the bootstrap of a detector.
	 * @param estimate the first heartbeat estimate in nanoseconds
	 * @param memoryHalfLife the memory half-life in learned intervals
	 */
	Bootstrap(double estimate, int memoryHalfLife) {
		this.estimate = estimate;
		this.noiseSpan = Math.max(MIN, Math.min(MAX, memoryHalfLife / FRACTION));
		this.lossSpan = Math.min(this.noiseSpan, LOSS_MAX);
	}

	/**
	 * Adds the imagined intervals that are left after {@code learned} real ones to a
	 * histogram being filled.
	 * @param histogram the histogram, a copy of the learned one
	 * @param learned how many intervals have been learned
	 * @param longest the longest interval learned, 0 if none
	 * @param buckets the buckets
	 */
	void imagine(IntervalHistogram histogram, long learned, double longest, Buckets buckets) {
		// noise not yet seen: half again the longest interval so far, so that a pause
		// learned early is not a mistake again when a longer one follows
		double imagined = Math.max(0.0, 1.0 - (double) learned / this.noiseSpan);
		if (imagined > 0) {
			histogram.add(this.estimate * 0.75, imagined, buckets);
			histogram.add(Math.max(this.estimate, longest) * LostHeartbeats.GAP_FACTOR, imagined, buckets);
		}
		// a lost heartbeat, for the first minute or so only: while it lasts no silence
		// under two intervals is suspected
		double imaginedLoss = Math.max(0.0, 1.0 - (double) learned / this.lossSpan);
		if (imaginedLoss > 0) {
			histogram.add(this.estimate * 2, imaginedLoss, buckets);
		}
	}

}
