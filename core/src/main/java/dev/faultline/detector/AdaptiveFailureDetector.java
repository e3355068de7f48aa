package dev.faultline.detector;

import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A φ accrual failure detector that learns what silence is normal for this peer, its
 * rare long pauses and lost heartbeats included, from the distribution of its heartbeat
 * intervals rather than from a normal distribution.
 *
 * <p>
 * φ keeps the meaning it has in Hayashibara et al.'s detector: after a silence of
 * {@code t}, {@code φ(t) = −log10 S(t)}, where {@code S(t)} is the probability that the
 * interval now running lasts longer than {@code t}, that a heartbeat is still to come.
 * What changes is {@code S}, estimated from four parts, each for a reason the replayed
 * traces showed (see {@code docs/detection/detection-quality.md}):
 * <ol>
 * <li><b>The intervals seen, remembered for hours.</b> Every learned interval goes into
 * a histogram of 64 buckets, 8 per octave from a quarter of
 * {@code firstHeartbeatEstimate} to 64 times it, each bucket keeping its weight and the
 * longest interval it holds. Weights halve every {@code memoryHalfLife} learned
 * intervals, so a pause that comes back every few minutes is still remembered when it
 * comes back, where a window of the last 200 intervals (the classic detector's) mostly
 * holds none. Past the longest interval {@code x} of a bucket its weight fades as
 * {@code (t / x)^−a}, {@code a} being {@code maxTailExponent}: timing noise too small to
 * show in the history is not taken for a crash. The default memory, four hours at one
 * heartbeat a second, is long because the rare silences decide the tail: with an hour,
 * a pause seen twice a day was forgotten before it came back.</li>
 * <li><b>A tail fitted beyond the longest.</b> The {@value LongestIntervals#RECORDS} longest intervals
 * are kept exactly. Those more than {@value LongestIntervals#SPREAD} mean absolute deviations above the
 * ordinary interval {@code m} (an average of the intervals that are not gaps, below)
 * that make the top {@value LongestIntervals#TAIL_COUNT} of the weight give an exponential tail beyond
 * the least of them, {@code u}: {@code S(t) = (k / W)·e^(−(t − u)/β)}, {@code β} their mean excess
 * over {@code u} (the peaks-over-threshold estimate, {@code k} their weight, {@code W}
 * the total). Pauses of varied length spread the top and give a long tail; a steady
 * peer has no such intervals and keeps the steepest.</li>
 * <li><b>Lost heartbeats.</b> A heartbeat sent on a schedule that is lost leaves a
 * silence one interval longer, two lost in a row two intervals longer. An interval is a
 * gap when it is at least 1.5 m and at least {@value LostHeartbeats#GAP_SPREAD} mean absolute
 * deviations above {@code m}: on a network with 50 % jitter an interval of 1.5 m is
 * jitter, not a loss. With {@code p} the learned share of gaps,
 * {@code S_loss(t) = Σ p^j·S_ordinary(t − j·m)} for {@code j} from 1 to
 * {@value LostHeartbeats#MAX_LOSSES}, {@code S_ordinary} the first part for the ordinary intervals
 * alone: the lost heartbeats took an ordinary interval each and the silence outlasts
 * {@code t} when the last one is long. Having seen one heartbeat in fifty lost, the
 * detector expects three in a row about once in 125 000 intervals, without having to
 * see it first.</li>
 * <li><b>The latest intervals.</b> The first part again for the {@value RecentIntervals#RECENT} latest
 * intervals alone; and when one of them was itself improbable when it came (φ at least
 * half the threshold), the network has changed: an exponential tail over their median,
 * scaled by their mean excess over it, until they are outweighed by what follows. This
 * is the faster reaction when a quiet network becomes congested: one surprise is enough
 * to widen the detector at once.</li>
 * </ol>
 * {@code S} is the greatest of the first, second and fourth parts plus the third, at
 * most 1. It is computed exactly at the 65 bucket edges whenever an interval is learned,
 * and φ is interpolated linearly in {@code log t} between them, which is exact where one
 * power law dominates, and grows at the steepest slope beyond the last edge. Where a
 * bucket's longest interval lies inside the bucket the fade beyond it is far steeper
 * than the interpolation, which would suspect a silence just longer than one already
 * learned: so the silence at which φ reaches the threshold is found exactly, by
 * bisection within its bucket, and φ is held below the threshold before it and at or
 * above it from there. So φ is finite for any silence, non-negative and non-decreasing,
 * the suspicion begins where S says, and reading it is O(1).
 *
 * <p>
 * Because φ is a probability per interval, the threshold is a mistake rate: a peer
 * beating every second that is suspected at φ 5 is expected to be suspected wrongly
 * about once in 10<sup>5</sup> intervals, 28 hours. The classic detector needs φ 8 and an
 * acceptable pause because its normal distribution is far too thin in the tail; this
 * one's tail comes from the data, so a lower threshold means what it says.
 *
 * <p>
 * Unlike the classic detector, an interval that ends a suspicion is learned too,
 * otherwise a pause the detector did not expect would be a false suspicion again every
 * time it came back. What is not learned is an outage: an interval that ended a
 * suspicion and lasted more than {@code outageFactor} times the ordinary interval (at
 * least {@code firstHeartbeatEstimate}), such as a hang or a crash and restart, which
 * would slow every later detection for hours. The bound is counted in intervals, not
 * in the suspicion timeout: that grows with each long interval learned, so a short
 * outage learned once would let the next, longer one pass, and so on.
 *
 * <p>
 * The first judgements also count imagined intervals, each fading linearly as real ones
 * are learned. A lost heartbeat, twice {@code firstHeartbeatEstimate}, lasts
 * {@value Bootstrap#LOSS_MAX} learned intervals (fewer with a short memory), about a
 * minute at one heartbeat a second: a heartbeat lost then is not suspected, and it is
 * short because while it lasts the suspicion timeout stays beyond two intervals. Noise
 * not yet seen, 3/4 of the estimate and {@value LostHeartbeats#GAP_FACTOR} times the longest interval
 * learned so far (at least the estimate), lasts until a sixth of {@code memoryHalfLife}
 * intervals are learned (at most {@value Bootstrap#MAX}): until the history has had time
 * to show the network's delays and pauses, a silence up to half again the longest one seen
 * is not taken for a crash, and a pause learned early is not a mistake again when a longer
 * one follows. At steady heartbeats every second the suspicion timeout is 2.1 to 2.2 s in
 * the first minute, 1.6 s until ten minutes and 1.12 s from then on. The detector watches
 * from its creation, so a peer that never answers becomes suspected too; but the silence
 * from its creation to the first heartbeat is not learned when it outlasts the first
 * suspicion timeout: it holds the start of this service or of the peer, not one of the
 * peer's intervals, and learned it would slow every detection for hours.
 *
 * <p>
 * Thread-safe without locks: the whole state is one immutable value, replaced by
 * compare-and-set. Learning an interval copies the histogram (two arrays of 64 doubles)
 * and the latest intervals (two of 16), recomputes the φ table (65 doubles) in
 * O(64 × 8) arithmetic and bisects one bucket: a few KB of short-lived arrays and a few
 * microseconds per heartbeat, about 3 KB retained per detector (the figures are in
 * {@code docs/benchmarks.md}, from the benchmarks module's {@code DetectorBenchmark} and
 * {@code DetectorFootprint}); {@link #refresh()} copies nothing; reading φ is one
 * logarithm and an interpolation.
 */
public final class AdaptiveFailureDetector implements FailureDetector {

	// This class holds the state and replaces it by compare-and-set; the arithmetic is in
	// package-private parts, one concern each:
	// - SurvivalModel: what is fixed for the detector, and how the parts below make S
	// - IntervalHistory: everything learned, one immutable value, with
	//   IntervalHistogram (over the Buckets), LongestIntervals (the fitted
	//   ExponentialTail), RecentIntervals, LostHeartbeats and IntervalMoments
	// - Bootstrap: the imagined intervals of the first judgements
	// - PhiTable: φ at the edges, read at any silence, and the exact threshold crossing

	private final AdaptiveSettings settings;

	private final MonotonicClock clock;

	private final double threshold;

	private final SurvivalModel model;

	private final AtomicReference<State> state;

	// When watching began: at creation, or at the latest restart.
	private volatile long watchingSince;

	private final double estimateNanos;

	/**
	 * Creates a detector that watches from now, as if a heartbeat arrived now.
	 * @param settings the parameters
	 * @param clock the clock to read time from
	 */
	public AdaptiveFailureDetector(AdaptiveSettings settings, MonotonicClock clock) {
		if (settings == null) {
			throw new IllegalArgumentException("settings must be set, but was null");
		}
		if (clock == null) {
			throw new IllegalArgumentException("clock must be set, but was null");
		}
		this.settings = settings;
		this.clock = clock;
		this.threshold = settings.threshold();
		this.model = new SurvivalModel(settings);
		this.watchingSince = clock.nanoTime();
		this.estimateNanos = settings.firstHeartbeatEstimate().toNanos();
		IntervalHistory none = IntervalHistory.none(this.estimateNanos);
		this.state = new AtomicReference<>(
				new State(none, this.model.table(none), this.watchingSince, this.watchingSince));
	}

	/**
	 * Returns the parameters of this detector.
	 * @return the settings
	 */
	public AdaptiveSettings settings() {
		return this.settings;
	}

	@Override
	public void heartbeat() {
		State current;
		State next;
		do {
			// state before clock: any state read was written from an earlier reading, so
			// the intervals computed below are never negative
			current = this.state.get();
			long now = this.clock.nanoTime();
			long sampledAt = latest(now, current.lastSampledNanos);
			long heardAt = latest(now, current.lastHeardNanos);
			long interval = sampledAt - current.lastSampledNanos;
			double silence = current.silence(now);
			// the time from creation to the first heartbeat is not one of the peer's
			// intervals when it outlasts the first suspicion timeout: it holds the start of
			// this service or of the peer, and learned it would slow detection for hours
			boolean start = current.learned() == 0 && current.lastSampledNanos == this.watchingSince
					&& interval > current.silenceAt(this.threshold);
			// an outage is measured in heartbeat intervals, not in the suspicion timeout: that
			// grows with every long interval learned, and a short outage learned would let
			// the next, longer one pass as normal, and so on for hours
			boolean learn = !start && (phi(current, silence) < this.threshold || interval <= outageBound(current));
			next = learn ? current.learn(this.model, interval, sampledAt, heardAt) : current.heard(sampledAt, heardAt);
		}
		while (!this.state.compareAndSet(current, next));
	}

	@Override
	public void refresh() {
		State current;
		State next;
		do {
			current = this.state.get();
			long now = this.clock.nanoTime();
			if (now - current.lastHeardNanos <= 0) {
				return;
			}
			next = current.heard(current.lastSampledNanos, now);
		}
		while (!this.state.compareAndSet(current, next));
	}

	@Override
	public void restart() {
		State current;
		State next;
		do {
			current = this.state.get();
			long now = latest(this.clock.nanoTime(), current.lastSampledNanos);
			next = current.heard(now, latest(now, current.lastHeardNanos));
			this.watchingSince = now;
		}
		while (!this.state.compareAndSet(current, next));
	}

	@Override
	public double phi() {
		State current = this.state.get();
		return phi(current, current.silence(this.clock.nanoTime()));
	}

	/**
	 * φ after a silence: the model's, except that a silence as long as an outage (more
	 * than {@code outageFactor} ordinary intervals) is always suspected. An outage is
	 * never learned, so no history may excuse one either: without this bound a young
	 * detector that saw a few short hangs of its peer took its death for one more pause
	 * for twelve seconds at 500 ms heartbeats.
	 */
	private double phi(State current, double silence) {
		double phi = current.phi(silence);
		return (silence >= outageBound(current)) ? Math.max(phi, this.threshold) : phi;
	}

	private double outageBound(State current) {
		return this.settings.outageFactor() * Math.max(current.history.losses().ordinary(), this.estimateNanos);
	}

	@Override
	public double threshold() {
		return this.threshold;
	}

	/**
	 * {@inheritDoc}
	 * <p>
	 * {@link DetectorSnapshot#meanInterval()} and {@link DetectorSnapshot#stdDeviation()}
	 * are those of the remembered intervals, each weighted by its age as in the
	 * histogram; {@link DetectorSnapshot#sampleCount()} is how many intervals that weight
	 * amounts to, rounded.
	 */
	@Override
	public DetectorSnapshot snapshot() {
		State current = this.state.get();
		long now = this.clock.nanoTime();
		double silence = current.silence(now);
		IntervalMoments moments = current.history.moments();
		return new DetectorSnapshot(phi(current, silence), this.threshold, Duration.ofNanos((long) silence),
				Duration.ofNanos(Math.round(moments.mean(current.history.losses().ordinary()))),
				Duration.ofNanos(Math.round(moments.stdDeviation())),
				(int) Math.min(Integer.MAX_VALUE, Math.round(moments.weight())));
	}

	/**
	 * Returns the silence after which the process is suspected, given what has been
	 * learned so far: the least silence at which φ reaches the threshold.
	 * @return the silence, rounded up to the nanosecond
	 */
	public Duration suspicionTimeout() {
		State current = this.state.get();
		double silence = Math.min(current.silenceAt(this.threshold), outageBound(current));
		return Duration.ofNanos((silence >= Long.MAX_VALUE) ? Long.MAX_VALUE : (long) Math.ceil(silence));
	}

	/**
	 * Returns the current state, for tests that read φ at chosen silences.
	 * @return the state
	 */
	State state() {
		return this.state.get();
	}

	/**
	 * Returns how many intervals have been learned, for tests.
	 * @return the count
	 */
	long learned() {
		return this.state.get().learned();
	}

	/**
	 * Returns φ at the 65 bucket edges, for tests.
	 * @return a copy of the table
	 */
	double[] phiTable() {
		return this.state.get().table.values();
	}

	/**
	 * Returns the edges of the buckets in nanoseconds, for tests.
	 * @return the 65 edges
	 */
	double[] edges() {
		return this.model.buckets().edges();
	}

	@Override
	public String toString() {
		State current = this.state.get();
		DetectorSnapshot snapshot = snapshot();
		return String.format(Locale.ROOT,
				"AdaptiveFailureDetector[phi=%.3f, threshold=%s, silence=%s, suspicionTimeout=%s, meanInterval=%s, "
						+ "lostHeartbeats=%.4f, samples=%d]",
				snapshot.phi(), this.threshold, snapshot.sinceLastHeartbeat(), suspicionTimeout(),
				snapshot.meanInterval(), current.gapShare(), snapshot.sampleCount());
	}

	// nanoTime readings are compared by their difference, which survives overflow
	private static long latest(long a, long b) {
		return (a - b >= 0) ? a : b;
	}

	/**
	 * One immutable state of the detector, replaced by compare-and-set: what was learned,
	 * the φ table computed from it, and the two clock readings. A heartbeat that is
	 * learned replaces all of it; one that is not, a refresh or a restart replace only
	 * the readings and share the rest.
	 */
	static final class State {

		private final IntervalHistory history;

		private final PhiTable table;

		private final long lastSampledNanos;

		private final long lastHeardNanos;

		private State(IntervalHistory history, PhiTable table, long lastSampledNanos, long lastHeardNanos) {
			this.history = history;
			this.table = table;
			this.lastSampledNanos = lastSampledNanos;
			this.lastHeardNanos = lastHeardNanos;
		}

		State learn(SurvivalModel model, long intervalNanos, long lastSampledNanos, long lastHeardNanos) {
			IntervalHistory learned = model.learn(this.history, this.table, intervalNanos);
			return new State(learned, model.table(learned), lastSampledNanos, lastHeardNanos);
		}

		State heard(long lastSampledNanos, long lastHeardNanos) {
			return new State(this.history, this.table, lastSampledNanos, lastHeardNanos);
		}

		long learned() {
			return this.history.learned();
		}

		/** Returns the share of gaps learned, as if heartbeats were lost. */
		double gapShare() {
			return this.table.gapShare();
		}

		double silence(long now) {
			return Math.max(0, now - this.lastHeardNanos);
		}

		/**
		 * Returns φ after a silence in nanoseconds, as the table gives it.
		 */
		double phi(double silence) {
			return this.table.phi(silence);
		}

		/**
		 * Returns the least silence at which φ reaches the level, in nanoseconds; +∞ if
		 * none does.
		 */
		double silenceAt(double level) {
			return this.table.silenceAt(level);
		}

	}

}
