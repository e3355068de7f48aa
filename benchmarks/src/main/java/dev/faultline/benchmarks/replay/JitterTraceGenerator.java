package dev.faultline.benchmarks.replay;

import java.time.Duration;
import java.util.SplittableRandom;
import java.util.stream.LongStream;

/**
 * Heartbeats whose intervals deviate uniformly around the nominal one and nothing else:
 * a steady process on a quiet network (± 1 %) or a noisy one (± 30 %). The process
 * crashes at a fixed time; what it would have sent from then on never arrives.
 */
public final class JitterTraceGenerator implements TraceGenerator {

	private final String kind;

	private final JitteredInterval interval;

	private final long crashMillis;

	/**
	 * Creates the generator.
	 * @param kind the name of the kind of trace
	 * @param interval the nominal heartbeat interval
	 * @param jitter the largest relative deviation of an interval, 0 to 1 (excluded)
	 * @param untilCrash how long the process lives, from its first heartbeat
	 */
	public JitterTraceGenerator(String kind, Duration interval, double jitter, Duration untilCrash) {
		this.kind = kind;
		this.interval = new JitteredInterval(interval, jitter);
		this.crashMillis = untilCrash.toMillis();
	}

	@Override
	public String kind() {
		return this.kind;
	}

	@Override
	public String description() {
		return "intervals " + this.interval.describe() + " (uniform), crash at " + this.crashMillis + " ms";
	}

	@Override
	public Trace generate(long seed) {
		SplittableRandom random = new SplittableRandom(seed);
		LongStream.Builder arrivals = LongStream.builder();
		for (long arrival = 0; arrival < this.crashMillis; arrival += this.interval.next(random)) {
			arrivals.add(arrival);
		}
		return new Trace(this.kind, seed, this.interval.intervalMillis(), this.crashMillis, description(),
				arrivals.build().toArray());
	}

}
