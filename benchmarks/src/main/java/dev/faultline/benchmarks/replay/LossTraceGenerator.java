package dev.faultline.benchmarks.replay;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.SplittableRandom;
import java.util.stream.LongStream;

/**
 * Steady heartbeats over a network that loses some: each heartbeat after the first is
 * lost with the same probability, independently of the others, as datagrams are, or as
 * heartbeat requests are that fail or time out. One lost heartbeat leaves a silence of
 * two intervals, two in a row a silence of three, and so on. The process crashes at a
 * fixed time; what it would have sent from then on never arrives.
 */
public final class LossTraceGenerator implements TraceGenerator {

	private final String kind;

	private final JitteredInterval interval;

	private final double loss;

	private final long crashMillis;

	/**
	 * Creates the generator.
	 * @param kind the name of the kind of trace
	 * @param interval the nominal heartbeat interval
	 * @param jitter the largest relative deviation of the sending interval
	 * @param loss the probability that a heartbeat is lost, 0 to 1 (excluded)
	 * @param untilCrash how long the process lives, from its first heartbeat
	 */
	public LossTraceGenerator(String kind, Duration interval, double jitter, double loss, Duration untilCrash) {
		if (!(loss >= 0 && loss < 1)) {
			throw new IllegalArgumentException("loss must be at least 0 and less than 1, but was " + loss);
		}
		this.kind = kind;
		this.interval = new JitteredInterval(interval, jitter);
		this.loss = loss;
		this.crashMillis = untilCrash.toMillis();
	}

	@Override
	public String kind() {
		return this.kind;
	}

	@Override
	public String description() {
		return "sent every " + this.interval.describe() + " (uniform), each heartbeat lost with probability "
				+ BigDecimal.valueOf(this.loss * 100).stripTrailingZeros().toPlainString()
				+ " % (independently), crash at " + this.crashMillis + " ms";
	}

	@Override
	public Trace generate(long seed) {
		SplittableRandom random = new SplittableRandom(seed);
		LongStream.Builder arrivals = LongStream.builder();
		// the first arrival is where watching starts: it is never lost
		arrivals.add(0);
		for (long sent = this.interval.next(random); sent < this.crashMillis; sent += this.interval.next(random)) {
			if (random.nextDouble() >= this.loss) {
				arrivals.add(sent);
			}
		}
		return new Trace(this.kind, seed, this.interval.intervalMillis(), this.crashMillis, description(),
				arrivals.build().toArray());
	}

}
