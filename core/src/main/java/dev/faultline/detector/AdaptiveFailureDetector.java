package dev.faultline.detector;

import java.time.Duration;
import java.util.Arrays;
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
 * <li><b>A tail fitted beyond the longest.</b> The {@value #RECORDS} longest intervals
 * are kept exactly. Those more than {@value #SPREAD} mean absolute deviations above the
 * ordinary interval {@code m} (an average of the intervals that are not gaps, below)
 * that make the top {@value #TAIL_COUNT} of the weight give an exponential tail beyond
 * the least of them, {@code u}: {@code S(t) = (k / W)·e^(−(t − u)/β)}, {@code β} their mean excess
 * over {@code u} (the peaks-over-threshold estimate, {@code k} their weight, {@code W}
 * the total). Pauses of varied length spread the top and give a long tail; a steady
 * peer has no such intervals and keeps the steepest.</li>
 * <li><b>Lost heartbeats.</b> A heartbeat sent on a schedule that is lost leaves a
 * silence one interval longer, two lost in a row two intervals longer. An interval is a
 * gap when it is at least 1.5 m and at least {@value #GAP_SPREAD} mean absolute
 * deviations above {@code m}: on a network with 50 % jitter an interval of 1.5 m is
 * jitter, not a loss. With {@code p} the learned share of gaps,
 * {@code S_loss(t) = Σ p^j·S_ordinary(t − j·m)} for {@code j} from 1 to
 * {@value #MAX_LOSSES}, {@code S_ordinary} the first part for the ordinary intervals
 * alone: the lost heartbeats took an ordinary interval each and the silence outlasts
 * {@code t} when the last one is long. Having seen one heartbeat in fifty lost, the
 * detector expects three in a row about once in 125 000 intervals, without having to
 * see it first.</li>
 * <li><b>The latest intervals.</b> The first part again for the {@value #RECENT} latest
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
 * {@value #LOSS_BOOTSTRAP_MAX} learned intervals (fewer with a short memory), about a
 * minute at one heartbeat a second: a heartbeat lost then is not suspected, and it is
 * short because while it lasts the suspicion timeout stays beyond two intervals. Noise
 * not yet seen, 3/4 of the estimate and {@value #GAP_FACTOR} times the longest interval
 * learned so far (at least the estimate), lasts until a sixth of {@code memoryHalfLife}
 * intervals are learned (at most {@value #BOOTSTRAP_MAX}): until the history has had time
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

	/** The histogram's buckets. */
	static final int BUCKETS = 64;

	/**
	 * How many mean absolute deviations above the ordinary interval an interval must be
	 * to count among the long ones the tail is fitted to.
	 */
	static final double SPREAD = 4;

	/**
	 * The share of the threshold that one of the latest intervals must have reached to
	 * mean that the network changed.
	 */
	static final double SURPRISE = 0.5;

	/** How many of the latest intervals make the recent distribution. */
	static final int RECENT = 16;

	/** Buckets per doubling of the interval. */
	static final int PER_OCTAVE = 8;

	/** How many of the longest intervals are kept exactly, for the tail. */
	static final int RECORDS = 32;

	/** How much of the weight, in intervals, the tail is fitted to. */
	static final double TAIL_COUNT = 12;

	/** The most heartbeats lost in a row that the loss part counts. */
	static final int MAX_LOSSES = 8;

	/** The imagined intervals but the lost heartbeat fade out over this fraction of the memory half-life. */
	static final double BOOTSTRAP_FRACTION = 6;

	/**
	 * The imagined intervals but the lost heartbeat fade out over at most this many
	 * learned intervals: a long memory must not make the first judgements slow for hours.
	 */
	static final int BOOTSTRAP_MAX = 600;

	/**
	 * The imagined lost heartbeat fades out over at most this many learned intervals,
	 * about a minute at one heartbeat a second: it holds the suspicion timeout beyond two
	 * intervals while it lasts, so a peer that lost no heartbeat by then is judged by what
	 * it showed, and its first lost heartbeat costs one suspicion, after which the loss
	 * part expects the next.
	 */
	static final int LOSS_BOOTSTRAP_MAX = 64;

	/** The imagined intervals fade out over at least this many learned intervals. */
	static final int BOOTSTRAP_MIN = 16;

	/** An interval this many times the ordinary one counts as a gap, as if heartbeats were lost. */
	static final double GAP_FACTOR = 1.5;

	/**
	 * An interval this many mean absolute deviations above the ordinary one at least
	 * counts as a gap: on a jittery network a long interval is jitter, not a loss.
	 */
	static final double GAP_SPREAD = 8;

	// how fast the ordinary interval follows the shorter intervals
	private static final double ORDINARY_RATE = 1.0 / 16;

	// a bucket whose weight fell below this forgets its longest interval when a new one
	// comes: about 6.6 half-lives
	private static final double STALE_WEIGHT = 0.01;

	// a record whose weight fell below this gives its place to a newer one: 4 half-lives
	private static final double STALE_RECORD = 1.0 / 16;

	private static final double LN_10 = Math.log(10.0);

	// the least log S used for the ordinary intervals, e^−2000
	private static final double LOG_FLOOR = -2000;

	private static final double LN_STEP = Math.log(2.0) / PER_OCTAVE;

	private final AdaptiveSettings settings;

	private final MonotonicClock clock;

	private final double threshold;

	private final Model model;

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
		this.model = new Model(settings);
		this.watchingSince = clock.nanoTime();
		this.estimateNanos = settings.firstHeartbeatEstimate().toNanos();
		this.state = new AtomicReference<>(this.model.bootstrap(this.watchingSince));
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
			boolean start = current.learned == 0 && current.lastSampledNanos == this.watchingSince
					&& interval > current.silenceAt(this.threshold);
			// an outage is measured in heartbeat intervals, not in the suspicion timeout: that
			// grows with every long interval learned, and a short outage learned would let
			// the next, longer one pass as normal, and so on for hours
			boolean learn = !start && (phi(current, silence) < this.threshold || interval <= outageBound(current));
			next = learn ? this.model.learn(current, interval, sampledAt, heardAt)
					: current.heard(sampledAt, heardAt);
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
		return this.settings.outageFactor() * Math.max(current.ordinary, this.estimateNanos);
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
		return new DetectorSnapshot(phi(current, silence), this.threshold, Duration.ofNanos((long) silence),
				Duration.ofNanos(Math.round(current.mean())), Duration.ofNanos(Math.round(current.stdDeviation())),
				(int) Math.min(Integer.MAX_VALUE, Math.round(current.weight)));
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
		return this.state.get().learned;
	}

	/**
	 * Returns φ at the 65 bucket edges, for tests.
	 * @return a copy of the table
	 */
	double[] phiTable() {
		return this.state.get().phi.clone();
	}

	/**
	 * Returns the edges of the buckets in nanoseconds, for tests.
	 * @return the 65 edges
	 */
	double[] edges() {
		return this.model.edges.clone();
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
	 * What is fixed for a detector: the bucket edges and the parameters in the form the
	 * arithmetic needs; it learns an interval into a state and computes the φ table.
	 */
	static final class Model {

		private final double[] edges = new double[BUCKETS + 1];

		private final double lowestEdge;

		private final double estimate;

		private final double decay;

		private final double exponent;

		private final double threshold;

		private final double bootstrap;

		private final double lossBootstrap;

		// r^−a: how a power law of the steepest exponent falls over one bucket
		private final double stepFactor;

		Model(AdaptiveSettings settings) {
			this.estimate = settings.firstHeartbeatEstimate().toNanos();
			this.lowestEdge = this.estimate / 4;
			for (int i = 0; i <= BUCKETS; i++) {
				this.edges[i] = this.lowestEdge * Math.pow(2.0, (double) i / PER_OCTAVE);
			}
			this.decay = Math.pow(0.5, 1.0 / settings.memoryHalfLife());
			this.exponent = settings.maxTailExponent();
			this.threshold = settings.threshold();
			this.bootstrap = Math.max(BOOTSTRAP_MIN,
					Math.min(BOOTSTRAP_MAX, settings.memoryHalfLife() / BOOTSTRAP_FRACTION));
			this.stepFactor = Math.exp(-this.exponent * LN_STEP);
			this.lossBootstrap = Math.min(this.bootstrap, LOSS_BOOTSTRAP_MAX);
		}

		State bootstrap(long now) {
			State empty = new State(new double[BUCKETS], new double[BUCKETS], Records.NONE, new double[RECENT],
					new double[RECENT], 0, 0,
					0, 0, this.estimate, 0, 0, null, this.exponent, this.lowestEdge, now, now);
			return empty.withTable(table(empty));
		}

		int bucket(double interval) {
			if (!(interval > this.lowestEdge)) {
				return 0;
			}
			int bucket = (int) (Math.log(interval / this.lowestEdge) / LN_STEP);
			// the logarithm may round across an edge: the edges decide
			while (bucket > 0 && bucket < BUCKETS && interval < this.edges[bucket]) {
				bucket--;
			}
			while (bucket < BUCKETS - 1 && interval >= this.edges[bucket + 1]) {
				bucket++;
			}
			return Math.min(bucket, BUCKETS - 1);
		}

		State learn(State current, long intervalNanos, long lastSampledNanos, long lastHeardNanos) {
			double interval = Math.max(1.0, intervalNanos);
			double[] weights = current.weights.clone();
			double[] longest = current.longest.clone();
			for (int i = 0; i < BUCKETS; i++) {
				weights[i] *= this.decay;
			}
			int bucket = bucket(interval);
			longest[bucket] = (weights[bucket] < STALE_WEIGHT) ? interval : Math.max(longest[bucket], interval);
			weights[bucket] += 1.0;
			boolean gap = interval >= current.gapLimit();
			double ordinary = current.ordinary;
			double deviation = current.deviation;
			if (!gap) {
				double rate = (current.learned == 0) ? 1.0 : ORDINARY_RATE;
				deviation += rate * (Math.abs(interval - ordinary) - deviation);
				ordinary += rate * (interval - ordinary);
			}
			long learned = (current.learned == Long.MAX_VALUE) ? current.learned : current.learned + 1;
			Records records = current.records.add(interval, learned, this.decay);
			double[] recent = current.recent.clone();
			double[] surprise = current.surprise.clone();
			int slot = (int) ((learned - 1) % RECENT);
			recent[slot] = interval;
			surprise[slot] = current.phi(interval);
			State next = new State(weights, longest, records, recent, surprise, current.weight * this.decay + 1.0,
					current.gapWeight * this.decay + (gap ? 1.0 : 0.0), current.sum * this.decay + interval,
					current.sumOfSquares * this.decay + interval * interval, ordinary, deviation, learned, null,
					this.exponent, this.lowestEdge, lastSampledNanos, lastHeardNanos);
			return next.withTable(table(next));
		}

		/**
		 * Computes φ at every edge for the state's histogram, with the imagined intervals
		 * of the bootstrap while they last.
		 */
		Table table(State state) {
			double[] weights = state.weights.clone();
			double[] longest = state.longest.clone();
			// noise not yet seen: half again the longest interval so far, so that a pause
			// learned early is not a mistake again when a longer one follows
			double imagined = Math.max(0.0, 1.0 - (double) state.learned / this.bootstrap);
			if (imagined > 0) {
				add(weights, longest, this.estimate * 0.75, imagined);
				add(weights, longest, Math.max(this.estimate, state.records.longest()) * GAP_FACTOR, imagined);
			}
			// a lost heartbeat, for the first minute or so only: while it lasts no silence
			// under two intervals is suspected
			double imaginedLoss = Math.max(0.0, 1.0 - (double) state.learned / this.lossBootstrap);
			if (imaginedLoss > 0) {
				add(weights, longest, this.estimate * 2, imaginedLoss);
			}
			double total = 0;
			double ordinaryTotal = 0;
			double ordinaryLimit = state.gapLimit();
			for (int b = 0; b < BUCKETS; b++) {
				total += weights[b];
				if (longest[b] < ordinaryLimit) {
					ordinaryTotal += weights[b];
				}
			}
			double[] seen = survival(weights, longest, total, Double.POSITIVE_INFINITY);
			// the latest intervals alone, so that a network that just got worse is believed
			// at once rather than after it has outweighed hours of history
			int recentCount = (int) Math.min(RECENT, state.learned);
			double[] recentWeights = null;
			double[] recentLongest = null;
			Tail recentTail = null;
			if (recentCount > 0) {
				recentWeights = new double[BUCKETS];
				recentLongest = new double[BUCKETS];
				for (int r = 0; r < recentCount; r++) {
					add(recentWeights, recentLongest, state.recent[r], 1.0);
				}
				double[] latest = survival(recentWeights, recentLongest, recentCount, Double.POSITIVE_INFINITY);
				for (int i = 0; i <= BUCKETS; i++) {
					seen[i] = Math.max(seen[i], latest[i]);
				}
				double surprise = 0;
				for (int r = 0; r < recentCount; r++) {
					surprise = Math.max(surprise, state.surprise[r]);
				}
				if (surprise >= this.threshold * SURPRISE) {
					recentTail = recentTail(state.recent, recentCount);
					if (recentTail != null) {
						for (int i = 0; i <= BUCKETS; i++) {
							seen[i] = Math.max(seen[i], recentTail.at(this.edges[i]));
						}
					}
				}
			}
			double[] ordinary = (ordinaryTotal > 0) ? survival(weights, longest, ordinaryTotal, ordinaryLimit) : null;
			// the tail: an exponential beyond the least of the longest intervals that make
			// TAIL_COUNT of the weight, its scale their mean excess over it
			Tail tail = state.records.tail(state.learned, this.decay, total,
					state.ordinary + SPREAD * state.deviation);
			double gapShare = (state.weight > 0) ? state.gapWeight / state.weight : 0.0;
			double[] phi = new double[BUCKETS + 1];
			double[] logOrdinary = null;
			if (ordinary != null && gapShare > 0) {
				logOrdinary = new double[BUCKETS + 1];
				for (int i = 0; i <= BUCKETS; i++) {
					// far enough below any threshold, and finite where S underflows
					logOrdinary[i] = Math.max(Math.log(ordinary[i]), LOG_FLOOR);
				}
			}
			for (int i = 0; i <= BUCKETS; i++) {
				double t = this.edges[i];
				double s = seen[i];
				if (tail != null) {
					s = Math.max(s, tail.at(t));
				}
				if (logOrdinary != null) {
					s += lost(logOrdinary, gapShare, state.ordinary, t);
				}
				double value = (s >= 1.0) ? 0.0 : -Math.log(s) / LN_10;
				if (!(value < Double.POSITIVE_INFINITY)) {
					// S underflowed, hundreds of decades past any threshold: φ goes on at the
					// steepest slope, so that it stays finite
					value = ((i > 0) ? phi[i - 1] : 0.0) + this.exponent * LN_STEP / LN_10;
				}
				phi[i] = (i > 0) ? Math.max(value, phi[i - 1]) : Math.max(0.0, value);
			}
			// φ is interpolated between edges, which misses where within its bucket a
			// learned interval ends and the steep fade beyond it begins: the silence at
			// which the threshold is reached is found exactly instead
			double crossing = Double.NaN;
			double level = Math.pow(10.0, -this.threshold);
			for (int i = 0; i < BUCKETS; i++) {
				if (phi[i + 1] >= this.threshold) {
					if (phi[i] < this.threshold) {
						Exact exact = new Exact(this, i, new Pieces(weights, longest, total, i, this),
								(recentWeights != null) ? new Pieces(recentWeights, recentLongest, recentCount, i, this)
										: null,
								recentTail, tail, logOrdinary, gapShare, state.ordinary);
						crossing = exact.crossing(level);
					}
					break;
				}
			}
			return new Table(phi, this.exponent, gapShare, crossing, this.threshold);
		}

		/**
		 * Returns the loss part of S at a silence: j heartbeats lost and one received, with
		 * probability p^j, the lost having taken an ordinary interval each, so the silence
		 * is longer than t if the last interval is longer than the rest.
		 */
		double lost(double[] logOrdinary, double gapShare, double ordinary, double t) {
			double s = 0;
			double share = 1.0;
			for (int j = 1; j <= MAX_LOSSES; j++) {
				share *= gapShare;
				if (share < 1e-300) {
					break;
				}
				s += share * Math.exp(interpolate(logOrdinary, t - j * ordinary));
			}
			return s;
		}

		/**
		 * Returns the exponential tail of the latest intervals above their median, its
		 * scale their mean excess over it, or {@code null} if they do not spread.
		 */
		private static Tail recentTail(double[] recent, int count) {
			if (count < 4) {
				return null;
			}
			double[] sorted = Arrays.copyOf(recent, count);
			Arrays.sort(sorted);
			int median = count / 2;
			double from = sorted[median];
			double excess = 0;
			for (int r = median + 1; r < count; r++) {
				excess += sorted[r] - from;
			}
			if (!(excess > 0)) {
				return null;
			}
			int above = count - median;
			return new Tail(from, (double) above / count, excess / (above - 1));
		}

		private void add(double[] weights, double[] longest, double interval, double weight) {
			int bucket = bucket(interval);
			longest[bucket] = (weights[bucket] > 0) ? Math.max(longest[bucket], interval) : interval;
			weights[bucket] += weight;
		}

		/**
		 * Returns S at every edge for the buckets whose longest interval is below the
		 * limit: full weight for those at or beyond the edge, a power law of the steepest
		 * exponent for those below it.
		 */
		private double[] survival(double[] weights, double[] longest, double total, double limit) {
			double[] survival = new double[BUCKETS + 1];
			double beyond = 0;
			for (int b = 0; b < BUCKETS; b++) {
				if (weights[b] > 0 && longest[b] < limit) {
					beyond += weights[b];
				}
			}
			double below = 0;
			for (int i = 0; i <= BUCKETS; i++) {
				if (i > 0) {
					int b = i - 1;
					below *= this.stepFactor;
					if (weights[b] > 0 && longest[b] < limit) {
						beyond -= weights[b];
						double ratio = Math.min(1.0, longest[b] / this.edges[i]);
						below += weights[b] * Math.exp(this.exponent * Math.log(ratio));
					}
				}
				// a bucket's longest interval may lie beyond its upper edge only in the last
				survival[i] = Math.min(1.0, (Math.max(0.0, beyond) + below) / total);
			}
			return survival;
		}

		/**
		 * Returns log S at a silence from a table of log S at the edges: linear in log t
		 * between edges, from log S = 0 at t = 0 to the first edge, at the steepest slope
		 * beyond the last.
		 */
		private double interpolate(double[] logSurvival, double t) {
			if (t <= 0) {
				return 0.0;
			}
			if (t <= this.lowestEdge) {
				return logSurvival[0] * (t / this.lowestEdge);
			}
			double position = Math.log(t / this.lowestEdge) / LN_STEP;
			if (position >= BUCKETS) {
				return logSurvival[BUCKETS] - this.exponent * LN_STEP * (position - BUCKETS);
			}
			int i = (int) position;
			double fraction = position - i;
			return logSurvival[i] + (logSurvival[i + 1] - logSurvival[i]) * fraction;
		}

	}

	/**
	 * The exponential tail {@code S(t) = share·e^(−(t − from)/scale)} for {@code t > from}.
	 */
	record Tail(double from, double share, double scale) {

		/** S at a silence, 0 up to {@code from}, where the tail has no say. */
		double at(double t) {
			return (t > this.from) ? this.share * Math.exp(-(t - this.from) / this.scale) : 0.0;
		}

	}

	/**
	 * The longest intervals learned, exactly, longest first, each with the count of
	 * learned intervals when it came, from which its weight follows. Immutable; adding
	 * copies two arrays of at most {@value AdaptiveFailureDetector#RECORDS}, and only when
	 * the interval is among the longest.
	 */
	static final class Records {

		static final Records NONE = new Records(new double[0], new long[0]);

		private final double[] values;

		private final long[] learnedAt;

		private Records(double[] values, long[] learnedAt) {
			this.values = values;
			this.learnedAt = learnedAt;
		}

		Records add(double interval, long learned, double decay) {
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
			return new Records(values, learnedAt);
		}

		/** Returns the longest interval kept, 0 if none. */
		double longest() {
			return (this.values.length > 0) ? this.values[0] : 0.0;
		}

		private double weight(int i, long learned, double decay) {
			return Math.pow(decay, learned - this.learnedAt[i]);
		}

		/**
		 * Returns the tail fitted to the longest intervals that make {@code TAIL_COUNT} of
		 * the weight, or {@code null} if they do not spread.
		 */
		Tail tail(long learned, double decay, double total, double gap) {
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
			return new Tail(from, Math.min(1.0, count / total), excess / above);
		}

	}

	/**
	 * φ at the bucket edges, the exponent of the slope beyond the last and the share of
	 * gaps.
	 */
	record Table(double[] phi, double tailIndex, double gapShare, double crossing, double threshold) {
	}

	/**
	 * One histogram around bucket {@code i}: the weight of the buckets above it (whose
	 * intervals are all longer than any silence in the bucket), the faded weight of those
	 * below it at its lower edge, and the bucket itself.
	 */
	static final class Pieces {

		private final double above;

		private final double belowAtEdge;

		private final double weight;

		private final double longest;

		private final double total;

		private final double lowerEdge;

		private final double exponent;

		Pieces(double[] weights, double[] longest, double total, int i, Model model) {
			double above = 0;
			for (int b = i + 1; b < BUCKETS; b++) {
				above += weights[b];
			}
			double below = 0;
			double edge = model.edges[i];
			for (int b = 0; b < i; b++) {
				if (weights[b] > 0) {
					below += weights[b] * Math.exp(model.exponent * Math.log(Math.min(1.0, longest[b] / edge)));
				}
			}
			this.above = above;
			this.belowAtEdge = below;
			this.weight = weights[i];
			this.longest = longest[i];
			this.total = total;
			this.lowerEdge = edge;
			this.exponent = model.exponent;
		}

		double at(double t) {
			double s = this.above + this.belowAtEdge * Math.exp(-this.exponent * Math.log(t / this.lowerEdge));
			if (this.weight > 0) {
				s += this.weight * Math.exp(this.exponent * Math.log(Math.min(1.0, this.longest / t)));
			}
			return Math.min(1.0, s / this.total);
		}

	}

	/**
	 * S at any silence within one bucket, computed as the table computes it at the
	 * edges, for finding where the threshold is reached.
	 */
	record Exact(Model model, int bucket, Pieces seen, Pieces latest, Tail recentTail, Tail tail,
			double[] logOrdinary, double gapShare, double ordinary) {

		double at(double t) {
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
				s += this.model.lost(this.logOrdinary, this.gapShare, this.ordinary, t);
			}
			return s;
		}

		/**
		 * Returns the least silence in the bucket at which S falls to the level, to the
		 * nanosecond, or NaN if S does not cross it there.
		 */
		double crossing(double level) {
			double low = this.model.edges[this.bucket];
			double high = this.model.edges[this.bucket + 1];
			if (!(at(low) > level) || at(high) > level) {
				return Double.NaN;
			}
			while (high - low > 1.0) {
				double middle = 0.5 * (low + high);
				if (at(middle) > level) {
					low = middle;
				}
				else {
					high = middle;
				}
			}
			return high;
		}

	}

	/**
	 * One immutable state of the detector: the histogram (weight and longest interval per
	 * bucket), the running sums that give the remembered mean and deviation, the ordinary
	 * interval, the φ table computed from them, and the two clock readings.
	 */
	static final class State {

		private final double[] weights;

		private final double[] longest;

		private final Records records;

		// the latest intervals, the newest at recent[(learned − 1) % RECENT], and the φ each had
		// when it came
		private final double[] recent;

		private final double[] surprise;

		private final double weight;

		private final double gapWeight;

		private final double sum;

		private final double sumOfSquares;

		private final double ordinary;

		private final double deviation;

		private final long learned;

		private final double[] phi;

		// φ per bucket width beyond the last edge
		private final double slope;

		private final double lowestEdge;

		private final double gapShare;

		// the silence at which φ reaches the threshold, found exactly; NaN where the
		// interpolation decides
		private final double crossing;

		private final double threshold;

		private final long lastSampledNanos;

		private final long lastHeardNanos;

		State(double[] weights, double[] longest, Records records, double[] recent, double[] surprise, double weight, double gapWeight, double sum, double sumOfSquares,
				double ordinary, double deviation, long learned, Table table, double exponent, double lowestEdge,
				long lastSampledNanos, long lastHeardNanos) {
			this.weights = weights;
			this.longest = longest;
			this.records = records;
			this.recent = recent;
			this.surprise = surprise;
			this.weight = weight;
			this.gapWeight = gapWeight;
			this.sum = sum;
			this.sumOfSquares = sumOfSquares;
			this.ordinary = ordinary;
			this.deviation = deviation;
			this.learned = learned;
			this.phi = (table != null) ? table.phi() : null;
			this.slope = ((table != null) ? table.tailIndex() : exponent) * LN_STEP / LN_10;
			this.gapShare = (table != null) ? table.gapShare() : 0.0;
			this.crossing = (table != null) ? table.crossing() : Double.NaN;
			this.threshold = (table != null) ? table.threshold() : Double.NaN;
			this.lowestEdge = lowestEdge;
			this.lastSampledNanos = lastSampledNanos;
			this.lastHeardNanos = lastHeardNanos;
		}

		private State(State state, Table table) {
			this(state.weights, state.longest, state.records, state.recent, state.surprise, state.weight, state.gapWeight, state.sum, state.sumOfSquares,
					state.ordinary, state.deviation, state.learned, table, 0, state.lowestEdge, state.lastSampledNanos,
					state.lastHeardNanos);
		}

		private State(State state, long lastSampledNanos, long lastHeardNanos) {
			this.weights = state.weights;
			this.longest = state.longest;
			this.records = state.records;
			this.recent = state.recent;
			this.surprise = state.surprise;
			this.weight = state.weight;
			this.gapWeight = state.gapWeight;
			this.sum = state.sum;
			this.sumOfSquares = state.sumOfSquares;
			this.ordinary = state.ordinary;
			this.deviation = state.deviation;
			this.learned = state.learned;
			this.phi = state.phi;
			this.slope = state.slope;
			this.gapShare = state.gapShare;
			this.crossing = state.crossing;
			this.threshold = state.threshold;
			this.lowestEdge = state.lowestEdge;
			this.lastSampledNanos = lastSampledNanos;
			this.lastHeardNanos = lastHeardNanos;
		}

		State withTable(Table table) {
			return new State(this, table);
		}

		State heard(long lastSampledNanos, long lastHeardNanos) {
			return new State(this, lastSampledNanos, lastHeardNanos);
		}

		double silence(long now) {
			return Math.max(0, now - this.lastHeardNanos);
		}

		// the least interval that counts as a gap, as if heartbeats were lost
		double gapLimit() {
			return Math.max(GAP_FACTOR * this.ordinary, this.ordinary + GAP_SPREAD * this.deviation);
		}

		double gapShare() {
			return this.gapShare;
		}

		double mean() {
			return (this.weight > 0) ? this.sum / this.weight : this.ordinary;
		}

		double stdDeviation() {
			if (!(this.weight > 0)) {
				return 0.0;
			}
			double mean = this.sum / this.weight;
			double variance = this.sumOfSquares / this.weight - mean * mean;
			return (variance > 0.0) ? Math.sqrt(variance) : 0.0;
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
			double position = Math.log(silence / this.lowestEdge) / LN_STEP;
			if (position >= BUCKETS) {
				return Math.max(table[BUCKETS], table[BUCKETS] + this.slope * (position - BUCKETS));
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
			for (int i = 0; i < BUCKETS; i++) {
				if (table[i + 1] >= level) {
					double fraction = (level - table[i]) / (table[i + 1] - table[i]);
					return this.lowestEdge * Math.exp(LN_STEP * (i + fraction));
				}
			}
			if (!(this.slope > 0)) {
				return Double.POSITIVE_INFINITY;
			}
			return this.lowestEdge * Math.exp(LN_STEP * (BUCKETS + (level - table[BUCKETS]) / this.slope));
		}

	}

}
