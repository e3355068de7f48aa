package dev.faultline.detector;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tests for {@link PhiAccrualSettings}.
 */
class PhiAccrualSettingsTests {

	private static final PhiAccrualSettings DEFAULTS = PhiAccrualSettings.DEFAULTS;

	@Test
	void defaultsAreThoseDocumented() {
		assertThat(DEFAULTS.threshold()).isEqualTo(8.0);
		assertThat(DEFAULTS.maxSampleSize()).isEqualTo(200);
		assertThat(DEFAULTS.minStdDeviation()).isEqualTo(Duration.ofMillis(100));
		assertThat(DEFAULTS.acceptableHeartbeatPause()).isEqualTo(Duration.ofSeconds(1));
		assertThat(DEFAULTS.firstHeartbeatEstimate()).isEqualTo(Duration.ofSeconds(1));
	}

	@Test
	void withMethodsChangeOnlyTheirParameter() {
		PhiAccrualSettings settings = DEFAULTS.withThreshold(5)
			.withMaxSampleSize(50)
			.withMinStdDeviation(Duration.ofMillis(20))
			.withAcceptableHeartbeatPause(Duration.ZERO)
			.withFirstHeartbeatEstimate(Duration.ofMillis(500));
		assertThat(settings).isEqualTo(
				new PhiAccrualSettings(5, 50, Duration.ofMillis(20), Duration.ZERO, Duration.ofMillis(500)));
		assertThat(DEFAULTS.withThreshold(5)).isEqualTo(new PhiAccrualSettings(5, 200, Duration.ofMillis(100),
				Duration.ofSeconds(1), Duration.ofSeconds(1)));
	}

	@Test
	void limitsThemselvesAreAccepted() {
		PhiAccrualSettings settings = new PhiAccrualSettings(Double.MIN_VALUE, 1, Duration.ofNanos(1), Duration.ZERO,
				Duration.ofNanos(1));
		assertThat(settings.maxSampleSize()).isEqualTo(1);
		assertThat(DEFAULTS.withMaxSampleSize(100_000).maxSampleSize()).isEqualTo(100_000);
	}

	@Test
	void thresholdOfZeroIsRejected() {
		assertThatIllegalArgumentException().isThrownBy(() -> DEFAULTS.withThreshold(0))
			.withMessage("threshold must be a finite number greater than 0, but was 0.0");
	}

	@Test
	void negativeThresholdIsRejected() {
		assertThatIllegalArgumentException().isThrownBy(() -> DEFAULTS.withThreshold(-1))
			.withMessage("threshold must be a finite number greater than 0, but was -1.0");
	}

	@Test
	void nanThresholdIsRejected() {
		assertThatIllegalArgumentException().isThrownBy(() -> DEFAULTS.withThreshold(Double.NaN))
			.withMessage("threshold must be a finite number greater than 0, but was NaN");
	}

	@Test
	void infiniteThresholdIsRejected() {
		assertThatIllegalArgumentException().isThrownBy(() -> DEFAULTS.withThreshold(Double.POSITIVE_INFINITY))
			.withMessage("threshold must be a finite number greater than 0, but was Infinity");
	}

	@Test
	void maxSampleSizeOfZeroIsRejected() {
		assertThatIllegalArgumentException().isThrownBy(() -> DEFAULTS.withMaxSampleSize(0))
			.withMessage("maxSampleSize must be between 1 and 100000, but was 0");
	}

	@Test
	void maxSampleSizeAboveTheLimitIsRejected() {
		assertThatIllegalArgumentException().isThrownBy(() -> DEFAULTS.withMaxSampleSize(100_001))
			.withMessage("maxSampleSize must be between 1 and 100000, but was 100001");
	}

	@Test
	void zeroMinStdDeviationIsRejected() {
		assertThatIllegalArgumentException().isThrownBy(() -> DEFAULTS.withMinStdDeviation(Duration.ZERO))
			.withMessage("minStdDeviation must be greater than 0, but was PT0S");
	}

	@Test
	void negativeMinStdDeviationIsRejected() {
		assertThatIllegalArgumentException().isThrownBy(() -> DEFAULTS.withMinStdDeviation(Duration.ofMillis(-5)))
			.withMessage("minStdDeviation must be greater than 0, but was PT-0.005S");
	}

	@Test
	void nullMinStdDeviationIsRejected() {
		assertThatIllegalArgumentException().isThrownBy(() -> DEFAULTS.withMinStdDeviation(null))
			.withMessage("minStdDeviation must be set, but was null");
	}

	@Test
	void zeroAcceptableHeartbeatPauseIsAccepted() {
		assertThat(DEFAULTS.withAcceptableHeartbeatPause(Duration.ZERO).acceptableHeartbeatPause()).isZero();
	}

	@Test
	void negativeAcceptableHeartbeatPauseIsRejected() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> DEFAULTS.withAcceptableHeartbeatPause(Duration.ofSeconds(-1)))
			.withMessage("acceptableHeartbeatPause must be 0 or more, but was PT-1S");
	}

	@Test
	void nullAcceptableHeartbeatPauseIsRejected() {
		assertThatIllegalArgumentException().isThrownBy(() -> DEFAULTS.withAcceptableHeartbeatPause(null))
			.withMessage("acceptableHeartbeatPause must be set, but was null");
	}

	@Test
	void zeroFirstHeartbeatEstimateIsRejected() {
		assertThatIllegalArgumentException().isThrownBy(() -> DEFAULTS.withFirstHeartbeatEstimate(Duration.ZERO))
			.withMessage("firstHeartbeatEstimate must be greater than 0, but was PT0S");
	}

	@Test
	void negativeFirstHeartbeatEstimateIsRejected() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> DEFAULTS.withFirstHeartbeatEstimate(Duration.ofMillis(-1)))
			.withMessage("firstHeartbeatEstimate must be greater than 0, but was PT-0.001S");
	}

	@Test
	void nullFirstHeartbeatEstimateIsRejected() {
		assertThatIllegalArgumentException().isThrownBy(() -> DEFAULTS.withFirstHeartbeatEstimate(null))
			.withMessage("firstHeartbeatEstimate must be set, but was null");
	}

	@Test
	void durationBeyondLongNanosecondsIsRejected() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> DEFAULTS.withAcceptableHeartbeatPause(Duration.ofDays(365L * 300)))
			.withMessageStartingWith("acceptableHeartbeatPause must be at most PT2562047H47M16.854775807S")
			.withMessageEndingWith("but was PT2628000H");
	}

}
