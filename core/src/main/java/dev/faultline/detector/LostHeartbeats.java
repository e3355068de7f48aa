package dev.faultline.detector;

/**
 * The loss model: the ordinary interval, which intervals are gaps (a heartbeat lost on
 * the way, or several), the share of gaps learned, and the part of S they give.
 *
 * <p>
 * A heartbeat sent on a schedule that is lost leaves a silence one ordinary interval
 * longer, two lost in a row two intervals longer. So with {@code p} the learned share of
 * gaps, {@code S_loss(t) = Σ p^j·S_ordinary(t − j·m)} for {@code j} from 1 to
 * {@value #MAX_LOSSES}, {@code m} the ordinary interval and {@code S_ordinary} the
 * histogram's S for the ordinary intervals alone: having seen one heartbeat in fifty
 * lost, the detector expects three in a row about once in 125 000 intervals, without
 * having to see it first.
 *
 * <p>
 * The ordinary interval follows the intervals that are not gaps, with their mean absolute
 * deviation, so that neither the gaps nor a few pauses move it. An interval is a gap when
 * it is at least {@value #GAP_FACTOR} ordinary intervals and at least
 * {@value #GAP_SPREAD} mean absolute deviations above it: on a network with 50 % jitter
 * an interval of 1.5 ordinary ones is jitter, not a loss. Immutable.
 */
final class LostHeartbeats {

	/** An interval this many times the ordinary one counts as a gap, as if heartbeats were lost. */
	static final double GAP_FACTOR = 1.5;

	/**
	 * An interval this many mean absolute deviations above the ordinary one at least
	 * counts as a gap: on a jittery network a long interval is jitter, not a loss.
	 */
	static final double GAP_SPREAD = 8;

	/** The most heartbeats lost in a row that the loss part counts. */
	static final int MAX_LOSSES = 8;

	// how fast the ordinary interval follows the shorter intervals
	private static final double ORDINARY_RATE = 1.0 / 16;

	// the least log S used for the ordinary intervals, e^−2000
	private static final double LOG_FLOOR = -2000;

	private final double ordinary;

	private final double deviation;

	private final double gapWeight;

	private LostHeartbeats(double ordinary, double deviation, double gapWeight) {
		this.ordinary = ordinary;
		this.deviation = deviation;
		this.gapWeight = gapWeight;
	}

	/**
	 * Returns the model before any interval is learned: the estimate is the ordinary
	 * interval, and no gap has been seen.
	 * @param estimate the first heartbeat estimate in nanoseconds
	 */
	static LostHeartbeats expecting(double estimate) {
		return new LostHeartbeats(estimate, 0, 0);
	}

	/**
	 * Returns the model with one more interval learned: a gap adds to the weight of gaps,
	 * any other interval moves the ordinary interval (all the way for the first).
	 * @param interval the interval learned
	 * @param first whether it is the first
	 * @param decay how much a weight fades per learned interval
	 */
	LostHeartbeats learn(double interval, boolean first, double decay) {
		boolean gap = interval >= gapLimit();
		double ordinary = this.ordinary;
		double deviation = this.deviation;
		if (!gap) {
			double rate = first ? 1.0 : ORDINARY_RATE;
			deviation += rate * (Math.abs(interval - ordinary) - deviation);
			ordinary += rate * (interval - ordinary);
		}
		return new LostHeartbeats(ordinary, deviation, this.gapWeight * decay + (gap ? 1.0 : 0.0));
	}

	/** Returns the ordinary interval in nanoseconds. */
	double ordinary() {
		return this.ordinary;
	}

	/** Returns the mean absolute deviation of the ordinary intervals. */
	double deviation() {
		return this.deviation;
	}

	/** Returns the least interval that counts as a gap, as if heartbeats were lost. */
	double gapLimit() {
		return Math.max(GAP_FACTOR * this.ordinary, this.ordinary + GAP_SPREAD * this.deviation);
	}

	/**
	 * Returns the share of gaps.
	 * @param weight the weight of all intervals learned, faded as the gaps'
	 */
	double share(double weight) {
		return (weight > 0) ? this.gapWeight / weight : 0.0;
	}

	/**
	 * Returns log S of the ordinary intervals at the edges, from S, far enough below any
	 * threshold and finite where S underflows.
	 */
	static double[] logOf(double[] ordinarySurvival) {
		double[] logOrdinary = new double[ordinarySurvival.length];
		for (int i = 0; i < ordinarySurvival.length; i++) {
			logOrdinary[i] = Math.max(Math.log(ordinarySurvival[i]), LOG_FLOOR);
		}
		return logOrdinary;
	}

	/**
	 * Returns the loss part of S at a silence: j heartbeats lost and one received, with
	 * probability p^j, the lost having taken an ordinary interval each, so the silence
	 * is longer than t if the last interval is longer than the rest.
	 * @param logOrdinary log S of the ordinary intervals at the edges
	 * @param share the share of gaps, p
	 * @param t the silence
	 * @param buckets the buckets of the edges
	 */
	double lost(double[] logOrdinary, double share, double t, Buckets buckets) {
		double s = 0;
		double power = 1.0;
		for (int j = 1; j <= MAX_LOSSES; j++) {
			power *= share;
			if (power < 1e-300) {
				break;
			}
			s += power * Math.exp(buckets.interpolate(logOrdinary, t - j * this.ordinary));
		}
		return s;
	}

}
