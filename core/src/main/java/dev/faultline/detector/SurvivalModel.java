package dev.faultline.detector;

import java.util.function.DoubleUnaryOperator;

/**
 * What is fixed for one {@link AdaptiveFailureDetector}, and how its parts make S, the
 * chance that a heartbeat is still to come after a silence: it learns an interval into
 * an {@link IntervalHistory} and computes the {@link PhiTable} of one.
 *
 * <p>
 * S is the greatest of what the histogram says (with the imagined intervals of the
 * {@link Bootstrap} while they last), what the {@link RecentIntervals} say, and the
 * {@linkplain LongestIntervals#tail tail fitted} beyond the longest, plus the part of
 * the {@link LostHeartbeats}, at most 1: the greatest, because each part sees a silence
 * the others may miss, and plus, because a lost heartbeat adds a whole interval to any
 * of them. It is computed at the bucket edges whenever an interval is learned, and
 * within the one bucket where φ reaches the threshold. Immutable.
 */
final class SurvivalModel {

	private final Buckets buckets;

	private final double decay;

	private final double threshold;

	private final Bootstrap bootstrap;

	SurvivalModel(AdaptiveSettings settings) {
		double estimate = settings.firstHeartbeatEstimate().toNanos();
		this.buckets = new Buckets(estimate, settings.maxTailExponent());
		this.decay = Math.pow(0.5, 1.0 / settings.memoryHalfLife());
		this.threshold = settings.threshold();
		this.bootstrap = new Bootstrap(estimate, settings.memoryHalfLife());
	}

	Buckets buckets() {
		return this.buckets;
	}

	/**
	 * Returns the history with an interval learned.
	 * @param history what was learned so far
	 * @param table its φ table, which tells how surprising the interval is
	 * @param intervalNanos the interval
	 * @return the new history
	 */
	IntervalHistory learn(IntervalHistory history, PhiTable table, long intervalNanos) {
		double interval = Math.max(1.0, intervalNanos);
		return history.learn(interval, table.phi(interval), this.decay, this.buckets);
	}

	/**
	 * Computes φ at every edge for the history, with the imagined intervals of the
	 * bootstrap while they last.
	 * @param history what was learned
	 * @return the table
	 */
	PhiTable table(IntervalHistory history) {
		IntervalHistogram histogram = history.histogram().copy();
		this.bootstrap.imagine(histogram, history.learned(), history.longest().longest(), this.buckets);
		LostHeartbeats losses = history.losses();
		double total = histogram.total();
		double ordinaryLimit = losses.gapLimit();
		double ordinaryTotal = histogram.total(ordinaryLimit);
		double[] seen = histogram.survival(this.buckets, total, Double.POSITIVE_INFINITY);
		// the latest intervals alone, so that a network that just got worse is believed
		// at once rather than after it has outweighed hours of history
		RecentIntervals recent = history.recent();
		IntervalHistogram recentHistogram = null;
		ExponentialTail recentTail = null;
		if (recent.count() > 0) {
			recentHistogram = recent.histogram(this.buckets);
			double[] latest = recentHistogram.survival(this.buckets, recent.count(), Double.POSITIVE_INFINITY);
			for (int i = 0; i <= Buckets.COUNT; i++) {
				seen[i] = Math.max(seen[i], latest[i]);
			}
			if (recent.surprised(this.threshold)) {
				recentTail = recent.tail();
				if (recentTail != null) {
					for (int i = 0; i <= Buckets.COUNT; i++) {
						seen[i] = Math.max(seen[i], recentTail.at(this.buckets.edge(i)));
					}
				}
			}
		}
		double[] ordinary = (ordinaryTotal > 0) ? histogram.survival(this.buckets, ordinaryTotal, ordinaryLimit)
				: null;
		// the tail: an exponential beyond the least of the longest intervals that make
		// TAIL_COUNT of the weight, its scale their mean excess over it
		ExponentialTail tail = history.longest()
			.tail(history.learned(), this.decay, total, losses.ordinary(), losses.deviation());
		double gapShare = losses.share(history.moments().weight());
		double[] logOrdinary = (ordinary != null && gapShare > 0) ? LostHeartbeats.logOf(ordinary) : null;
		double[] survival = new double[Buckets.COUNT + 1];
		for (int i = 0; i <= Buckets.COUNT; i++) {
			double t = this.buckets.edge(i);
			double s = seen[i];
			if (tail != null) {
				s = Math.max(s, tail.at(t));
			}
			if (logOrdinary != null) {
				s += losses.lost(logOrdinary, gapShare, t, this.buckets);
			}
			survival[i] = s;
		}
		IntervalHistogram latest = recentHistogram;
		ExponentialTail latestTail = recentTail;
		return PhiTable.of(this.buckets, survival, this.threshold, gapShare,
				(bucket) -> new SurvivalInBucket(histogram.bucket(bucket, total, this.buckets),
						(latest != null) ? latest.bucket(bucket, recent.count(), this.buckets) : null, latestTail,
						tail, losses, logOrdinary, gapShare, this.buckets));
	}

	/**
	 * S at any silence within one bucket, combined from the parts as {@link #table} combines
	 * them at the edges, for finding where the threshold is reached.
	 */
	private record SurvivalInBucket(IntervalHistogram.Bucket seen, IntervalHistogram.Bucket latest,
			ExponentialTail recentTail, ExponentialTail tail, LostHeartbeats losses, double[] logOrdinary,
			double gapShare, Buckets buckets) implements DoubleUnaryOperator {

		@Override
		public double applyAsDouble(double t) {
			double s = this.seen.at(t);
			if (this.latest != null) {
				s = Math.max(s, this.latest.at(t));
			}
			if (this.recentTail != null) {
				s = Math.max(s, this.recentTail.at(t));
			}
			if (this.tail != null) {
				s = Math.max(s, this.tail.at(t));
			}
			if (this.logOrdinary != null) {
				s += this.losses.lost(this.logOrdinary, this.gapShare, t, this.buckets);
			}
			return s;
		}

	}

}
