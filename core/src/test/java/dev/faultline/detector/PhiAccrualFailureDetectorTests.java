package dev.faultline.detector;

import java.time.Duration;
import java.util.Arrays;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.within;

/**
 * Tests for {@link PhiAccrualFailureDetector}, driven by a {@link ManualClock}.
 */
class PhiAccrualFailureDetectorTests {

	private static final long SECOND = 1_000_000_000L;

	private final ManualClock clock = new ManualClock();

	private PhiAccrualFailureDetector detector(PhiAccrualSettings settings) {
		return new PhiAccrualFailureDetector(settings, this.clock);
	}

	/** Heartbeats after each interval in turn. */
	private void heartbeats(FailureDetector detector, int count, Duration interval) {
		for (int i = 0; i < count; i++) {
			this.clock.advance(interval);
			detector.heartbeat();
		}
	}

	@Test
	void freshDetectorHasPhiNearZero() {
		PhiAccrualFailureDetector detector = detector(PhiAccrualSettings.DEFAULTS);
		// bootstrap: mean 1 s + 1 s pause, σ 250 ms, so z = -8 at once
		assertThat(detector.phi()).isBetween(0.0, 1e-12);
		assertThat(detector.isAvailable()).isTrue();
	}

	@Test
	void freshDetectorSnapshotShowsTheTwoBootstrapSamples() {
		DetectorSnapshot snapshot = detector(PhiAccrualSettings.DEFAULTS).snapshot();
		assertThat(snapshot.sampleCount()).isEqualTo(2);
		assertThat(snapshot.meanInterval()).isEqualTo(Duration.ofSeconds(1));
		assertThat(snapshot.stdDeviation()).isEqualTo(Duration.ofMillis(250));
		assertThat(snapshot.sinceLastHeartbeat()).isZero();
		assertThat(snapshot.threshold()).isEqualTo(8.0);
		assertThat(snapshot.available()).isTrue();
	}

	@Test
	void freshDetectorWithDefaultsIsAvailableAfterOneAndAHalfSecondsOfSilence() {
		PhiAccrualFailureDetector detector = detector(PhiAccrualSettings.DEFAULTS);
		this.clock.advanceMillis(1500);
		// z = (1.5 - 2) / 0.25 = -2
		assertThat(detector.phi()).isCloseTo(0.009994379534108709, within(1e-15));
		assertThat(detector.isAvailable()).isTrue();
	}

	@Test
	void freshDetectorWithDefaultsIsAvailableAtThreeSecondsAndSuspectedAtThreeAndAHalf() {
		PhiAccrualFailureDetector detector = detector(PhiAccrualSettings.DEFAULTS);
		this.clock.advanceMillis(3000);
		// z = 4: φ = 4.50
		assertThat(detector.phi()).isCloseTo(4.499334907556479, within(1e-12));
		assertThat(detector.isAvailable()).isTrue();
		this.clock.advanceMillis(500);
		// z = 6: φ = 9.01
		assertThat(detector.phi()).isCloseTo(9.005864327476704, within(1e-12));
		assertThat(detector.isAvailable()).isFalse();
	}

	@Test
	void detectorThatNeverHearsAnythingBecomesSuspectedAndStaysSuspected() {
		PhiAccrualFailureDetector detector = detector(PhiAccrualSettings.DEFAULTS);
		this.clock.advance(Duration.ofSeconds(10));
		assertThat(detector.isAvailable()).isFalse();
		this.clock.advance(Duration.ofDays(1));
		assertThat(detector.isAvailable()).isFalse();
		assertThat(detector.phi()).isFinite();
	}

	@Test
	void steadyHeartbeatsEverySecondGiveMeanOfOneSecondAndMinimumStdDeviation() {
		PhiAccrualFailureDetector detector = detector(PhiAccrualSettings.DEFAULTS);
		heartbeats(detector, 300, Duration.ofSeconds(1));
		DetectorSnapshot snapshot = detector.snapshot();
		assertThat(snapshot.sampleCount()).isEqualTo(200);
		assertThat(snapshot.meanInterval()).isEqualTo(Duration.ofSeconds(1));
		assertThat(snapshot.stdDeviation()).isEqualTo(Duration.ofMillis(100));
		assertThat(snapshot.sinceLastHeartbeat()).isZero();
	}

	@Test
	void steadyHeartbeatsThenTwoSecondGapIsNotSuspectedBecauseOfTheAcceptablePause() {
		PhiAccrualFailureDetector detector = detector(PhiAccrualSettings.DEFAULTS);
		heartbeats(detector, 300, Duration.ofSeconds(1));
		this.clock.advanceMillis(2000);
		// 2 s = mean + pause: z = 0
		assertThat(detector.phi()).isCloseTo(Math.log10(2), within(1e-12));
		assertThat(detector.isAvailable()).isTrue();
	}

	@Test
	void steadyHeartbeatsThenEightSecondGapIsSuspected() {
		PhiAccrualFailureDetector detector = detector(PhiAccrualSettings.DEFAULTS);
		heartbeats(detector, 300, Duration.ofSeconds(1));
		this.clock.advanceMillis(8000);
		assertThat(detector.isAvailable()).isFalse();
		assertThat(detector.phi()).isGreaterThan(700).isFinite();
	}

	@Test
	void steadyHeartbeatsAreSuspectedJustAfterMeanPlusPausePlusFivePointSixStdDeviations() {
		PhiAccrualFailureDetector detector = detector(PhiAccrualSettings.DEFAULTS);
		heartbeats(detector, 300, Duration.ofSeconds(1));
		// φ = 8 at 2 s + 5.612·100 ms = 2.5612 s
		this.clock.advanceMillis(2560);
		assertThat(detector.isAvailable()).isTrue();
		this.clock.advanceMillis(2);
		assertThat(detector.isAvailable()).isFalse();
	}

	@Test
	void phiIsNonDecreasingBetweenHeartbeatsForAnHour() {
		PhiAccrualFailureDetector detector = detector(PhiAccrualSettings.DEFAULTS);
		heartbeats(detector, 300, Duration.ofSeconds(1));
		double previous = detector.phi();
		for (int i = 0; i < 360_000; i++) {
			this.clock.advanceMillis(10);
			double phi = detector.phi();
			if (!Double.isFinite(phi) || phi < previous) {
				throw new AssertionError("phi after " + (i + 1) * 10 + " ms is " + phi + " after " + previous);
			}
			previous = phi;
		}
	}

	@Test
	void refreshRestartsTheSilenceButLeavesTheSamplesAlone() {
		PhiAccrualFailureDetector detector = detector(PhiAccrualSettings.DEFAULTS);
		heartbeats(detector, 10, Duration.ofSeconds(1));
		DetectorSnapshot before = detector.snapshot();
		this.clock.advanceMillis(2500);
		detector.refresh();
		this.clock.advanceMillis(1900);
		DetectorSnapshot after = detector.snapshot();
		assertThat(after.sinceLastHeartbeat()).isEqualTo(Duration.ofMillis(1900));
		assertThat(after.available()).isTrue();
		assertThat(after.sampleCount()).isEqualTo(before.sampleCount());
		assertThat(after.meanInterval()).isEqualTo(before.meanInterval());
		assertThat(after.stdDeviation()).isEqualTo(before.stdDeviation());
	}

	@Test
	void heartbeatAfterRefreshLearnsTheIntervalSinceThePreviousHeartbeat() {
		PhiAccrualFailureDetector detector = detector(PhiAccrualSettings.DEFAULTS);
		heartbeats(detector, 3, Duration.ofSeconds(1));
		this.clock.advanceMillis(400);
		detector.refresh();
		this.clock.advanceMillis(800);
		detector.heartbeat();
		long[] intervals = detector.intervals();
		assertThat(intervals[intervals.length - 1]).isEqualTo(1200 * 1_000_000L);
	}

	@Test
	void intervalEndingASuspectedPeriodIsNotLearned() {
		PhiAccrualFailureDetector detector = detector(PhiAccrualSettings.DEFAULTS);
		heartbeats(detector, 10, Duration.ofSeconds(1));
		DetectorSnapshot before = detector.snapshot();
		this.clock.advance(Duration.ofSeconds(60));
		assertThat(detector.isAvailable()).isFalse();
		detector.heartbeat();
		DetectorSnapshot after = detector.snapshot();
		assertThat(after.sampleCount()).isEqualTo(before.sampleCount()).isEqualTo(12);
		assertThat(after.meanInterval()).isEqualTo(before.meanInterval());
		assertThat(after.stdDeviation()).isEqualTo(before.stdDeviation());
		assertThat(detector.intervals()).doesNotContain(60 * SECOND);
		// the heartbeat still restarts the silence
		assertThat(after.sinceLastHeartbeat()).isZero();
		assertThat(after.available()).isTrue();
	}

	@Test
	void intervalEndingAnUnsuspectedGapIsLearned() {
		PhiAccrualFailureDetector detector = detector(PhiAccrualSettings.DEFAULTS);
		heartbeats(detector, 300, Duration.ofSeconds(1));
		this.clock.advanceMillis(2550);
		detector.heartbeat();
		long[] intervals = detector.intervals();
		assertThat(intervals).hasSize(200);
		assertThat(intervals[199]).isEqualTo(2550 * 1_000_000L);
	}

	@Test
	void intervalEndingAGapJustPastTheThresholdIsNotLearned() {
		PhiAccrualFailureDetector detector = detector(PhiAccrualSettings.DEFAULTS);
		heartbeats(detector, 300, Duration.ofSeconds(1));
		this.clock.advanceMillis(2570);
		detector.heartbeat();
		assertThat(detector.intervals()).containsOnly(SECOND);
	}

	@Test
	void heartbeatLearnsItsIntervalExactlyWhenPhiBeforeItWasBelowTheThreshold() {
		// φ = 8 at about 2 561 200 124 ns after the last of steady 1 s heartbeats: try each
		// nanosecond around it
		int suspicions = 0;
		for (long gap = 2_561_200_074L; gap <= 2_561_200_174L; gap++) {
			ManualClock clock = new ManualClock();
			PhiAccrualFailureDetector detector = new PhiAccrualFailureDetector(PhiAccrualSettings.DEFAULTS, clock);
			for (int i = 0; i < 200; i++) {
				clock.advance(Duration.ofSeconds(1));
				detector.heartbeat();
			}
			clock.advanceNanos(gap);
			boolean suspected = detector.phi() >= detector.threshold();
			detector.heartbeat();
			boolean learned = detector.intervals()[199] == gap;
			assertThat(learned).as("learned after %d ns", gap).isEqualTo(!suspected);
			suspicions += suspected ? 1 : 0;
		}
		assertThat(suspicions).isBetween(40, 60);
	}

	@Test
	void heartbeatLearnsItsIntervalExactlyWhenPhiBeforeItWasBelowTheThresholdToTheNanosecond() {
		// with σ' = 1000 s a nanosecond moves z by 1e-12, so the check at a heartbeat must
		// match phi() >= threshold far more finely than the scan above can tell
		PhiAccrualSettings settings = PhiAccrualSettings.DEFAULTS.withMaxSampleSize(1)
			.withMinStdDeviation(Duration.ofSeconds(1000));
		// φ = 8 at 2 s + 5.612001244174789 · 1000 s
		long crossing = 5_614_001_244_175L;
		int suspicions = 0;
		for (long gap = crossing - 2000; gap <= crossing + 2000; gap++) {
			ManualClock clock = new ManualClock();
			PhiAccrualFailureDetector detector = new PhiAccrualFailureDetector(settings, clock);
			clock.advanceNanos(gap);
			boolean suspected = detector.phi() >= detector.threshold();
			detector.heartbeat();
			boolean learned = detector.intervals()[0] == gap;
			assertThat(learned).as("learned after %d ns", gap).isEqualTo(!suspected);
			suspicions += suspected ? 1 : 0;
		}
		assertThat(suspicions).isBetween(1900, 2100);
	}

	@Test
	void heartbeatWhenPhiIsExactlyAtTheThresholdIsNotLearned() {
		// a threshold that φ reaches exactly at z = 6: 2 s + 6 · 100 ms
		double threshold = PhiAccrualFailureDetector.phiOfZ(6.0);
		PhiAccrualFailureDetector detector = detector(PhiAccrualSettings.DEFAULTS.withThreshold(threshold));
		heartbeats(detector, 300, Duration.ofSeconds(1));
		this.clock.advanceMillis(2600);
		assertThat(detector.phi()).isEqualTo(threshold);
		assertThat(detector.isAvailable()).isFalse();
		detector.heartbeat();
		assertThat(detector.intervals()).containsOnly(SECOND);
	}

	@Test
	void heartbeatAfterAnOutageIsSampledFromTheOutageEndNotFromBeforeIt() {
		PhiAccrualFailureDetector detector = detector(PhiAccrualSettings.DEFAULTS);
		heartbeats(detector, 10, Duration.ofSeconds(1));
		this.clock.advance(Duration.ofSeconds(60));
		detector.heartbeat();
		this.clock.advanceMillis(900);
		detector.heartbeat();
		long[] intervals = detector.intervals();
		assertThat(intervals[intervals.length - 1]).isEqualTo(900 * 1_000_000L);
	}

	@Test
	void windowKeepsOnlyTheLatestMaxSampleSizeIntervals() {
		PhiAccrualFailureDetector detector = detector(PhiAccrualSettings.DEFAULTS.withMaxSampleSize(10));
		heartbeats(detector, 25, Duration.ofSeconds(1));
		heartbeats(detector, 5, Duration.ofMillis(500));
		assertThat(detector.snapshot().sampleCount()).isEqualTo(10);
		assertThat(detector.snapshot().meanInterval()).isEqualTo(Duration.ofMillis(750));
		assertThat(detector.intervals()).containsExactly(SECOND, SECOND, SECOND, SECOND, SECOND, SECOND / 2,
				SECOND / 2, SECOND / 2, SECOND / 2, SECOND / 2);
		heartbeats(detector, 5, Duration.ofMillis(500));
		assertThat(detector.snapshot().meanInterval()).isEqualTo(Duration.ofMillis(500));
	}

	@Test
	void defaultWindowAfterSwitchingToHalfSecondIntervalsForgetsTheOldOnes() {
		PhiAccrualFailureDetector detector = detector(PhiAccrualSettings.DEFAULTS);
		heartbeats(detector, 250, Duration.ofSeconds(1));
		heartbeats(detector, 200, Duration.ofMillis(500));
		DetectorSnapshot snapshot = detector.snapshot();
		assertThat(snapshot.sampleCount()).isEqualTo(200);
		assertThat(snapshot.meanInterval()).isEqualTo(Duration.ofMillis(500));
		assertThat(snapshot.stdDeviation()).isEqualTo(Duration.ofMillis(100));
	}

	@Test
	void runningSumsMatchTheWindowAfterManyEvictionsOfVaryingIntervals() {
		PhiAccrualFailureDetector detector = detector(
				PhiAccrualSettings.DEFAULTS.withMaxSampleSize(7).withMinStdDeviation(Duration.ofNanos(1)));
		for (int i = 0; i < 1000; i++) {
			this.clock.advanceMillis(900 + (i * 37) % 200);
			detector.heartbeat();
		}
		long[] intervals = detector.intervals();
		double mean = Arrays.stream(intervals).average().orElseThrow();
		double variance = Arrays.stream(intervals).mapToDouble((x) -> (x - mean) * (x - mean)).sum() / 7;
		DetectorSnapshot snapshot = detector.snapshot();
		assertThat(snapshot.sampleCount()).isEqualTo(7);
		assertThat(snapshot.meanInterval().toNanos()).isEqualTo(Math.round(mean));
		assertThat(snapshot.stdDeviation().toNanos()).isCloseTo(Math.round(Math.sqrt(variance)), within(1L));
	}

	@Test
	void maxSampleSizeOfOneKeepsOneSampleWithMinimumStdDeviationAndNoNaN() {
		PhiAccrualFailureDetector detector = detector(PhiAccrualSettings.DEFAULTS.withMaxSampleSize(1));
		DetectorSnapshot fresh = detector.snapshot();
		assertThat(fresh.sampleCount()).isEqualTo(1);
		assertThat(fresh.meanInterval()).isEqualTo(Duration.ofSeconds(1));
		assertThat(fresh.stdDeviation()).isEqualTo(Duration.ofMillis(100));
		heartbeats(detector, 5, Duration.ofMillis(700));
		this.clock.advanceMillis(1000);
		DetectorSnapshot snapshot = detector.snapshot();
		assertThat(snapshot.sampleCount()).isEqualTo(1);
		assertThat(snapshot.meanInterval()).isEqualTo(Duration.ofMillis(700));
		assertThat(snapshot.stdDeviation()).isEqualTo(Duration.ofMillis(100));
		assertThat(snapshot.phi()).isNotNaN().isFinite().isGreaterThanOrEqualTo(0);
		assertThat(detector.intervals()).containsExactly(700 * 1_000_000L);
	}

	@Test
	void identicalIntervalsGiveMinimumStdDeviationAndNoNaN() {
		PhiAccrualFailureDetector detector = detector(PhiAccrualSettings.DEFAULTS);
		// an odd interval whose square is not exact in a double
		heartbeats(detector, 10_000, Duration.ofNanos(1_000_000_007L));
		DetectorSnapshot snapshot = detector.snapshot();
		assertThat(snapshot.stdDeviation()).isEqualTo(Duration.ofMillis(100));
		assertThat(snapshot.meanInterval()).isEqualTo(Duration.ofNanos(1_000_000_007L));
		assertThat(snapshot.phi()).isNotNaN().isFinite().isGreaterThanOrEqualTo(0);
	}

	@Test
	void identicalIntervalsWithTinyMinimumStdDeviationGiveNearZeroNotNaN() {
		PhiAccrualFailureDetector detector = detector(
				PhiAccrualSettings.DEFAULTS.withMinStdDeviation(Duration.ofNanos(1)));
		heartbeats(detector, 10_000, Duration.ofNanos(1_000_000_007L));
		DetectorSnapshot snapshot = detector.snapshot();
		// the variance cancels to about 0: rounding may leave a few ns, never NaN
		assertThat(snapshot.stdDeviation()).isBetween(Duration.ofNanos(1), Duration.ofNanos(100));
		this.clock.advanceMillis(1500);
		assertThat(detector.phi()).isNotNaN().isFinite().isGreaterThanOrEqualTo(0);
	}

	@Test
	void snapshotMeanIsTheLearnedMeanWithoutTheAcceptablePause() {
		PhiAccrualFailureDetector detector = detector(
				PhiAccrualSettings.DEFAULTS.withAcceptableHeartbeatPause(Duration.ofSeconds(3)));
		heartbeats(detector, 300, Duration.ofSeconds(1));
		assertThat(detector.snapshot().meanInterval()).isEqualTo(Duration.ofSeconds(1));
		this.clock.advanceMillis(4000);
		// φ uses mean + pause: z = 0 at 4 s
		assertThat(detector.snapshot().phi()).isCloseTo(Math.log10(2), within(1e-12));
	}

	@Test
	void snapshotReadsPhiAndSilenceAtTheSameMoment() {
		PhiAccrualFailureDetector detector = detector(PhiAccrualSettings.DEFAULTS);
		heartbeats(detector, 300, Duration.ofSeconds(1));
		this.clock.advanceMillis(2100);
		DetectorSnapshot snapshot = detector.snapshot();
		assertThat(snapshot.sinceLastHeartbeat()).isEqualTo(Duration.ofMillis(2100));
		assertThat(snapshot.phi()).isEqualTo(detector.phi()).isCloseTo(0.7995455414919705, within(1e-12));
	}

	@Test
	void thresholdIsTheOneFromTheSettings() {
		PhiAccrualFailureDetector detector = detector(PhiAccrualSettings.DEFAULTS.withThreshold(3.5));
		assertThat(detector.threshold()).isEqualTo(3.5);
		assertThat(detector.settings().threshold()).isEqualTo(3.5);
	}

	@Test
	void lowerThresholdSuspectsSooner() {
		PhiAccrualFailureDetector detector = detector(PhiAccrualSettings.DEFAULTS.withThreshold(1.0));
		heartbeats(detector, 300, Duration.ofSeconds(1));
		// φ = 1 at z = 1.28: 2.128 s
		this.clock.advanceMillis(2120);
		assertThat(detector.isAvailable()).isTrue();
		this.clock.advanceMillis(20);
		assertThat(detector.isAvailable()).isFalse();
	}

	@Test
	void toStringShowsPhiThresholdSilenceAndSamples() {
		PhiAccrualFailureDetector detector = detector(PhiAccrualSettings.DEFAULTS);
		heartbeats(detector, 3, Duration.ofSeconds(1));
		this.clock.advanceMillis(2000);
		assertThat(detector).hasToString("PhiAccrualFailureDetector[phi=0.301, threshold=8.0, silence=PT2S, "
				+ "meanInterval=PT1S, stdDeviation=PT0.158113883S, samples=5/200, acceptableHeartbeatPause=PT1S]");
	}

	@Test
	void createWithNullSettingsFails() {
		assertThatIllegalArgumentException().isThrownBy(() -> new PhiAccrualFailureDetector(null, this.clock))
			.withMessage("settings must be set, but was null");
	}

	@Test
	void createWithNullClockFails() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new PhiAccrualFailureDetector(PhiAccrualSettings.DEFAULTS, null))
			.withMessage("clock must be set, but was null");
	}

}
