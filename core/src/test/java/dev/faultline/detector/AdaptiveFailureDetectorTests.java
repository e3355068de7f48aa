package dev.faultline.detector;

import java.time.Duration;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.within;

/**
 * Tests for {@link AdaptiveFailureDetector}, driven by a {@link ManualClock}.
 */
class AdaptiveFailureDetectorTests {

	private static final double LOG10_3 = Math.log10(3);

	private final ManualClock clock = new ManualClock();

	private AdaptiveFailureDetector detector(AdaptiveSettings settings) {
		return new AdaptiveFailureDetector(settings, this.clock);
	}

	private AdaptiveFailureDetector detector() {
		return detector(AdaptiveSettings.DEFAULTS);
	}

	/** Heartbeats after each interval in turn. */
	private void heartbeats(FailureDetector detector, int count, Duration interval) {
		for (int i = 0; i < count; i++) {
			this.clock.advance(interval);
			detector.heartbeat();
		}
	}

	/** Steady 1 s heartbeats, long enough for the imagined bootstrap intervals to be gone. */
	private AdaptiveFailureDetector steadyDetector() {
		AdaptiveFailureDetector detector = detector();
		heartbeats(detector, 1000, Duration.ofSeconds(1));
		return detector;
	}

	@Test
	void silenceAsLongAsAnOutageIsSuspectedWhateverThePauseHistory() {
		// a young detector whose peer hung for 2.4 s three times, 2 s apart, at 500 ms
		// heartbeats: its death must not pass for one more pause
		AdaptiveFailureDetector detector = detector(
				AdaptiveSettings.DEFAULTS.withFirstHeartbeatEstimate(Duration.ofMillis(500)));
		heartbeats(detector, 200, Duration.ofMillis(500));
		for (int i = 0; i < 3; i++) {
			heartbeats(detector, 1, Duration.ofMillis(2400));
			heartbeats(detector, 4, Duration.ofMillis(500));
		}

		assertThat(detector.suspicionTimeout()).isLessThanOrEqualTo(Duration.ofSeconds(4));
		this.clock.advanceMillis(4000);
		assertThat(detector.isAvailable()).isFalse();
	}

	@Test
	void outageThatEndedASuspicionIsNotLearnedSoTheNextOneIsSuspectedAsFast() {
		AdaptiveFailureDetector detector = new AdaptiveFailureDetector(AdaptiveSettings.DEFAULTS, this.clock);
		heartbeats(detector, 120, Duration.ofSeconds(1));
		Duration first = detector.suspicionTimeout();
		// the peer hangs for 25 s, suspected after a few, then comes back
		this.clock.advance(Duration.ofSeconds(25));
		assertThat(detector.isAvailable()).isFalse();
		detector.heartbeat();
		heartbeats(detector, 120, Duration.ofSeconds(1));

		assertThat(detector.suspicionTimeout()).isLessThanOrEqualTo(first);
	}

	@Test
	void outagesOfGrowingLengthAreEachSuspectedAsFastAsTheFirst() {
		// with the outage bound measured in suspicion timeouts, each outage learned raised
		// the bound for the next, and later hangs went unseen for hours
		AdaptiveFailureDetector detector = new AdaptiveFailureDetector(AdaptiveSettings.DEFAULTS, this.clock);
		heartbeats(detector, 120, Duration.ofSeconds(1));
		Duration first = detector.suspicionTimeout();
		for (int outage : new int[] { 12, 25, 45, 60 }) {
			this.clock.advance(Duration.ofSeconds(outage));
			detector.heartbeat();
			heartbeats(detector, 60, Duration.ofSeconds(1));
		}

		assertThat(detector.suspicionTimeout()).isLessThanOrEqualTo(first);
	}

	@Test
	void freshDetectorIsAvailableWithPhiZero() {
		AdaptiveFailureDetector detector = detector();
		assertThat(detector.phi()).isZero();
		assertThat(detector.isAvailable()).isTrue();
	}

	@Test
	void freshDetectorJudgesBySilencesOfThreeQuartersThreeHalvesAndTwiceTheEstimate() {
		// the three imagined intervals weigh 1 each: a silence of 2 s is beyond two of
		// them by far, so S = 1/3; past it φ grows by 100 per decade of silence
		AdaptiveFailureDetector detector = detector();
		this.clock.advanceMillis(2000);
		assertThat(detector.phi()).isCloseTo(LOG10_3, within(1e-9));
		this.clock.advanceMillis(200);
		assertThat(detector.phi()).isCloseTo(LOG10_3 + 100 * Math.log10(1.1), within(1e-9));
	}

	@Test
	void freshDetectorWithDefaultsIsSuspectedWherePhiReachesFiveAfterTwiceTheEstimate() {
		AdaptiveFailureDetector detector = detector();
		// 2 s × 10^((5 − log10 3) / 100)
		double expected = 2e9 * Math.pow(10, (5 - LOG10_3) / 100);
		assertThat(detector.suspicionTimeout().toNanos()).isCloseTo((long) Math.ceil(expected), within(2L));
		this.clock.advanceNanos((long) expected - 1000);
		assertThat(detector.isAvailable()).isTrue();
		this.clock.advanceNanos(2000);
		assertThat(detector.isAvailable()).isFalse();
	}

	@Test
	void suspicionTimeoutAfterHundredSteadyHeartbeatsIsWithinOneAndAHalfTimesItsValueAfterAnHour() {
		// the imagined lost heartbeat held it beyond two intervals for the first ten
		// minutes, where a steady peer had long shown that it loses none
		AdaptiveFailureDetector detector = detector();
		heartbeats(detector, 100, Duration.ofSeconds(1));
		Duration afterHundred = detector.suspicionTimeout();
		heartbeats(detector, 3500, Duration.ofSeconds(1));
		Duration afterAnHour = detector.suspicionTimeout();
		assertThat(afterAnHour).isLessThan(Duration.ofMillis(1130));
		assertThat(afterHundred.toNanos()).isLessThanOrEqualTo((long) (1.5 * afterAnHour.toNanos()));
	}

	@Test
	void atHalfSecondHeartbeatsSuspicionTimeoutStaysUnderOnePointTwoSecondsFromTheStart() {
		// the fault suite of a service that just started detects a hang from this
		AdaptiveFailureDetector detector = detector(
				AdaptiveSettings.DEFAULTS.withFirstHeartbeatEstimate(Duration.ofMillis(500)));
		for (int i = 0; i < 120; i++) {
			assertThat(detector.suspicionTimeout()).as("after %d heartbeats", i).isLessThan(Duration.ofMillis(1200));
			heartbeats(detector, 1, Duration.ofMillis(500));
		}
		assertThat(detector.suspicionTimeout()).isLessThan(Duration.ofMillis(850));
	}

	@Test
	void silenceFromCreationLongerThanTheFirstTimeoutIsNotLearnedAsAnInterval() {
		// a detector created while this service starts, and watching restarted once it has
		// (a refresh), hears the peer first seconds later: that is no heartbeat interval
		AdaptiveFailureDetector detector = detector(
				AdaptiveSettings.DEFAULTS.withFirstHeartbeatEstimate(Duration.ofMillis(500)));
		this.clock.advanceMillis(5000);
		detector.refresh();
		this.clock.advanceMillis(500);
		detector.heartbeat();
		assertThat(detector.learned()).isZero();
		heartbeats(detector, 60, Duration.ofMillis(500));
		assertThat(detector.learned()).isEqualTo(60);
		assertThat(detector.suspicionTimeout()).isLessThan(Duration.ofMillis(1200));
	}

	@Test
	void peerFirstHeardLongAfterWatchingRestartedHasThatSilenceLeftOut() {
		// watching restarts when the monitor starts; the peer itself comes up seconds later
		AdaptiveFailureDetector detector = detector(
				AdaptiveSettings.DEFAULTS.withFirstHeartbeatEstimate(Duration.ofMillis(500)));
		this.clock.advanceMillis(5000);
		detector.restart();
		this.clock.advanceMillis(4000);
		detector.heartbeat();
		assertThat(detector.learned()).isZero();
		heartbeats(detector, 60, Duration.ofMillis(500));
		assertThat(detector.suspicionTimeout()).isLessThan(Duration.ofMillis(1200));
	}

	@Test
	void slowPeerWhoseFirstIntervalOutlastsTheEstimateIsLearnedFromItsSecond() {
		// only the silence from creation is left out: a peer that beats every 5 s against an
		// estimate of 1 s is learned from then on
		AdaptiveFailureDetector detector = detector();
		heartbeats(detector, 1, Duration.ofSeconds(5));
		assertThat(detector.learned()).isZero();
		heartbeats(detector, 100, Duration.ofSeconds(5));
		assertThat(detector.learned()).isEqualTo(100);
		this.clock.advanceMillis(5200);
		assertThat(detector.isAvailable()).isTrue();
	}

	@Test
	void heartbeatLostInTheFirstMinuteIsNotSuspected() {
		AdaptiveFailureDetector detector = detector();
		heartbeats(detector, 50, Duration.ofSeconds(1));
		this.clock.advanceMillis(2020);
		assertThat(detector.isAvailable()).isTrue();
	}

	@Test
	void firstHeartbeatLostAfterTheFirstMinuteIsSuspectedOnceAndTheNextIsNot() {
		AdaptiveFailureDetector detector = detector();
		heartbeats(detector, 100, Duration.ofSeconds(1));
		this.clock.advanceMillis(2000);
		assertThat(detector.isAvailable()).isFalse();
		detector.heartbeat();
		heartbeats(detector, 100, Duration.ofSeconds(1));
		this.clock.advanceMillis(2000);
		assertThat(detector.isAvailable()).isTrue();
	}

	@Test
	void pauseLearnedInTheFirstMinutesIsNotAMistakeAgainWhenALongerOneFollows() {
		// the imagined noise is half again the longest interval learned so far
		AdaptiveFailureDetector detector = detector();
		heartbeats(detector, 200, Duration.ofSeconds(1));
		this.clock.advanceMillis(1800);
		assertThat(detector.isAvailable()).isFalse();
		detector.heartbeat();
		heartbeats(detector, 100, Duration.ofSeconds(1));
		this.clock.advanceMillis(2500);
		assertThat(detector.isAvailable()).isTrue();
	}

	@Test
	void mildJitterInTheFirstTenMinutesIsNeverSuspected() {
		AdaptiveFailureDetector detector = detector();
		SplittableRandom random = new SplittableRandom(11);
		for (int i = 0; i < 600; i++) {
			this.clock.advanceMillis(random.nextLong(900, 1101));
			assertThat(detector.isAvailable()).as("at heartbeat %d", i).isTrue();
			detector.heartbeat();
		}
	}

	@Test
	void detectorThatNeverHearsAnythingBecomesSuspectedAndStaysSuspected() {
		AdaptiveFailureDetector detector = detector();
		this.clock.advance(Duration.ofSeconds(10));
		assertThat(detector.isAvailable()).isFalse();
		this.clock.advance(Duration.ofDays(1));
		assertThat(detector.isAvailable()).isFalse();
		assertThat(detector.phi()).isFinite();
	}

	@Test
	void steadyHeartbeatsGivePhiOfOneHundredTimesTheDecadesOfSilenceBeyondOneSecond() {
		AdaptiveFailureDetector detector = steadyDetector();
		this.clock.advanceMillis(1000);
		assertThat(detector.phi()).isCloseTo(0.0, within(1e-9));
		this.clock.advanceMillis(50);
		assertThat(detector.phi()).isCloseTo(100 * Math.log10(1.05), within(1e-9));
		this.clock.advanceMillis(50);
		assertThat(detector.phi()).isCloseTo(100 * Math.log10(1.1), within(1e-9));
	}

	@Test
	void steadyHeartbeatsAreSuspectedTwelvePercentAfterTheirInterval() {
		AdaptiveFailureDetector detector = steadyDetector();
		// 10^(5/100) = 1.122
		long expected = (long) (1e9 * Math.pow(10, 0.05));
		assertThat(detector.suspicionTimeout().toNanos()).isCloseTo(expected, within(2L));
		this.clock.advanceNanos(expected - 1000);
		assertThat(detector.isAvailable()).isTrue();
		this.clock.advanceNanos(2000);
		assertThat(detector.isAvailable()).isFalse();
	}

	@Test
	void snapshotShowsTheRememberedMeanDeviationAndWeight() {
		AdaptiveFailureDetector detector = steadyDetector();
		this.clock.advanceMillis(300);
		DetectorSnapshot snapshot = detector.snapshot();
		assertThat(snapshot.meanInterval()).isEqualTo(Duration.ofSeconds(1));
		assertThat(snapshot.stdDeviation()).isLessThan(Duration.ofNanos(100));
		assertThat(snapshot.sinceLastHeartbeat()).isEqualTo(Duration.ofMillis(300));
		assertThat(snapshot.threshold()).isEqualTo(5.0);
		assertThat(snapshot.available()).isTrue();
		// 1000 intervals, halving every h: (1 − 2^(−1000/h)) / (1 − 2^(−1/h))
		double halfLife = AdaptiveSettings.DEFAULTS.memoryHalfLife();
		double weight = (1 - Math.pow(0.5, 1000.0 / halfLife)) / (1 - Math.pow(0.5, 1.0 / halfLife));
		assertThat(snapshot.sampleCount()).isEqualTo((int) Math.round(weight));
	}

	@Test
	void twoHeartbeatsLostInARowAreToleratedOnceSingleLossesHaveBeenSeen() {
		AdaptiveFailureDetector detector = detector();
		for (int i = 0; i < 40; i++) {
			heartbeats(detector, 49, Duration.ofSeconds(1));
			heartbeats(detector, 1, Duration.ofSeconds(2));
		}
		// one in fifty lost: three intervals of silence are expected once in 2500
		this.clock.advanceMillis(3000);
		assertThat(detector.phi()).isBetween(2.0, 5.0);
		assertThat(detector.isAvailable()).isTrue();
		// a steady peer that never lost one is suspected long before
		assertThat(steadyDetector().suspicionTimeout()).isLessThan(Duration.ofMillis(1200));
	}

	@Test
	void pauseThatEndsASuspicionIsLearnedAndToleratedWhenItComesBack() {
		AdaptiveFailureDetector detector = steadyDetector();
		this.clock.advanceMillis(3000);
		assertThat(detector.isAvailable()).isFalse();
		detector.heartbeat();
		assertThat(detector.learned()).isEqualTo(1001);
		assertThat(detector.isAvailable()).isTrue();
		heartbeats(detector, 200, Duration.ofSeconds(1));
		this.clock.advanceMillis(3000);
		assertThat(detector.isAvailable()).isTrue();
		assertThat(detector.suspicionTimeout()).isGreaterThan(Duration.ofMillis(3000));
	}

	@Test
	void outageMuchLongerThanTheSuspicionIsNotLearned() {
		AdaptiveFailureDetector detector = steadyDetector();
		Duration before = detector.suspicionTimeout();
		// suspected after 1.12 s: 60 s is far beyond 4 × 1.12 s
		this.clock.advance(Duration.ofSeconds(60));
		detector.heartbeat();
		assertThat(detector.learned()).isEqualTo(1000);
		assertThat(detector.isAvailable()).isTrue();
		assertThat(detector.suspicionTimeout()).isEqualTo(before);
	}

	@Test
	void intervalJustWithinTheOutageFactorIsLearned() {
		AdaptiveFailureDetector detector = steadyDetector();
		double onset = detector.suspicionTimeout().toNanos();
		this.clock.advanceNanos((long) (4 * onset) - 1_000);
		detector.heartbeat();
		assertThat(detector.learned()).isEqualTo(1001);
	}

	@Test
	void networkThatGetsWorseIsBelievedAtOnce() {
		AdaptiveFailureDetector detector = steadyDetector();
		// one late heartbeat, wrongly suspected, then the next late ones are expected
		this.clock.advanceMillis(1250);
		assertThat(detector.isAvailable()).isFalse();
		detector.heartbeat();
		assertThat(detector.suspicionTimeout()).isGreaterThan(Duration.ofMillis(1350));
	}

	@Test
	void silenceJustLongerThanALearnedPauseInsideItsBucketIsNotSuspected() {
		// one pause of 2.986 s among 20000 steady intervals weighs S ≈ 4.8e-5 (φ 4.3); past
		// it the weight fades as (2.986 / t)^100, so 3.009 s has φ ≈ 4.3 + 0.33, below 5.
		// The edges of its bucket are 2.83 s and 3.08 s (φ 4.3 and 5.7 there):
		// interpolating between them gave φ 5.3 at 3.009 s, and a pause 1 % longer than
		// one already learned was suspected
		AdaptiveFailureDetector detector = detector();
		heartbeats(detector, 10000, Duration.ofSeconds(1));
		heartbeats(detector, 1, Duration.ofMillis(2986));
		heartbeats(detector, 10000, Duration.ofSeconds(1));
		this.clock.advanceMillis(3009);
		assertThat(detector.isAvailable()).isTrue();
		assertThat(detector.phi()).isLessThan(5.0);
		this.clock.advanceMillis(100);
		assertThat(detector.isAvailable()).isFalse();
	}

	@Test
	void wideJitterIsNotTakenForLostHeartbeats() {
		// intervals from 0.5 to 1.5 s: an interval of 1.5 times the ordinary is jitter here
		AdaptiveFailureDetector detector = detector();
		SplittableRandom random = new SplittableRandom(7);
		for (int i = 0; i < 5000; i++) {
			this.clock.advanceMillis(500 + random.nextInt(1001));
			detector.heartbeat();
		}
		assertThat(stateOf(detector).gapShare()).isZero();
		assertThat(detector.suspicionTimeout()).isBetween(Duration.ofMillis(1500), Duration.ofMillis(1800));
	}

	@Test
	void refreshRestartsTheSilenceWithoutLearning() {
		AdaptiveFailureDetector detector = steadyDetector();
		this.clock.advanceMillis(1100);
		detector.refresh();
		assertThat(detector.learned()).isEqualTo(1000);
		assertThat(detector.phi()).isZero();
		this.clock.advanceMillis(1000);
		assertThat(detector.isAvailable()).isTrue();
		// the next heartbeat learns the interval since the previous heartbeat: 2.1 s,
		// a pause well within the outage factor of a silence that was never suspected
		detector.heartbeat();
		assertThat(detector.learned()).isEqualTo(1001);
		assertThat(detector.snapshot().meanInterval()).isGreaterThan(Duration.ofSeconds(1));
	}

	@Test
	void refreshAtTheSameInstantChangesNothing() {
		AdaptiveFailureDetector detector = steadyDetector();
		DetectorSnapshot before = detector.snapshot();
		detector.refresh();
		assertThat(detector.snapshot()).isEqualTo(before);
	}

	@Test
	void phiIsNonDecreasingAndFiniteOverAnHourInMillisecondSteps() {
		for (AdaptiveFailureDetector detector : variedDetectors()) {
			AdaptiveFailureDetector.State state = stateOf(detector);
			double previous = state.phi(0);
			assertThat(previous).isZero();
			for (long millis = 1; millis <= 3_600_000; millis++) {
				double phi = state.phi(millis * 1e6);
				if (!Double.isFinite(phi) || phi < previous) {
					throw new AssertionError(detector + ": phi after " + millis + " ms is " + phi + " after " + previous);
				}
				previous = phi;
			}
			assertThat(previous).isGreaterThan(100);
		}
	}

	@Test
	void phiReadThroughTheClockGrowsWithTheSilence() {
		AdaptiveFailureDetector detector = steadyDetector();
		double previous = detector.phi();
		for (int i = 0; i < 3000; i++) {
			this.clock.advanceMillis(1);
			assertThat(detector.phi()).isGreaterThanOrEqualTo(previous);
			previous = detector.phi();
		}
		assertThat(previous).isGreaterThan(detector.threshold());
	}

	@Test
	void phiIsNonDecreasingAcrossEveryBucketEdgeToTheNanosecond() {
		for (AdaptiveFailureDetector detector : variedDetectors()) {
			AdaptiveFailureDetector.State state = stateOf(detector);
			for (double edge : detector.edges()) {
				double previous = state.phi(edge - 2000);
				for (long nanos = -1999; nanos <= 2000; nanos++) {
					double phi = state.phi(edge + nanos);
					if (!(phi >= previous)) {
						throw new AssertionError("phi at " + (edge + nanos) + " is " + phi + " after " + previous);
					}
					previous = phi;
				}
			}
		}
	}

	@Test
	void phiForHugeSilencesIsFiniteAndKeepsGrowing() {
		for (AdaptiveFailureDetector detector : variedDetectors()) {
			AdaptiveFailureDetector.State state = stateOf(detector);
			double hour = state.phi(3.6e12);
			double day = state.phi(8.64e13);
			double longest = state.phi(Long.MAX_VALUE);
			assertThat(hour).isFinite().isGreaterThan(detector.threshold());
			assertThat(day).isFinite().isGreaterThan(hour);
			assertThat(longest).isFinite().isGreaterThan(day);
		}
	}

	@Test
	void steepestTailExponentStillGivesFinitePhiWhereTheHistogramUnderflows() {
		AdaptiveFailureDetector detector = detector(AdaptiveSettings.DEFAULTS.withMaxTailExponent(1000));
		heartbeats(detector, 1000, Duration.ofSeconds(1));
		double[] table = detector.phiTable();
		assertThat(java.util.Arrays.stream(table)).allMatch(Double::isFinite);
		this.clock.advance(Duration.ofDays(365));
		// 1000 × log10(one year in seconds)
		assertThat(detector.phi()).isFinite().isCloseTo(1000 * Math.log10(365 * 86400.0), within(1e-6));
	}

	@Test
	void phiTableIsNonDecreasingAndStartsAtZero() {
		for (AdaptiveFailureDetector detector : variedDetectors()) {
			double[] table = detector.phiTable();
			assertThat(table[0]).isZero();
			for (int i = 1; i < table.length; i++) {
				assertThat(table[i]).isGreaterThanOrEqualTo(table[i - 1]);
			}
		}
	}

	@Test
	void suspicionTimeoutIsWherePhiReachesTheThreshold() {
		for (AdaptiveFailureDetector detector : variedDetectors()) {
			long timeout = detector.suspicionTimeout().toNanos();
			AdaptiveFailureDetector.State state = stateOf(detector);
			assertThat(state.phi(timeout)).isGreaterThanOrEqualTo(detector.threshold() - 1e-9);
			assertThat(state.phi(timeout - 10)).isLessThan(detector.threshold());
		}
	}

	@Test
	void intervalsOutsideTheHistogramAreCountedAtItsEnds() {
		AdaptiveFailureDetector detector = detector(AdaptiveSettings.DEFAULTS.withOutageFactor(1000));
		heartbeats(detector, 100, Duration.ofMillis(10));
		heartbeats(detector, 1, Duration.ofSeconds(70));
		assertThat(detector.learned()).isEqualTo(101);
		assertThat(java.util.Arrays.stream(detector.phiTable())).allMatch(Double::isFinite);
		// beyond the last edge, 64 s, the 70 s interval still counts
		this.clock.advance(Duration.ofSeconds(69));
		assertThat(detector.isAvailable()).isTrue();
		this.clock.advance(Duration.ofSeconds(60));
		assertThat(detector.isAvailable()).isFalse();
	}

	@Test
	void lowerThresholdSuspectsSooner() {
		AdaptiveFailureDetector strict = detector(AdaptiveSettings.DEFAULTS.withThreshold(3));
		heartbeats(strict, 1000, Duration.ofSeconds(1));
		assertThat(strict.suspicionTimeout()).isLessThan(steadyDetector().suspicionTimeout());
		assertThat(strict.threshold()).isEqualTo(3.0);
		assertThat(strict.settings().threshold()).isEqualTo(3.0);
	}

	@Test
	void toStringShowsPhiThresholdSilenceAndTimeout() {
		AdaptiveFailureDetector detector = steadyDetector();
		this.clock.advanceMillis(500);
		assertThat(detector.toString()).startsWith("AdaptiveFailureDetector[phi=0.000, threshold=5.0, silence=PT0.5S, "
				+ "suspicionTimeout=PT1.12201845")
			.contains("meanInterval=PT1S", "lostHeartbeats=0.0000");
	}

	@Test
	void createWithNullSettingsFails() {
		assertThatIllegalArgumentException().isThrownBy(() -> new AdaptiveFailureDetector(null, this.clock))
			.withMessage("settings must be set, but was null");
	}

	@Test
	void createWithNullClockFails() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new AdaptiveFailureDetector(AdaptiveSettings.DEFAULTS, null))
			.withMessage("clock must be set, but was null");
	}

	/** Detectors that learned different networks: fresh, steady, paused, lossy, jittery. */
	private AdaptiveFailureDetector[] variedDetectors() {
		AdaptiveFailureDetector fresh = detector();
		AdaptiveFailureDetector steady = steadyDetector();
		AdaptiveFailureDetector paused = detector();
		for (int i = 0; i < 20; i++) {
			heartbeats(paused, 99, Duration.ofSeconds(1));
			heartbeats(paused, 1, Duration.ofMillis(2000 + 70 * i));
		}
		AdaptiveFailureDetector lossy = detector();
		for (int i = 0; i < 30; i++) {
			heartbeats(lossy, 30, Duration.ofSeconds(1));
			heartbeats(lossy, 1, Duration.ofSeconds(2));
		}
		AdaptiveFailureDetector jittery = detector();
		java.util.SplittableRandom random = new java.util.SplittableRandom(7);
		for (int i = 0; i < 2000; i++) {
			heartbeats(jittery, 1, Duration.ofMillis(random.nextLong(700, 1300)));
		}
		return new AdaptiveFailureDetector[] { fresh, steady, paused, lossy, jittery };
	}

	private static AdaptiveFailureDetector.State stateOf(AdaptiveFailureDetector detector) {
		return detector.state();
	}

}
