package dev.faultline.benchmarks.replay;

import java.time.Duration;

import dev.faultline.detector.FailureDetector;

/**
 * Replays a trace through a detector on a virtual clock and measures it exactly.
 *
 * <p>
 * The detector is created at the first arrival (creation counts as that heartbeat) and
 * told of each later one by {@link FailureDetector#heartbeat()}. Between two arrivals its
 * suspicion level can only grow, so the instant at which it first suspects the process
 * is found to the nanosecond by bisection on the clock; every silence is thereby either
 * trusted throughout or wrongly suspected from that instant to the next arrival (or to
 * the crash), and nothing depends on a sampling step. A heartbeat that arrives at the very
 * instant the process would become suspected ends the silence first: no mistake.
 *
 * <p>
 * The same instants give the detection time of a crash at any moment {@code c}: nothing
 * arrives after a crash, so the suspicion that begins after the last arrival before
 * {@code c} is the one that never ends, and T_D(c) is the time from {@code c} to its
 * start (0 if it started earlier). Averaged over every {@code c} of the watched time it
 * is the mean T_D; at the trace's own crash it is T_D of that crash.
 */
public final class Replay {

	/** The suspicion instant of a detector that stays trusted for ever. */
	static final long NEVER = Long.MAX_VALUE;

	// a detector still trusting after an hour of silence is taken never to suspect
	private static final long HORIZON_NANOS = Duration.ofHours(1).toNanos();

	private static final long NANOS_PER_MILLI = 1_000_000L;

	private Replay() {
	}

	/**
	 * Replays the trace through a fresh detector of the policy.
	 * @param trace the trace
	 * @param policy the detector configuration
	 * @return the metrics
	 */
	public static ReplayResult run(Trace trace, DetectorPolicy policy) {
		int size = trace.size();
		long first = trace.arrivalMillis(0) * NANOS_PER_MILLI;
		long crash = trace.crashMillis() * NANOS_PER_MILLI;
		VirtualClock clock = new VirtualClock(first);
		FailureDetector detector = policy.factory().create(trace, clock);
		long mistakes = 0;
		long suspected = 0;
		double detectionIntegral = 0.0;
		boolean suspectedBefore = false;
		long suspicion = NEVER;
		for (int i = 0; i < size; i++) {
			long start = trace.arrivalMillis(i) * NANOS_PER_MILLI;
			if (i > 0) {
				clock.set(start);
				detector.heartbeat();
			}
			long end = (i + 1 < size) ? trace.arrivalMillis(i + 1) * NANOS_PER_MILLI : crash;
			suspicion = suspicionInstant(detector, clock, start, end);
			if (suspicion < end) {
				// a heartbeat that did not clear the suspicion continues it: not a new mistake
				if (!(suspectedBefore && suspicion == start)) {
					mistakes++;
				}
				suspected += end - suspicion;
			}
			suspectedBefore = suspicion < end;
			detectionIntegral += detectionIntegral(suspicion, start, end);
		}
		long detectionAtCrash = (suspicion == NEVER) ? NEVER : Math.max(0, suspicion - crash);
		return new ReplayResult(trace, policy, mistakes, crash - first, suspected, detectionAtCrash,
				detectionIntegral / (crash - first));
	}

	/**
	 * Returns the integral of T_D(c) = max(0, suspicion − c) over the crash instants
	 * {@code c} from {@code start} to {@code end}.
	 */
	static double detectionIntegral(long suspicion, long start, long end) {
		if (suspicion == NEVER) {
			return (end > start) ? Double.POSITIVE_INFINITY : 0.0;
		}
		double delay = suspicion - start;
		double length = end - start;
		return (delay >= length) ? delay * length - length * length / 2 : delay * delay / 2;
	}

	/**
	 * Returns the first instant at or after {@code start} at which the detector, having
	 * heard its last heartbeat at or before {@code start}, suspects the process if nothing
	 * more arrives. It looks at {@code end} first, where most silences end trusted, then
	 * doubles the silence until suspected and bisects.
	 * @param detector the detector
	 * @param clock its clock, left at an arbitrary reading
	 * @param start the instant of the last heartbeat
	 * @param end where the silence is expected to end, at or after {@code start}
	 * @return the instant in nanoseconds, or {@link #NEVER} if the detector still trusts
	 * the process after an hour of silence
	 */
	static long suspicionInstant(FailureDetector detector, VirtualClock clock, long start, long end) {
		if (!trusts(detector, clock, start)) {
			return start;
		}
		long trusted = start;
		long suspected = end;
		if (trusts(detector, clock, end)) {
			trusted = end;
			long silence = Math.max(end - start, NANOS_PER_MILLI) * 2;
			while (trusts(detector, clock, start + silence)) {
				trusted = start + silence;
				if (silence > HORIZON_NANOS) {
					return NEVER;
				}
				silence *= 2;
			}
			suspected = start + silence;
		}
		while (suspected - trusted > 1) {
			long middle = trusted + (suspected - trusted) / 2;
			if (trusts(detector, clock, middle)) {
				trusted = middle;
			}
			else {
				suspected = middle;
			}
		}
		return suspected;
	}

	private static boolean trusts(FailureDetector detector, VirtualClock clock, long nanos) {
		clock.set(nanos);
		return detector.isAvailable();
	}

}
