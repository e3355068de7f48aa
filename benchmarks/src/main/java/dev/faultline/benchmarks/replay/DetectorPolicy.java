package dev.faultline.benchmarks.replay;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Arrays;

import dev.faultline.detector.AdaptiveFailureDetector;
import dev.faultline.detector.AdaptiveSettings;
import dev.faultline.detector.DetectorSettings;
import dev.faultline.detector.DetectorType;
import dev.faultline.detector.FailureDetector;
import dev.faultline.detector.FixedTimeoutDetector;
import dev.faultline.detector.MonotonicClock;
import dev.faultline.detector.PhiAccrualFailureDetector;
import dev.faultline.detector.PhiAccrualSettings;

/**
 * One detector configuration a trace is replayed through, as a policy is in Caffeine's
 * simulator. Policies of one {@code family} form one curve of the chart; a family of one
 * is a single point.
 *
 * @param family the curve it belongs to
 * @param name the configuration within the family, as the tables show it
 * @param factory makes a fresh detector for a trace
 */
public record DetectorPolicy(String family, String name, DetectorFactory factory) {

	private static final double MILLIS_PER_HOUR = 3_600_000.0;

	/**
	 * Makes the detector that watches one replay. It may look at the whole trace first:
	 * that is how the clairvoyant policy picks its timeout. The detector must watch from
	 * its creation and read time only from the clock given; its {@code phi()} must not
	 * change its state, since the replay asks about instants in any order between two
	 * heartbeats.
	 */
	@FunctionalInterface
	public interface DetectorFactory {

		/**
		 * Creates a detector that watches from the clock's current reading.
		 * @param trace the trace about to be replayed
		 * @param clock the replay's virtual clock
		 * @return the detector
		 */
		FailureDetector create(Trace trace, MonotonicClock clock);

	}

	/**
	 * A φ accrual detector with the given settings.
	 * @param family the curve
	 * @param name the configuration
	 * @param settings the settings
	 * @return the policy
	 */
	public static DetectorPolicy phi(String family, String name, PhiAccrualSettings settings) {
		return new DetectorPolicy(family, name, (trace, clock) -> new PhiAccrualFailureDetector(settings, clock));
	}

	/**
	 * An adaptive detector with the given settings, its first heartbeat estimate the
	 * trace's nominal interval, as Faultline sets it from {@code heartbeat.interval}.
	 * @param family the curve
	 * @param name the configuration
	 * @param settings the settings
	 * @return the policy
	 */
	public static DetectorPolicy adaptive(String family, String name, AdaptiveSettings settings) {
		return new DetectorPolicy(family, name, (trace, clock) -> new AdaptiveFailureDetector(
				settings.withFirstHeartbeatEstimate(trace.interval()), clock));
	}

	/**
	 * A fixed-timeout detector that suspects after the given silence.
	 * @param family the curve
	 * @param timeout the silence after which the process is suspected
	 * @return the policy
	 */
	public static DetectorPolicy fixedTimeout(String family, Duration timeout) {
		return new DetectorPolicy(family, seconds(timeout),
				(trace, clock) -> new FixedTimeoutDetector(timeout, 1, clock));
	}

	/**
	 * The detector a peer gets from Faultline's configuration properties with nothing set
	 * but {@code heartbeat.interval}, which is taken from the trace, and
	 * {@code detector.type}: that of {@link DetectorSettings#of}, whose defaults the
	 * properties' are.
	 * @param family the curve
	 * @param name the configuration
	 * @param type the detector type
	 * @return the policy
	 */
	public static DetectorPolicy faultlineDefault(String family, String name, DetectorType type) {
		return new DetectorPolicy(family, name,
				(trace, clock) -> FailureDetector.create(DetectorSettings.of(type, trace.interval()), clock));
	}

	/**
	 * The clairvoyant bound: a fixed-timeout detector whose timeout is chosen knowing the
	 * whole trace, the least that makes at most the given number of mistakes per hour.
	 * @param family the curve
	 * @param mistakesPerHour the mistake rate allowed
	 * @return the policy
	 * @see #hindsightTimeout(Trace, double)
	 */
	public static DetectorPolicy hindsightFixedTimeout(String family, double mistakesPerHour) {
		return new DetectorPolicy(family, "least timeout with λ_M ≤ " + mistakesPerHour + "/h",
				(trace, clock) -> new FixedTimeoutDetector(hindsightTimeout(trace, mistakesPerHour), 1, clock));
	}

	/**
	 * Returns the least fixed timeout that makes at most the given number of mistakes per
	 * hour on the trace. A fixed timeout {@code T} is mistaken once in every silence
	 * before the crash longer than {@code T} (the heartbeat ends each), so when {@code m}
	 * mistakes are allowed the answer is the {@code (m+1)}-th longest silence.
	 * @param trace the trace
	 * @param mistakesPerHour the mistake rate allowed, 0 or more
	 * @return the timeout, at least 1 ms
	 */
	public static Duration hindsightTimeout(Trace trace, double mistakesPerHour) {
		// the epsilon keeps 0.1/h × 10 h at one mistake allowed despite rounding
		long allowed = (long) Math.floor(mistakesPerHour * trace.watchedMillis() / MILLIS_PER_HOUR + 1e-9);
		long[] gaps = trace.gapsMillis();
		if (allowed >= gaps.length) {
			return Duration.ofMillis(1);
		}
		Arrays.sort(gaps);
		return Duration.ofMillis(Math.max(1, gaps[gaps.length - 1 - (int) allowed]));
	}

	static String seconds(Duration duration) {
		return new BigDecimal(duration.toNanos()).movePointLeft(9).stripTrailingZeros().toPlainString()
				+ " s";
	}

}
