package dev.faultline.benchmarks.replay;

import java.time.Duration;

import dev.faultline.detector.DetectorType;
import dev.faultline.detector.FailureDetector;
import dev.faultline.detector.PhiAccrualFailureDetector;
import dev.faultline.detector.PhiAccrualSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Tests for {@link Replay} and the policies it replays, on traces small enough to check
 * by hand or by brute force.
 */
class ReplayTests {

	private static final long MILLI = 1_000_000L;

	// one silence of 2 s among 1 s ones, then the crash 500 ms after the last heartbeat
	private static final Trace ONE_LONG_GAP = new Trace("tiny", 1, 1000, 5500, "",
			new long[] { 0, 1000, 2000, 4000, 5000 });

	@Test
	void fixedTimeoutWhenOneSilenceIsLongerShouldMakeExactlyOneMistakeOfTheExcess() {
		ReplayResult result = Replay.run(ONE_LONG_GAP, fixed(1500));
		assertThat(result.mistakes()).isEqualTo(1);
		assertThat(result.suspectedNanos()).isEqualTo(500 * MILLI);
		assertThat(result.watchedNanos()).isEqualTo(5500 * MILLI);
		assertThat(result.queryAccuracy()).isEqualTo(1 - 0.5 / 5.5);
		assertThat(result.mistakesPerHour()).isCloseTo(3600 / 5.5, within(1e-9));
	}

	@Test
	void fixedTimeoutShouldDetectTheCrashOneTimeoutAfterTheLastHeartbeat() {
		ReplayResult result = Replay.run(ONE_LONG_GAP, fixed(1500));
		// last heartbeat at 5 s, suspected at 6.5 s, crash at 5.5 s
		assertThat(result.detectionAtCrashNanos()).isEqualTo(1000 * MILLI);
		Trace crashRightAfter = new Trace("tiny", 1, 1000, 2001, "", new long[] { 0, 1000, 2000 });
		assertThat(Replay.run(crashRightAfter, fixed(1500)).detectionAtCrashNanos()).isEqualTo(1499 * MILLI);
	}

	@Test
	void meanDetectionShouldAverageEveryCrashInstant() {
		// per silence of length L with suspicion D after its start, ∫ max(0, D − u) du over [0, L):
		// D ≥ L gives D·L − L²/2, D < L gives D²/2; in ms²: 1.0e6 ×3 (1 s silences), 1.125e6 (the 2 s
		// one), 0.625e6 (the 500 ms before the crash); over 5500 ms watched
		ReplayResult result = Replay.run(ONE_LONG_GAP, fixed(1500));
		assertThat(result.meanDetectionSeconds()).isCloseTo(4_750_000.0 / 5500 / 1000, within(1e-12));
	}

	@Test
	void suspicionBeforeTheCrashShouldBeAMistakeAndDetectTheCrashAtOnce() {
		Trace trace = new Trace("tiny", 1, 1000, 3000, "", new long[] { 0, 1000 });
		ReplayResult result = Replay.run(trace, fixed(1500));
		assertThat(result.mistakes()).isEqualTo(1);
		assertThat(result.suspectedNanos()).isEqualTo(500 * MILLI);
		assertThat(result.detectionAtCrashNanos()).isZero();
	}

	@Test
	void silencesNoLongerThanTheTimeoutShouldNeverBeSuspected() {
		// a heartbeat exactly at the timeout ends the silence in the instant it would be suspected
		ReplayResult result = Replay.run(ONE_LONG_GAP, fixed(2000));
		assertThat(result.mistakes()).isZero();
		assertThat(result.queryAccuracy()).isEqualTo(1.0);
	}

	@ParameterizedTest
	@ValueSource(doubles = { 0.5, 1, 3, 8, 16 })
	void phiSuspicionInstantShouldBeExactToTheNanosecond(double threshold) {
		Trace trace = new JitterTraceGenerator("jittery", Duration.ofSeconds(1), 0.3, Duration.ofSeconds(90))
			.generate(7);
		PhiAccrualSettings settings = PhiAccrualSettings.DEFAULTS.withAcceptableHeartbeatPause(Duration.ZERO)
			.withThreshold(threshold);
		VirtualClock clock = new VirtualClock(0);
		FailureDetector detector = new PhiAccrualFailureDetector(settings, clock);
		for (int i = 0; i < trace.size(); i++) {
			long start = trace.arrivalMillis(i) * MILLI;
			if (i > 0) {
				clock.set(start);
				detector.heartbeat();
			}
			long end = (i + 1 < trace.size()) ? trace.arrivalMillis(i + 1) * MILLI : trace.crashMillis() * MILLI;
			long suspicion = Replay.suspicionInstant(detector, clock, start, end);
			// brute force, a millisecond at a time: the first step at which the process is suspected
			long step = start;
			while (trusts(detector, clock, step)) {
				step += MILLI;
			}
			assertThat(suspicion).isBetween(step - MILLI + 1, step);
			assertThat(trusts(detector, clock, suspicion)).isFalse();
			assertThat(trusts(detector, clock, suspicion - 1)).isTrue();
		}
	}

	@Test
	void phiReplayShouldMatchABruteForceReplayMillisecondByMillisecond() {
		Trace trace = new PauseTraceGenerator("paused", Duration.ofSeconds(1), 0.01, Duration.ofSeconds(20),
				Duration.ofSeconds(40), Duration.ofMillis(1500), Duration.ofMillis(2500), Duration.ofMinutes(5))
			.generate(3);
		DetectorPolicy policy = DetectorPolicy.phi("φ", "φ 3",
				PhiAccrualSettings.DEFAULTS.withAcceptableHeartbeatPause(Duration.ZERO).withThreshold(3));
		ReplayResult result = Replay.run(trace, policy);
		VirtualClock clock = new VirtualClock(0);
		FailureDetector detector = policy.factory().create(trace, clock);
		long mistakes = 0;
		long suspectedSteps = 0;
		for (int i = 0; i < trace.size(); i++) {
			if (i > 0) {
				clock.set(trace.arrivalMillis(i) * MILLI);
				detector.heartbeat();
			}
			long end = (i + 1 < trace.size()) ? trace.arrivalMillis(i + 1) : trace.crashMillis();
			boolean suspected = false;
			for (long millis = trace.arrivalMillis(i); millis < end; millis++) {
				if (!trusts(detector, clock, millis * MILLI)) {
					mistakes += suspected ? 0 : 1;
					suspected = true;
					suspectedSteps++;
				}
			}
		}
		assertThat(result.mistakes()).isEqualTo(mistakes).isGreaterThan(3);
		// each suspicion starts somewhere within the millisecond before the step that sees it
		assertThat(result.suspectedNanos()).isBetween(suspectedSteps * MILLI, (suspectedSteps + mistakes) * MILLI);
	}

	@Test
	void hindsightTimeoutShouldBeTheLongestSilenceAllowedToBeMistaken() {
		// 5.5 s watched: at 0.1 mistakes per hour none is allowed, so no silence may be longer
		assertThat(DetectorPolicy.hindsightTimeout(ONE_LONG_GAP, 0.1)).isEqualTo(Duration.ofMillis(2000));
		ReplayResult none = Replay.run(ONE_LONG_GAP, DetectorPolicy.hindsightFixedTimeout("best", 0.1));
		assertThat(none.mistakes()).isZero();
		// one mistake allowed in 5.5 s: the second longest silence
		double oneIn55Seconds = 3600 / 5.5;
		assertThat(DetectorPolicy.hindsightTimeout(ONE_LONG_GAP, oneIn55Seconds)).isEqualTo(Duration.ofMillis(1000));
		ReplayResult one = Replay.run(ONE_LONG_GAP, DetectorPolicy.hindsightFixedTimeout("best", oneIn55Seconds));
		assertThat(one.mistakes()).isEqualTo(1);
	}

	@Test
	void faultlineDefaultShouldBehaveAsTheDefaultSettings() {
		Trace trace = DetectionReplay.traces().get(2).generate(5);
		ReplayResult untouched = Replay.run(trace,
				DetectorPolicy.faultlineDefault("default", "default", DetectorType.PHI));
		ReplayResult settings = Replay.run(trace, DetectorPolicy.phi("phi", "defaults", PhiAccrualSettings.DEFAULTS));
		assertThat(untouched.mistakes()).isEqualTo(settings.mistakes()).isPositive();
		assertThat(untouched.suspectedNanos()).isEqualTo(settings.suspectedNanos());
		assertThat(untouched.meanDetectionNanos()).isEqualTo(settings.meanDetectionNanos());
	}

	@Test
	void faultlineFixedDefaultShouldSuspectAfterThreeIntervals() {
		ReplayResult result = Replay.run(ONE_LONG_GAP,
				DetectorPolicy.faultlineDefault("fixed", "fixed", DetectorType.FIXED));
		assertThat(result.mistakes()).isZero();
		assertThat(result.detectionAtCrashNanos()).isEqualTo(2500 * MILLI);
	}

	private static DetectorPolicy fixed(long timeoutMillis) {
		return DetectorPolicy.fixedTimeout("fixed", Duration.ofMillis(timeoutMillis));
	}

	private static boolean trusts(FailureDetector detector, VirtualClock clock, long nanos) {
		clock.set(nanos);
		return detector.isAvailable();
	}

}
