package dev.faultline.detector;

import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The φ accrual failure detector of Hayashibara, Défago, Yared and Katayama, "The φ
 * Accrual Failure Detector" (IEEE SRDS 2004), after Apache Pekko's
 * {@code PhiAccrualFailureDetector}.
 *
 * <p>
 * Instead of a yes or no, the detector gives a suspicion level φ that grows with the
 * silence of the monitored process. It learns the intervals between heartbeats, models
 * them as a normal distribution, and asks how unlikely it is that the next heartbeat is
 * still on its way after a silence of {@code t}:
 *
 * <pre>
 * φ(t) = −log<sub>10</sub>(1 − F(t))
 * </pre>
 *
 * where {@code F} is the cumulative distribution function of the normal distribution
 * with mean {@code μ + acceptableHeartbeatPause} and standard deviation
 * {@code max(σ, minStdDeviation)}, {@code μ} and {@code σ} being the mean and standard
 * deviation of the learned intervals, and {@code t} the time since the process was last
 * heard from by {@link #heartbeat()} or {@link #refresh()}. φ = 1 means a 10 % chance
 * that suspecting the process now would be a mistake, φ = 2 a 1 % chance, φ = 8 a
 * 10<sup>-6</sup> % chance. The process is suspected once φ reaches the threshold.
 *
 * <p>
 * The parameters, see {@link PhiAccrualSettings}:
 * <ul>
 * <li>{@code threshold}: the φ at and above which the process is suspected. A low
 * threshold suspects a crash sooner and is wrong more often; a high one the
 * reverse.</li>
 * <li>{@code maxSampleSize}: how many of the latest intervals are learned from. A
 * window of the latest intervals, with running sums, keeps mean and variance O(1) to
 * update and to read.</li>
 * <li>{@code minStdDeviation}: the floor of the standard deviation. A very regular
 * process has a standard deviation near zero, and a few milliseconds of delay would
 * make φ jump; too low a value gives false suspicions.</li>
 * <li>{@code acceptableHeartbeatPause}: a silence beyond the mean that is still normal,
 * such as a lost heartbeat or a garbage collection pause; it moves the whole
 * distribution later.</li>
 * <li>{@code firstHeartbeatEstimate}: the interval assumed before any is learned. The
 * window starts with the two intervals {@code estimate ± estimate / 4} (one interval,
 * the estimate itself, when {@code maxSampleSize} is 1) and the detector watches from
 * its creation, so a process that never answers becomes suspected too.</li>
 * </ul>
 *
 * <p>
 * Unlike Pekko, which uses a logistic approximation of {@code F}, φ is computed from the
 * exact tail of the normal distribution, taken in log space (see {@link #phiOfZ}): it is
 * finite, non-negative and non-decreasing in {@code t} for any silence, however long, and
 * accurate to about 10<sup>-13</sup> relative. As in Pekko, the interval that ends a
 * silence long enough to be suspected is not learned, so an outage does not widen the
 * distribution for ever after.
 *
 * <p>
 * Thread-safe without locks: the whole state is one immutable value, replaced by
 * compare-and-set; the window is a persistent queue, so a heartbeat copies nothing.
 * Recording a heartbeat and reading φ are both O(1).
 */
public final class PhiAccrualFailureDetector implements FailureDetector {

	private static final double LN_2 = Math.log(2.0);

	private static final double LN_10 = Math.log(10.0);

	private static final double SQRT_HALF = Math.sqrt(0.5);

	private final PhiAccrualSettings settings;

	private final MonotonicClock clock;

	private final double threshold;

	private final int maxSampleSize;

	private final double minStdDeviationNanos;

	private final double acceptablePauseNanos;

	private final double suspicionZ;

	private final AtomicReference<State> state;

	/**
	 * Creates a detector that watches from now, as if a heartbeat arrived now.
	 * @param settings the parameters
	 * @param clock the clock to read time from
	 */
	public PhiAccrualFailureDetector(PhiAccrualSettings settings, MonotonicClock clock) {
		if (settings == null) {
			throw new IllegalArgumentException("settings must be set, but was null");
		}
		if (clock == null) {
			throw new IllegalArgumentException("clock must be set, but was null");
		}
		this.settings = settings;
		this.clock = clock;
		this.threshold = settings.threshold();
		this.maxSampleSize = settings.maxSampleSize();
		this.minStdDeviationNanos = settings.minStdDeviation().toNanos();
		this.acceptablePauseNanos = settings.acceptableHeartbeatPause().toNanos();
		this.suspicionZ = suspicionZ(this.threshold);
		this.state = new AtomicReference<>(State.bootstrap(settings, clock.nanoTime()));
	}

	/**
	 * Returns the parameters of this detector.
	 * @return the settings
	 */
	public PhiAccrualSettings settings() {
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
			// the same test as phi() >= threshold, without computing φ
			boolean suspected = z(current, now) >= this.suspicionZ;
			next = current.heartbeat(now, !suspected, this.maxSampleSize);
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
			next = current.refresh(now);
		}
		while (!this.state.compareAndSet(current, next));
	}

	@Override
	public void restart() {
		State current;
		State next;
		do {
			current = this.state.get();
			next = current.restart(this.clock.nanoTime());
		}
		while (!this.state.compareAndSet(current, next));
	}

	@Override
	public double phi() {
		State current = this.state.get();
		return phi(current, this.clock.nanoTime());
	}

	@Override
	public double threshold() {
		return this.threshold;
	}

	/**
	 * {@inheritDoc}
	 * <p>
	 * {@link DetectorSnapshot#meanInterval()} is the mean of the learned intervals,
	 * without the acceptable heartbeat pause; {@link DetectorSnapshot#stdDeviation()} is
	 * the standard deviation used by φ, that is after {@code minStdDeviation} is applied.
	 */
	@Override
	public DetectorSnapshot snapshot() {
		State current = this.state.get();
		long now = this.clock.nanoTime();
		return new DetectorSnapshot(phi(current, now), this.threshold, Duration.ofNanos(current.silence(now)),
				Duration.ofNanos(Math.round(current.mean)), Duration.ofNanos(Math.round(stdDeviation(current))),
				current.count);
	}

	/**
	 * Returns the learned intervals in the window, oldest first, for tests that check the
	 * running sums against their contents.
	 * @return a copy of the window
	 */
	long[] intervals() {
		return this.state.get().intervals();
	}

	@Override
	public String toString() {
		DetectorSnapshot snapshot = snapshot();
		return String.format(Locale.ROOT,
				"PhiAccrualFailureDetector[phi=%.3f, threshold=%s, silence=%s, meanInterval=%s, stdDeviation=%s, "
						+ "samples=%d/%d, acceptableHeartbeatPause=%s]",
				snapshot.phi(), this.threshold, snapshot.sinceLastHeartbeat(), snapshot.meanInterval(),
				snapshot.stdDeviation(), snapshot.sampleCount(), this.maxSampleSize,
				this.settings.acceptableHeartbeatPause());
	}

	private double phi(State state, long now) {
		return phiOfZ(z(state, now));
	}

	private double z(State state, long now) {
		return z(state.silence(now), state.mean + this.acceptablePauseNanos, stdDeviation(state));
	}

	private double stdDeviation(State state) {
		return Math.max(state.stdDeviation, this.minStdDeviationNanos);
	}

	/**
	 * Returns φ after a silence, for a normal distribution of the intervals; all three
	 * arguments in the same unit.
	 * @param elapsed the silence, negative values count as 0
	 * @param mean the mean interval, acceptable pause included
	 * @param stdDeviation the standard deviation, greater than 0
	 * @return φ: finite, non-negative and non-decreasing in {@code elapsed}
	 * @see #phiOfZ(double)
	 */
	static double phi(double elapsed, double mean, double stdDeviation) {
		return phiOfZ(z(elapsed, mean, stdDeviation));
	}

	private static double z(double elapsed, double mean, double stdDeviation) {
		return (Math.max(elapsed, 0.0) - mean) / stdDeviation;
	}

	/**
	 * Returns φ = −log<sub>10</sub> Q(z), with {@code Q} the upper tail of the standard
	 * normal distribution.
	 * <p>
	 * {@code Q(z)} underflows to 0 from z ≈ 38, so for z ≥ 0 the logarithm is taken of its
	 * parts instead: {@code Q(z) = ½·erfcx(z/√2)·e^(−z²/2)}, hence
	 * {@code φ = (z²/2 + ln 2 − ln erfcx(z/√2)) / ln 10}, finite for any finite z. For
	 * z &lt; 0, {@code φ = −log10(1 − Q(|z|))} through {@code log1p}, so that even the
	 * tiniest tail is not rounded away.
	 * @param z the silence in standard deviations past the mean
	 * @return φ: finite for finite z, non-negative and non-decreasing in z
	 */
	static double phiOfZ(double z) {
		if (z >= 0) {
			return (0.5 * z * z + LN_2 - Math.log(Erfc.scaled(z * SQRT_HALF))) / LN_10;
		}
		double tail = 0.5 * Erfc.of(-z * SQRT_HALF);
		// -log1p(-0.0) is +0.0; max also turns a -0.0 into +0.0
		return Math.max(0.0, -Math.log1p(-tail) / LN_10);
	}

	/**
	 * Returns the least z at which {@link #phiOfZ(double)} reaches the threshold, found
	 * once by bisection over the doubles, so that a heartbeat can tell whether the process
	 * was suspected by comparing z alone. φ is non-decreasing in z, so
	 * {@code z >= suspicionZ(threshold)} exactly when {@code phiOfZ(z) >= threshold}.
	 * @param threshold the threshold, greater than 0
	 * @return the least such z, or +∞ if no finite z reaches it
	 */
	static double suspicionZ(double threshold) {
		// φ(-40) is 0, below any threshold; φ grows like z²/(2 ln 10)
		double below = -40.0;
		double atOrAbove = 1.0;
		while (phiOfZ(atOrAbove) < threshold) {
			if (atOrAbove > 1e153) {
				return Double.POSITIVE_INFINITY;
			}
			atOrAbove *= 2;
		}
		while (true) {
			double middle = below + (atOrAbove - below) / 2;
			if (middle <= below || middle >= atOrAbove) {
				return atOrAbove;
			}
			if (phiOfZ(middle) >= threshold) {
				atOrAbove = middle;
			}
			else {
				below = middle;
			}
		}
	}

	/**
	 * One immutable state of the detector: the window as a banker's queue (a front list,
	 * oldest first, popped from; a back list, newest first, pushed onto; the back reversed
	 * into the front when the front runs out, which makes append and evict O(1)
	 * amortised), its running sums with the mean and standard deviation they give, and the
	 * two clock readings.
	 */
	private static final class State {

		private final Node front;

		private final Node back;

		private final int count;

		private final double sum;

		private final double sumOfSquares;

		// derived from the sums when the window changes, so that reads need no sqrt
		private final double mean;

		private final double stdDeviation;

		private final long lastSampledNanos;

		private final long lastHeardNanos;

		private State(Node front, Node back, int count, double sum, double sumOfSquares, long lastSampledNanos,
				long lastHeardNanos) {
			this.front = front;
			this.back = back;
			this.count = count;
			this.sum = sum;
			this.sumOfSquares = sumOfSquares;
			this.mean = sum / count;
			double variance = sumOfSquares / count - this.mean * this.mean;
			// cancellation can leave a tiny negative variance for identical intervals
			this.stdDeviation = (variance > 0.0) ? Math.sqrt(variance) : 0.0;
			this.lastSampledNanos = lastSampledNanos;
			this.lastHeardNanos = lastHeardNanos;
		}

		private State(State window, long lastSampledNanos, long lastHeardNanos) {
			this.front = window.front;
			this.back = window.back;
			this.count = window.count;
			this.sum = window.sum;
			this.sumOfSquares = window.sumOfSquares;
			this.mean = window.mean;
			this.stdDeviation = window.stdDeviation;
			this.lastSampledNanos = lastSampledNanos;
			this.lastHeardNanos = lastHeardNanos;
		}

		static State bootstrap(PhiAccrualSettings settings, long now) {
			long estimate = settings.firstHeartbeatEstimate().toNanos();
			if (settings.maxSampleSize() == 1) {
				return new State(new Node(estimate, null), null, 1, estimate, (double) estimate * estimate, now, now);
			}
			// a spread of ±25 % around the estimate, as Pekko does, so that the first real
			// intervals are judged against a plausible, not a zero, deviation
			long low = estimate - estimate / 4;
			long high = estimate + estimate / 4;
			return new State(new Node(low, new Node(high, null)), null, 2, (double) low + high,
					(double) low * low + (double) high * high, now, now);
		}

		State heartbeat(long now, boolean learn, int maxSampleSize) {
			long sampledAt = latest(now, this.lastSampledNanos);
			long heardAt = latest(now, this.lastHeardNanos);
			if (!learn) {
				return new State(this, sampledAt, heardAt);
			}
			// the interval runs from the last heartbeat, not from a refresh in between
			return append(sampledAt - this.lastSampledNanos, maxSampleSize, sampledAt, heardAt);
		}

		State refresh(long now) {
			return new State(this, this.lastSampledNanos, now);
		}

		State restart(long now) {
			long sampledAt = latest(now, this.lastSampledNanos);
			return new State(this, sampledAt, latest(sampledAt, this.lastHeardNanos));
		}

		private State append(long interval, int maxSampleSize, long lastSampledNanos, long lastHeardNanos) {
			Node front = this.front;
			int count = this.count;
			double sum = this.sum;
			double sumOfSquares = this.sumOfSquares;
			Node back = this.back;
			if (count == maxSampleSize) {
				if (front == null) {
					// every interval is in the back list now: recompute the sums while
					// reversing it, so rounding never accumulates over the detector's life
					sum = 0.0;
					sumOfSquares = 0.0;
					for (Node node = back; node != null; node = node.next) {
						front = new Node(node.interval, front);
						sum += node.interval;
						sumOfSquares += (double) node.interval * node.interval;
					}
					back = null;
				}
				long oldest = front.interval;
				front = front.next;
				count--;
				sum -= oldest;
				sumOfSquares -= (double) oldest * oldest;
			}
			return new State(front, new Node(interval, back), count + 1, sum + interval,
					sumOfSquares + (double) interval * interval, lastSampledNanos, lastHeardNanos);
		}

		// nanoTime readings are compared by their difference, which survives overflow
		private static long latest(long a, long b) {
			return (a - b >= 0) ? a : b;
		}

		long silence(long now) {
			return Math.max(0, now - this.lastHeardNanos);
		}

		long[] intervals() {
			long[] intervals = new long[this.count];
			int i = 0;
			for (Node node = this.front; node != null; node = node.next) {
				intervals[i++] = node.interval;
			}
			int end = this.count;
			for (Node node = this.back; node != null; node = node.next) {
				intervals[--end] = node.interval;
			}
			return intervals;
		}

	}

	/**
	 * A cell of an immutable singly linked list of intervals in nanoseconds.
	 */
	private static final class Node {

		private final long interval;

		private final Node next;

		Node(long interval, Node next) {
			this.interval = interval;
			this.next = next;
		}

	}

	/**
	 * The complementary error function for arguments {@code x ≥ 0}, scaled
	 * ({@code erfcx(x) = e^(x²)·erfc(x)}) and plain, with the rational Chebyshev
	 * approximations of W. J. Cody, "Rational Chebyshev approximations for the error
	 * function", Mathematics of Computation 23 (1969), as in his SPECFUN routine CALERF,
	 * on the intervals [0, 0.46875], (0.46875, 4] and (4, ∞). The scaled function is good
	 * to about 10<sup>-15</sup> relative; the plain one adds the rounding of
	 * {@code e^(−x²)}, at most 10<sup>-13</sup> relative before it underflows.
	 */
	static final class Erfc {

		private static final double THRESHOLD = 0.46875;

		private static final double ONE_OVER_SQRT_PI = 5.6418958354775628695e-1;

		// beyond this, 1/(x√π) is erfcx(x) to double precision
		private static final double HUGE = 6.71e7;

		private static final double[] A = { 3.16112374387056560e00, 1.13864154151050156e02,
				3.77485237685302021e02, 3.20937758913846947e03, 1.85777706184603153e-1 };

		private static final double[] B = { 2.36012909523441209e01, 2.44024637934444173e02,
				1.28261652607737228e03, 2.84423683343917062e03 };

		private static final double[] C = { 5.64188496988670089e-1, 8.88314979438837594e00,
				6.61191906371416295e01, 2.98635138197400131e02, 8.81952221241769090e02, 1.71204761263407058e03,
				2.05107837782607147e03, 1.23033935479799725e03, 2.15311535474403846e-8 };

		private static final double[] D = { 1.57449261107098347e01, 1.17693950891312499e02,
				5.37181101862009858e02, 1.62138957456669019e03, 3.29079923573345963e03, 4.36261909014324716e03,
				3.43936767414372164e03, 1.23033935480374942e03 };

		private static final double[] P = { 3.05326634961232344e-1, 3.60344899949804439e-1,
				1.25781726111229246e-1, 1.60837851487422766e-2, 6.58749161529837803e-4, 1.63153871373020978e-2 };

		private static final double[] Q = { 2.56852019228982242e00, 1.87295284992346047e00,
				5.27905102951428412e-1, 6.05183413124413191e-2, 2.33520497626869185e-3 };

		private Erfc() {
		}

		/**
		 * Returns erfc(x) for x ≥ 0.
		 */
		static double of(double x) {
			if (x <= THRESHOLD) {
				return 1.0 - erf(x);
			}
			// one exp, not Cody's two: the rounding of x² costs at most 8e-14 relative
			// before erfc underflows at x ≈ 27, well within what φ needs
			return Math.exp(-x * x) * scaledAbove(x);
		}

		/**
		 * Returns erfcx(x) = e^(x²)·erfc(x) for x ≥ 0, without overflow or underflow.
		 */
		static double scaled(double x) {
			if (x <= THRESHOLD) {
				return Math.exp(x * x) * (1.0 - erf(x));
			}
			return scaledAbove(x);
		}

		private static double erf(double x) {
			double square = x * x;
			double numerator = A[4] * square;
			double denominator = square;
			for (int i = 0; i < 3; i++) {
				numerator = (numerator + A[i]) * square;
				denominator = (denominator + B[i]) * square;
			}
			return x * (numerator + A[3]) / (denominator + B[3]);
		}

		private static double scaledAbove(double x) {
			if (x <= 4.0) {
				double numerator = C[8] * x;
				double denominator = x;
				for (int i = 0; i < 7; i++) {
					numerator = (numerator + C[i]) * x;
					denominator = (denominator + D[i]) * x;
				}
				return (numerator + C[7]) / (denominator + D[7]);
			}
			if (x >= HUGE) {
				return ONE_OVER_SQRT_PI / x;
			}
			double inverseSquare = 1.0 / (x * x);
			double numerator = P[5] * inverseSquare;
			double denominator = inverseSquare;
			for (int i = 0; i < 4; i++) {
				numerator = (numerator + P[i]) * inverseSquare;
				denominator = (denominator + Q[i]) * inverseSquare;
			}
			double correction = inverseSquare * (numerator + P[4]) / (denominator + Q[4]);
			return (ONE_OVER_SQRT_PI - correction) / x;
		}

	}

}
