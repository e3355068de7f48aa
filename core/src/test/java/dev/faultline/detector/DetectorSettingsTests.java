package dev.faultline.detector;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tests for {@link DetectorSettings} and {@link FailureDetector#create}.
 */
class DetectorSettingsTests {

	private static final Duration INTERVAL = Duration.ofSeconds(2);

	private final ManualClock clock = new ManualClock();

	@Test
	void defaultsAreThoseOfEachDetectorsSettingsWithNeitherThresholdNorIntervalDerivedOnes() {
		DetectorSettings settings = DetectorSettings.of(DetectorType.ADAPTIVE, INTERVAL);
		assertThat(settings).isEqualTo(new DetectorSettings(DetectorType.ADAPTIVE, INTERVAL, null, 14400, 100.0, 8.0,
				200, Duration.ofMillis(100), null, null, 3));
	}

	@Test
	void adaptiveIsBuiltWithThreshold5AndTheIntervalAsFirstEstimate() {
		FailureDetector detector = FailureDetector.create(DetectorSettings.of(DetectorType.ADAPTIVE, INTERVAL),
				this.clock);
		assertThat(detector).isInstanceOf(AdaptiveFailureDetector.class);
		assertThat(((AdaptiveFailureDetector) detector).settings())
			.isEqualTo(AdaptiveSettings.DEFAULTS.withFirstHeartbeatEstimate(INTERVAL));
		assertThat(detector.threshold()).isEqualTo(5.0);
	}

	@Test
	void adaptiveIsBuiltWithItsSettings() {
		DetectorSettings settings = DetectorSettings.of(DetectorType.ADAPTIVE, INTERVAL)
			.withThreshold(6.0)
			.withMemoryHalfLife(100)
			.withMaxTailExponent(50)
			.withOutageFactor(3)
			.withFirstHeartbeatEstimate(Duration.ofMillis(500))
			.withMaxSamples(10)
			.withAcceptableHeartbeatPause(Duration.ZERO)
			.withMissedHeartbeats(7);
		AdaptiveFailureDetector detector = (AdaptiveFailureDetector) FailureDetector.create(settings, this.clock);
		assertThat(detector.settings()).isEqualTo(new AdaptiveSettings(6, Duration.ofMillis(500), 100, 50, 3));
	}

	@Test
	void phiIsBuiltWithThreshold8AndTheIntervalAsPauseAndFirstEstimate() {
		FailureDetector detector = FailureDetector.create(DetectorSettings.of(DetectorType.PHI, INTERVAL), this.clock);
		assertThat(detector).isInstanceOf(PhiAccrualFailureDetector.class);
		assertThat(((PhiAccrualFailureDetector) detector).settings()).isEqualTo(
				new PhiAccrualSettings(8.0, 200, Duration.ofMillis(100), INTERVAL, INTERVAL));
		assertThat(detector.threshold()).isEqualTo(8.0);
	}

	@Test
	void phiIsBuiltWithItsSettings() {
		DetectorSettings settings = DetectorSettings.of(DetectorType.PHI, INTERVAL)
			.withThreshold(10.0)
			.withMaxSamples(50)
			.withMinStdDeviation(Duration.ofMillis(50))
			.withAcceptableHeartbeatPause(Duration.ZERO)
			.withFirstHeartbeatEstimate(Duration.ofMillis(1500))
			.withMemoryHalfLife(100);
		PhiAccrualFailureDetector detector = (PhiAccrualFailureDetector) FailureDetector.create(settings, this.clock);
		assertThat(detector.settings()).isEqualTo(
				new PhiAccrualSettings(10, 50, Duration.ofMillis(50), Duration.ZERO, Duration.ofMillis(1500)));
	}

	@Test
	void fixedIsBuiltWithTheIntervalAndMissedHeartbeats() {
		DetectorSettings settings = DetectorSettings.of(DetectorType.FIXED, INTERVAL).withThreshold(9.0);
		FailureDetector detector = FailureDetector.create(settings, this.clock);
		assertThat(detector).isInstanceOf(FixedTimeoutDetector.class);
		assertThat(((FixedTimeoutDetector) detector).timeout()).isEqualTo(Duration.ofSeconds(6));
		assertThat(detector.threshold()).isEqualTo(1.0);
		FixedTimeoutDetector five = (FixedTimeoutDetector) FailureDetector
			.create(settings.withMissedHeartbeats(5), this.clock);
		assertThat(five.timeout()).isEqualTo(Duration.ofSeconds(10));
	}

	@Test
	void thresholdOrDefaultIsTheTypesUnlessGiven() {
		assertThat(DetectorSettings.of(DetectorType.ADAPTIVE, INTERVAL).thresholdOrDefault()).isEqualTo(5.0);
		assertThat(DetectorSettings.of(DetectorType.PHI, INTERVAL).thresholdOrDefault()).isEqualTo(8.0);
		assertThat(DetectorSettings.of(DetectorType.PHI, INTERVAL).withThreshold(3.5).thresholdOrDefault())
			.isEqualTo(3.5);
		assertThat(DetectorSettings.of(DetectorType.PHI, INTERVAL).withThreshold(3.5).withThreshold(null)
			.thresholdOrDefault()).isEqualTo(8.0);
	}

	@Test
	void withMethodsChangeOnlyTheirSetting() {
		DetectorSettings defaults = DetectorSettings.of(DetectorType.PHI, INTERVAL);
		assertThat(defaults.withMemoryHalfLife(100)).isEqualTo(new DetectorSettings(DetectorType.PHI, INTERVAL, null,
				100, 100.0, 8.0, 200, Duration.ofMillis(100), null, null, 3));
		assertThat(defaults.withMaxTailExponent(50).withOutageFactor(2).withMissedHeartbeats(4))
			.isEqualTo(new DetectorSettings(DetectorType.PHI, INTERVAL, null, 14400, 50.0, 2.0, 200,
					Duration.ofMillis(100), null, null, 4));
	}

	@Test
	void typeAndIntervalAreRequired() {
		assertThatIllegalArgumentException().isThrownBy(() -> DetectorSettings.of(null, INTERVAL))
			.withMessage("type must be set, but was null");
		assertThatIllegalArgumentException().isThrownBy(() -> DetectorSettings.of(DetectorType.FIXED, null))
			.withMessage("heartbeatInterval must be set, but was null");
		assertThatIllegalArgumentException().isThrownBy(() -> FailureDetector.create(null, this.clock))
			.withMessage("settings must be set, but was null");
	}

	@Test
	void settingsOfTheTypeAreCheckedWhenTheDetectorIsBuiltAndOthersAreNot() {
		DetectorSettings badAdaptive = DetectorSettings.of(DetectorType.FIXED, INTERVAL).withMemoryHalfLife(1);
		assertThat(FailureDetector.create(badAdaptive, this.clock)).isInstanceOf(FixedTimeoutDetector.class);
		assertThatIllegalArgumentException()
			.isThrownBy(() -> FailureDetector.create(badAdaptive.withMissedHeartbeats(0), this.clock))
			.withMessageContaining("missedHeartbeats");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> FailureDetector.create(
					DetectorSettings.of(DetectorType.ADAPTIVE, INTERVAL).withMemoryHalfLife(1), this.clock))
			.withMessageContaining("memoryHalfLife");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> FailureDetector
				.create(DetectorSettings.of(DetectorType.PHI, INTERVAL).withMaxSamples(0), this.clock))
			.withMessageContaining("maxSampleSize");
	}

}
