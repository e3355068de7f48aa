package dev.faultline.benchmarks.replay;

import java.time.Duration;
import java.util.SplittableRandom;
import java.util.stream.LongStream;

/**
 * Heartbeats whose network changes halfway: intervals with one uniform jitter until the
 * shift, with another from then on, as when a quiet network becomes congested or a peer
 * moves. A detector must follow the change without being wrong at it for long. The
 * process crashes at a fixed time; what it would have sent from then on never arrives.
 */
public final class RegimeShiftTraceGenerator implements TraceGenerator {

	private final String kind;

	private final JitteredInterval before;

	private final JitteredInterval after;

	private final long shiftMillis;

	private final long crashMillis;

	/**
	 * Creates the generator.
	 * @param kind the name of the kind of trace
	 * @param before the interval and jitter until the shift
	 * @param jitterBefore the largest relative deviation until the shift
	 * @param after the interval and jitter from the shift on
	 * @param jitterAfter the largest relative deviation from the shift on
	 * @param shift when the network changes, from the first heartbeat
	 * @param untilCrash how long the process lives, from its first heartbeat
	 */
	public RegimeShiftTraceGenerator(String kind, Duration before, double jitterBefore, Duration after,
			double jitterAfter, Duration shift, Duration untilCrash) {
		this.kind = kind;
		this.before = new JitteredInterval(before, jitterBefore);
		this.after = new JitteredInterval(after, jitterAfter);
		this.shiftMillis = shift.toMillis();
		this.crashMillis = untilCrash.toMillis();
	}

	@Override
	public String kind() {
		return this.kind;
	}

	@Override
	public String description() {
		return "intervals " + this.before.describe() + " (uniform) until " + this.shiftMillis + " ms, then "
				+ this.after.describe() + ", crash at " + this.crashMillis + " ms";
	}

	@Override
	public Trace generate(long seed) {
		SplittableRandom random = new SplittableRandom(seed);
		LongStream.Builder arrivals = LongStream.builder();
		for (long arrival = 0; arrival < this.crashMillis;) {
			arrivals.add(arrival);
			arrival += ((arrival < this.shiftMillis) ? this.before : this.after).next(random);
		}
		return new Trace(this.kind, seed, this.before.intervalMillis(), this.crashMillis, description(),
				arrivals.build().toArray());
	}

}
