package dev.faultline.benchmarks.replay;

import java.math.BigDecimal;
import java.math.MathContext;
import java.time.Duration;
import java.util.SplittableRandom;

/**
 * A heartbeat interval with uniform jitter: each interval is
 * {@code interval × (1 + u)}, {@code u} uniform in {@code [−jitter, jitter)}, rounded to
 * the millisecond so that the saved trace keeps the bounds.
 *
 * @param intervalMillis the nominal interval, greater than 0
 * @param jitter the largest relative deviation, 0 to 1 (excluded)
 */
record JitteredInterval(long intervalMillis, double jitter) {

	JitteredInterval {
		if (intervalMillis <= 0) {
			throw new IllegalArgumentException("interval must be greater than 0, but was " + intervalMillis + " ms");
		}
		if (!(jitter >= 0 && jitter < 1)) {
			throw new IllegalArgumentException("jitter must be at least 0 and less than 1, but was " + jitter);
		}
	}

	JitteredInterval(Duration interval, double jitter) {
		this(interval.toMillis(), jitter);
	}

	long next(SplittableRandom random) {
		double deviation = (this.jitter > 0) ? random.nextDouble(-this.jitter, this.jitter) : 0.0;
		return Math.round(this.intervalMillis * (1 + deviation));
	}

	String describe() {
		// 0.3 prints as 30, not 30.000000000000004
		return this.intervalMillis + " ms ± "
				+ BigDecimal.valueOf(this.jitter * 100).round(new MathContext(6)).stripTrailingZeros().toPlainString()
				+ " %";
	}

}
