package dev.faultline.peer;

import java.time.Duration;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Notices when this service itself stopped running for a while (a long GC pause, a
 * suspended VM) and holds convictions until every peer has had a fresh chance to answer.
 *
 * <p>
 * After our own pause every peer has been silent for as long as we were away, so each
 * detector reads a high φ at once. That silence is ours, not the peers': convicting them
 * all would open every circuit at the moment we come back. The heartbeat monitor ticks at
 * a fixed period; a tick that comes later than {@code maxLocalPause} past its due time
 * marks a local pause, and for a grace period after it (each peer's heartbeat interval
 * plus its probe timeout, the time one probe needs to be sent and answered) a suspected
 * peer is still reported available. While the monitor is late right now, the same holds.
 * Cassandra's failure detector guards against local pauses in the same way. Nor is a
 * heartbeat whose gap holds our pause learned as the peer's interval: one stall would
 * otherwise slow every later detection of every peer for as long as the detector
 * remembers it.
 */
public final class LocalPauseWatch {

	private static final Logger logger = LoggerFactory.getLogger(LocalPauseWatch.class);

	private final long tickNanos;

	private final long maxLocalPauseNanos;

	private volatile boolean ticked;

	private volatile long lastTickAt;

	private volatile boolean paused;

	private volatile long pauseEndedAt;

	/**
	 * Creates a watch for a monitor that ticks every {@code tick}.
	 * @param tick the monitor's tick period
	 * @param maxLocalPause how late a tick may be before it counts as a local pause
	 */
	public LocalPauseWatch(Duration tick, Duration maxLocalPause) {
		if (tick.isNegative() || tick.isZero()) {
			throw new IllegalArgumentException("tick must be positive, was " + tick);
		}
		if (maxLocalPause.isNegative() || maxLocalPause.isZero()) {
			throw new IllegalArgumentException("maxLocalPause must be positive, was " + maxLocalPause);
		}
		this.tickNanos = tick.toNanos();
		this.maxLocalPauseNanos = maxLocalPause.toNanos();
	}

	/**
	 * Records a tick of the monitor at {@code now}.
	 * @param now the monotonic time of the tick, in nanoseconds
	 */
	public void tick(long now) {
		if (this.ticked) {
			long late = lateness(now);
			if (late > this.maxLocalPauseNanos) {
				this.pauseEndedAt = now;
				this.paused = true;
				logger.warn("This service paused for {} ms (heartbeat monitor tick late by more than {} ms); "
						+ "holding peer convictions until each peer has had a fresh chance to answer",
						late / 1_000_000, this.maxLocalPauseNanos / 1_000_000);
			}
		}
		this.lastTickAt = now;
		this.ticked = true;
	}

	/**
	 * Returns whether convictions are held at {@code now} for a peer that needs
	 * {@code graceNanos} after a pause to answer again.
	 * @param now the monotonic time now, in nanoseconds
	 * @param graceNanos the peer's grace period after a local pause
	 * @return {@code true} if a suspected peer must still be reported available
	 */
	public boolean holds(long now, long graceNanos) {
		if (!this.ticked) {
			return false;
		}
		if (lateness(now) > this.maxLocalPauseNanos) {
			return true;
		}
		return this.paused && now - this.pauseEndedAt < graceNanos;
	}

	/**
	 * Returns whether this service paused between two times: a pause that ended after
	 * {@code since}, or one going on at {@code now}. A heartbeat's gap that holds such a
	 * pause is our silence as much as the peer's, and is not learned as its interval.
	 * @param since the start of the gap, in monotonic nanoseconds
	 * @param now the end of the gap, in monotonic nanoseconds
	 * @return {@code true} if the gap holds a pause of this service
	 */
	public boolean pausedBetween(long since, long now) {
		if (!this.ticked) {
			return false;
		}
		return lateness(now) > this.maxLocalPauseNanos || (this.paused && this.pauseEndedAt - since > 0);
	}

	private long lateness(long now) {
		return now - this.lastTickAt - this.tickNanos;
	}

}
