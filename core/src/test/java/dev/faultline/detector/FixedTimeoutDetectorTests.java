package dev.faultline.detector;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tests for {@link FixedTimeoutDetector}.
 */
class FixedTimeoutDetectorTests {

	private final ManualClock clock = new ManualClock();

	private final FixedTimeoutDetector detector = new FixedTimeoutDetector(Duration.ofSeconds(1),
			FixedTimeoutDetector.DEFAULT_MISSED_HEARTBEATS, this.clock);

	@Test
	void defaultMissedHeartbeatsIsThree() {
		assertThat(FixedTimeoutDetector.DEFAULT_MISSED_HEARTBEATS).isEqualTo(3);
		assertThat(this.detector.timeout()).isEqualTo(Duration.ofSeconds(3));
	}

	@Test
	void freshDetectorIsAvailableWithPhiZero() {
		assertThat(this.detector.phi()).isZero();
		assertThat(this.detector.isAvailable()).isTrue();
	}

	@Test
	void detectorIsAvailableUntilJustBeforeTheTimeout() {
		this.clock.advance(Duration.ofSeconds(3).minusNanos(1));
		assertThat(this.detector.isAvailable()).isTrue();
		assertThat(this.detector.phi()).isLessThan(1.0);
	}

	@Test
	void detectorIsSuspectedOnceTheSilenceReachesTheTimeout() {
		this.clock.advance(Duration.ofSeconds(3));
		assertThat(this.detector.phi()).isEqualTo(1.0);
		assertThat(this.detector.isAvailable()).isFalse();
	}

	@Test
	void detectorIsSuspectedAfterTheTimeout() {
		this.clock.advance(Duration.ofSeconds(3).plusNanos(1));
		assertThat(this.detector.isAvailable()).isFalse();
		this.clock.advance(Duration.ofDays(1));
		assertThat(this.detector.isAvailable()).isFalse();
	}

	@Test
	void phiIsTheSilenceAsAFractionOfTheTimeout() {
		this.clock.advanceMillis(1500);
		assertThat(this.detector.phi()).isEqualTo(0.5);
		this.clock.advanceMillis(1500);
		assertThat(this.detector.phi()).isEqualTo(1.0);
		this.clock.advanceMillis(3000);
		assertThat(this.detector.phi()).isEqualTo(2.0);
		assertThat(this.detector.threshold()).isEqualTo(1.0);
	}

	@Test
	void heartbeatRestartsTheSilence() {
		this.clock.advanceMillis(2900);
		this.detector.heartbeat();
		this.clock.advanceMillis(2900);
		assertThat(this.detector.isAvailable()).isTrue();
		assertThat(this.detector.snapshot().sinceLastHeartbeat()).isEqualTo(Duration.ofMillis(2900));
	}

	@Test
	void heartbeatAfterSuspicionMakesTheProcessAvailableAgain() {
		this.clock.advance(Duration.ofSeconds(60));
		assertThat(this.detector.isAvailable()).isFalse();
		this.detector.heartbeat();
		assertThat(this.detector.isAvailable()).isTrue();
		assertThat(this.detector.phi()).isZero();
	}

	@Test
	void refreshRestartsTheSilenceLikeAHeartbeat() {
		this.clock.advanceMillis(2900);
		this.detector.refresh();
		this.clock.advanceMillis(1500);
		assertThat(this.detector.phi()).isEqualTo(0.5);
	}

	@Test
	void phiIsFiniteNonNegativeAndNonDecreasingOverADay() {
		double previous = this.detector.phi();
		for (int i = 0; i < 86_400; i++) {
			this.clock.advanceMillis(1000);
			double phi = this.detector.phi();
			if (!Double.isFinite(phi) || phi < previous) {
				throw new AssertionError("phi after " + (i + 1) + " s is " + phi + " after " + previous);
			}
			previous = phi;
		}
		assertThat(previous).isEqualTo(28_800.0);
	}

	@Test
	void timeoutsBeyondDoublePrecisionStillSwitchExactlyAtTheTimeout() {
		// 2^53 + 1 ns does not fit a double: the ratio alone would read 1.0 a nanosecond early
		FixedTimeoutDetector detector = new FixedTimeoutDetector(Duration.ofNanos((1L << 53) + 1), 1, this.clock);
		this.clock.advanceNanos(1L << 53);
		assertThat(detector.isAvailable()).isTrue();
		this.clock.advanceNanos(1);
		assertThat(detector.isAvailable()).isFalse();
	}

	@Test
	void snapshotHasNoLearnedIntervals() {
		this.clock.advanceMillis(750);
		DetectorSnapshot snapshot = this.detector.snapshot();
		assertThat(snapshot.phi()).isEqualTo(0.25);
		assertThat(snapshot.threshold()).isEqualTo(1.0);
		assertThat(snapshot.sinceLastHeartbeat()).isEqualTo(Duration.ofMillis(750));
		assertThat(snapshot.meanInterval()).isNull();
		assertThat(snapshot.stdDeviation()).isNull();
		assertThat(snapshot.sampleCount()).isZero();
		assertThat(snapshot.available()).isTrue();
	}

	@Test
	void toStringShowsSilenceAndTimeout() {
		this.clock.advanceMillis(500);
		assertThat(this.detector)
			.hasToString("FixedTimeoutDetector[silence=PT0.5S, timeout=PT3S (3 × PT1S), available=true]");
	}

	@Test
	void zeroPeriodIsRejected() {
		assertThatIllegalArgumentException().isThrownBy(() -> new FixedTimeoutDetector(Duration.ZERO, 3, this.clock))
			.withMessage("period must be greater than 0, but was PT0S");
	}

	@Test
	void negativePeriodIsRejected() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new FixedTimeoutDetector(Duration.ofSeconds(-1), 3, this.clock))
			.withMessage("period must be greater than 0, but was PT-1S");
	}

	@Test
	void nullPeriodIsRejected() {
		assertThatIllegalArgumentException().isThrownBy(() -> new FixedTimeoutDetector(null, 3, this.clock))
			.withMessage("period must be set, but was null");
	}

	@Test
	void zeroMissedHeartbeatsIsRejected() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new FixedTimeoutDetector(Duration.ofSeconds(1), 0, this.clock))
			.withMessage("missedHeartbeats must be 1 or more, but was 0");
	}

	@Test
	void oneMissedHeartbeatIsAccepted() {
		FixedTimeoutDetector detector = new FixedTimeoutDetector(Duration.ofSeconds(1), 1, this.clock);
		this.clock.advanceMillis(999);
		assertThat(detector.isAvailable()).isTrue();
		this.clock.advanceMillis(1);
		assertThat(detector.isAvailable()).isFalse();
	}

	@Test
	void timeoutBeyondLongNanosecondsIsRejected() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new FixedTimeoutDetector(Duration.ofDays(365L * 100), 3, this.clock))
			.withMessageStartingWith("period × missedHeartbeats must be at most")
			.withMessageEndingWith("but was PT876000H × 3");
	}

	@Test
	void nullClockIsRejected() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new FixedTimeoutDetector(Duration.ofSeconds(1), 3, null))
			.withMessage("clock must be set, but was null");
	}

}
