package dev.faultline.benchmarks.replay;

import java.time.Duration;
import java.util.SplittableRandom;
import java.util.stream.LongStream;

/**
 * Steady heartbeats over a network that is quiet most of the time and congested in
 * bursts: during a burst every heartbeat is held up by an extra delay, exponentially
 * distributed and capped, and heartbeats arrive in the order sent (one connection, so a
 * late one holds back the next, which then arrive close together). The process crashes
 * at a fixed time and whatever is still in flight then is lost with it.
 */
public final class DelayBurstTraceGenerator implements TraceGenerator {

	private final String kind;

	private final JitteredInterval interval;

	private final long minBurstGapMillis;

	private final long maxBurstGapMillis;

	private final long minBurstMillis;

	private final long maxBurstMillis;

	private final double meanDelayMillis;

	private final long maxDelayMillis;

	private final long crashMillis;

	/**
	 * Creates the generator; times between bursts and burst lengths are drawn uniformly
	 * from their ranges.
	 * @param kind the name of the kind of trace
	 * @param interval the nominal heartbeat interval
	 * @param jitter the largest relative deviation of the sending interval
	 * @param minBurstGap the least time from the end of one burst to the start of the next
	 * @param maxBurstGap the greatest such time
	 * @param minBurst the shortest burst
	 * @param maxBurst the longest burst
	 * @param meanDelay the mean extra delay of a heartbeat sent during a burst
	 * @param maxDelay the longest extra delay
	 * @param untilCrash how long the process lives, from its first heartbeat
	 */
	public DelayBurstTraceGenerator(String kind, Duration interval, double jitter, Duration minBurstGap,
			Duration maxBurstGap, Duration minBurst, Duration maxBurst, Duration meanDelay, Duration maxDelay,
			Duration untilCrash) {
		this.kind = kind;
		this.interval = new JitteredInterval(interval, jitter);
		this.minBurstGapMillis = minBurstGap.toMillis();
		this.maxBurstGapMillis = maxBurstGap.toMillis();
		this.minBurstMillis = minBurst.toMillis();
		this.maxBurstMillis = maxBurst.toMillis();
		this.meanDelayMillis = meanDelay.toMillis();
		this.maxDelayMillis = maxDelay.toMillis();
		this.crashMillis = untilCrash.toMillis();
		if (this.minBurstMillis <= 0 || this.maxBurstMillis < this.minBurstMillis || this.minBurstGapMillis <= 0
				|| this.maxBurstGapMillis < this.minBurstGapMillis || this.meanDelayMillis <= 0
				|| this.maxDelayMillis <= 0) {
			throw new IllegalArgumentException("bursts, the gaps between them and delays need 0 < min ≤ max, but were "
					+ minBurst + "–" + maxBurst + " every " + minBurstGap + "–" + maxBurstGap + ", delays of mean "
					+ meanDelay + " up to " + maxDelay);
		}
	}

	@Override
	public String kind() {
		return this.kind;
	}

	@Override
	public String description() {
		return "sent every " + this.interval.describe() + " (uniform); bursts of " + this.minBurstMillis / 1000 + "–"
				+ this.maxBurstMillis / 1000 + " s every " + this.minBurstGapMillis / 1000 + "–"
				+ this.maxBurstGapMillis / 1000 + " s (uniform) add a delay of mean "
				+ Math.round(this.meanDelayMillis) + " ms (exponential, at most " + this.maxDelayMillis
				+ " ms), arrivals in order; crash at " + this.crashMillis + " ms";
	}

	@Override
	public Trace generate(long seed) {
		SplittableRandom random = new SplittableRandom(seed);
		LongStream.Builder arrivals = LongStream.builder();
		long burstStart = random.nextLong(this.minBurstGapMillis, this.maxBurstGapMillis + 1);
		long burstEnd = burstStart + random.nextLong(this.minBurstMillis, this.maxBurstMillis + 1);
		long lastArrival = 0;
		for (long sent = 0; sent < this.crashMillis; sent += this.interval.next(random)) {
			while (sent >= burstEnd) {
				burstStart = burstEnd + random.nextLong(this.minBurstGapMillis, this.maxBurstGapMillis + 1);
				burstEnd = burstStart + random.nextLong(this.minBurstMillis, this.maxBurstMillis + 1);
			}
			long delay = (sent >= burstStart) ? delay(random) : 0;
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

	private long delay(SplittableRandom random) {
		double exponential = -this.meanDelayMillis * Math.log(1.0 - random.nextDouble());
		return Math.min(this.maxDelayMillis, Math.round(exponential));
	}

}
