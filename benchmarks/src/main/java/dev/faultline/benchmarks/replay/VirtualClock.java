package dev.faultline.benchmarks.replay;

import dev.faultline.detector.MonotonicClock;

/**
 * A clock that reads whatever time the replay sets, so that hours of heartbeats replay in
 * milliseconds and a detector can be asked about any instant.
 */
final class VirtualClock implements MonotonicClock {

	private long nanos;

	VirtualClock(long nanos) {
		this.nanos = nanos;
	}

	void set(long nanos) {
		this.nanos = nanos;
	}

	@Override
	public long nanoTime() {
		return this.nanos;
	}

}
