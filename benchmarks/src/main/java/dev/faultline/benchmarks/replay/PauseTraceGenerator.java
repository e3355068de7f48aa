package dev.faultline.benchmarks.replay;

import java.time.Duration;
import java.util.SplittableRandom;
import java.util.stream.LongStream;

/**
 * Steady heartbeats interrupted every few minutes by a stop-the-world pause of the
 * process, such as a long garbage collection: while frozen it sends nothing, the
 * heartbeat that fell due is sent when it thaws, and the schedule goes on from there. A
 * pause lengthens one interval by up to its own length; the monitor cannot tell it from
 * the start of a crash until the heartbeat comes.
 */
public final class PauseTraceGenerator implements TraceGenerator {

	private final String kind;

	private final JitteredInterval interval;

	private final long minPauseGapMillis;

	private final long maxPauseGapMillis;

	private final long minPauseMillis;

	private final long maxPauseMillis;

	private final long crashMillis;

	/**
	 * Creates the generator; times between pauses and pause lengths are drawn uniformly
	 * from their ranges.
	 * @param kind the name of the kind of trace
	 * @param interval the nominal heartbeat interval
	 * @param jitter the largest relative deviation of an interval outside pauses
	 * @param minPauseGap the least time from the end of one pause to the start of the next
	 * @param maxPauseGap the greatest such time
	 * @param minPause the shortest pause
	 * @param maxPause the longest pause
	 * @param untilCrash how long the process lives, from its first heartbeat
	 */
	public PauseTraceGenerator(String kind, Duration interval, double jitter, Duration minPauseGap,
			Duration maxPauseGap, Duration minPause, Duration maxPause, Duration untilCrash) {
		this.kind = kind;
		this.interval = new JitteredInterval(interval, jitter);
		this.minPauseGapMillis = minPauseGap.toMillis();
		this.maxPauseGapMillis = maxPauseGap.toMillis();
		this.minPauseMillis = minPause.toMillis();
		this.maxPauseMillis = maxPause.toMillis();
		this.crashMillis = untilCrash.toMillis();
		if (this.minPauseMillis <= 0 || this.maxPauseMillis < this.minPauseMillis || this.minPauseGapMillis <= 0
				|| this.maxPauseGapMillis < this.minPauseGapMillis) {
			throw new IllegalArgumentException("pauses and the gaps between them need 0 < min ≤ max, but were "
					+ minPause + "–" + maxPause + " every " + minPauseGap + "–" + maxPauseGap);
		}
	}

	@Override
	public String kind() {
		return this.kind;
	}

	@Override
	public String description() {
		return "intervals " + this.interval.describe() + " (uniform), a pause of " + this.minPauseMillis + "–"
				+ this.maxPauseMillis + " ms every " + this.minPauseGapMillis / 1000 + "–"
				+ this.maxPauseGapMillis / 1000 + " s (uniform), crash at " + this.crashMillis + " ms";
	}

	@Override
	public Trace generate(long seed) {
		SplittableRandom random = new SplittableRandom(seed);
		LongStream.Builder arrivals = LongStream.builder();
		long pauseStart = random.nextLong(this.minPauseGapMillis, this.maxPauseGapMillis + 1);
		long sent = 0;
		while (sent < this.crashMillis) {
			arrivals.add(sent);
			long next = sent + this.interval.next(random);
			if (next >= pauseStart) {
				long pauseEnd = pauseStart + random.nextLong(this.minPauseMillis, this.maxPauseMillis + 1);
				next = Math.max(next, pauseEnd);
				pauseStart = pauseEnd + random.nextLong(this.minPauseGapMillis, this.maxPauseGapMillis + 1);
			}
			sent = next;
		}
		return new Trace(this.kind, seed, this.interval.intervalMillis(), this.crashMillis, description(),
				arrivals.build().toArray());
	}

}
