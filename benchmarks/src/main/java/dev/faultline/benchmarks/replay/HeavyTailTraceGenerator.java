package dev.faultline.benchmarks.replay;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.SplittableRandom;
import java.util.stream.LongStream;

/**
 * Steady heartbeats over a network whose delays are heavy-tailed: every heartbeat is
 * held up by an extra delay drawn from a Pareto distribution of the second kind (Lomax),
 * {@code P(delay > x) = (1 + x / scale)^−shape}, so that most delays are a few
 * milliseconds and a few are seconds, with no bound. Heartbeats arrive in the order sent
 * (one connection: a late one holds back the next). The process crashes at a fixed time
 * and whatever is still in flight then is lost with it.
 */
public final class HeavyTailTraceGenerator implements TraceGenerator {

	private final String kind;

	private final JitteredInterval interval;

	private final double shape;

	private final double scaleMillis;

	private final long crashMillis;

	/**
	 * Creates the generator.
	 * @param kind the name of the kind of trace
	 * @param interval the nominal heartbeat interval
	 * @param jitter the largest relative deviation of the sending interval
	 * @param shape the Pareto shape, greater than 0: the smaller, the heavier the tail
	 * @param scale the Pareto scale
	 * @param untilCrash how long the process lives, from its first heartbeat
	 */
	public HeavyTailTraceGenerator(String kind, Duration interval, double jitter, double shape, Duration scale,
			Duration untilCrash) {
		if (!(shape > 0) || scale.isNegative() || scale.isZero()) {
			throw new IllegalArgumentException(
					"shape and scale must be greater than 0, but were " + shape + " and " + scale);
		}
		this.kind = kind;
		this.interval = new JitteredInterval(interval, jitter);
		this.shape = shape;
		this.scaleMillis = scale.toMillis();
		this.crashMillis = untilCrash.toMillis();
	}

	@Override
	public String kind() {
		return this.kind;
	}

	@Override
	public String description() {
		return "sent every " + this.interval.describe() + " (uniform), each delayed by a Pareto (Lomax) delay of shape "
				+ BigDecimal.valueOf(this.shape).stripTrailingZeros().toPlainString() + " and scale "
				+ Math.round(this.scaleMillis) + " ms (median " + Math.round(quantile(0.5)) + " ms, 1 in 10⁴ over "
				+ Math.round(quantile(1e-4)) + " ms), arrivals in order; crash at " + this.crashMillis + " ms";
	}

	// the delay exceeded with the given probability
	private double quantile(double exceeded) {
		return this.scaleMillis * (Math.pow(exceeded, -1.0 / this.shape) - 1);
	}

	@Override
	public Trace generate(long seed) {
		SplittableRandom random = new SplittableRandom(seed);
		LongStream.Builder arrivals = LongStream.builder();
		long lastArrival = 0;
		for (long sent = 0; sent < this.crashMillis; sent += this.interval.next(random)) {
			// the first arrival is where watching starts: delays count from it
			long delay = (sent == 0) ? 0 : Math.round(quantile(1.0 - random.nextDouble()));
			long arrival = Math.max(lastArrival, sent + delay);
			if (arrival >= this.crashMillis) {
				// in flight at the crash: lost, and so is everything sent after it
				break;
			}
			arrivals.add(arrival);
			lastArrival = arrival;
		}
		return new Trace(this.kind, seed, this.interval.intervalMillis(), this.crashMillis, description(),
				arrivals.build().toArray());
	}

}
