package dev.faultline.detector;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tests for {@link AdaptiveSettings}.
 */
class AdaptiveSettingsTests {

	private static final AdaptiveSettings DEFAULTS = AdaptiveSettings.DEFAULTS;

	@Test
	void defaultsAreThoseDocumented() {
		assertThat(DEFAULTS.threshold()).isEqualTo(5.0);
		assertThat(DEFAULTS.firstHeartbeatEstimate()).isEqualTo(Duration.ofSeconds(1));
		assertThat(DEFAULTS.memoryHalfLife()).isEqualTo(14400);
		assertThat(DEFAULTS.maxTailExponent()).isEqualTo(100.0);
		assertThat(DEFAULTS.outageFactor()).isEqualTo(8.0);
	}

	@Test
	void withMethodsChangeOnlyTheirParameter() {
		AdaptiveSettings settings = DEFAULTS.withThreshold(6)
			.withFirstHeartbeatEstimate(Duration.ofMillis(500))
			.withMemoryHalfLife(100)
			.withMaxTailExponent(50)
			.withOutageFactor(2);
		assertThat(settings).isEqualTo(new AdaptiveSettings(6, Duration.ofMillis(500), 100, 50, 2));
		assertThat(DEFAULTS.withThreshold(6))
			.isEqualTo(new AdaptiveSettings(6, Duration.ofSeconds(1), 14400, 100, 8));
	}

	@Test
	void limitsThemselvesAreAccepted() {
		AdaptiveSettings low = new AdaptiveSettings(Double.MIN_VALUE, Duration.ofNanos(1),
				AdaptiveSettings.MIN_MEMORY_HALF_LIFE, AdaptiveSettings.MIN_TAIL_EXPONENT, Math.nextUp(1.0));
		assertThat(low.memoryHalfLife()).isEqualTo(16);
		AdaptiveSettings high = new AdaptiveSettings(1e6, Duration.ofNanos(Long.MAX_VALUE / 256),
				AdaptiveSettings.MAX_MEMORY_HALF_LIFE, AdaptiveSettings.MAX_TAIL_EXPONENT, 1e9);
		assertThat(high.maxTailExponent()).isEqualTo(1000.0);
	}

	@Test
	void thresholdOfZeroIsRejected() {
		assertThatIllegalArgumentException().isThrownBy(() -> DEFAULTS.withThreshold(0))
			.withMessage("threshold must be a finite number greater than 0, but was 0.0");
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
	void nullFirstHeartbeatEstimateIsRejected() {
		assertThatIllegalArgumentException().isThrownBy(() -> DEFAULTS.withFirstHeartbeatEstimate(null))
			.withMessage("firstHeartbeatEstimate must be set, but was null");
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
	void firstHeartbeatEstimateWhoseHistogramWouldOverflowIsRejected() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> DEFAULTS.withFirstHeartbeatEstimate(Duration.ofDays(500)))
			.withMessage("firstHeartbeatEstimate must be at most " + Duration.ofNanos(Long.MAX_VALUE / 256)
					+ ", but was PT12000H");
	}

	@Test
	void memoryHalfLifeBelowTheLeastIsRejected() {
		assertThatIllegalArgumentException().isThrownBy(() -> DEFAULTS.withMemoryHalfLife(15))
			.withMessage("memoryHalfLife must be between 16 and 1000000 intervals, but was 15");
	}

	@Test
	void memoryHalfLifeAboveTheLargestIsRejected() {
		assertThatIllegalArgumentException().isThrownBy(() -> DEFAULTS.withMemoryHalfLife(1_000_001))
			.withMessage("memoryHalfLife must be between 16 and 1000000 intervals, but was 1000001");
	}

	@Test
	void maxTailExponentBelowTheLeastIsRejected() {
		assertThatIllegalArgumentException().isThrownBy(() -> DEFAULTS.withMaxTailExponent(1.5))
			.withMessage("maxTailExponent must be a number between 2 and 1000, but was 1.5");
	}

	@Test
	void maxTailExponentAboveTheLargestIsRejected() {
		assertThatIllegalArgumentException().isThrownBy(() -> DEFAULTS.withMaxTailExponent(1001))
			.withMessage("maxTailExponent must be a number between 2 and 1000, but was 1001.0");
	}

	@Test
	void nanMaxTailExponentIsRejected() {
		assertThatIllegalArgumentException().isThrownBy(() -> DEFAULTS.withMaxTailExponent(Double.NaN))
			.withMessage("maxTailExponent must be a number between 2 and 1000, but was NaN");
	}

	@Test
	void outageFactorOfOneIsRejected() {
		assertThatIllegalArgumentException().isThrownBy(() -> DEFAULTS.withOutageFactor(1))
			.withMessage("outageFactor must be a finite number greater than 1, but was 1.0");
	}

	@Test
	void infiniteOutageFactorIsRejected() {
		assertThatIllegalArgumentException().isThrownBy(() -> DEFAULTS.withOutageFactor(Double.POSITIVE_INFINITY))
			.withMessage("outageFactor must be a finite number greater than 1, but was Infinity");
	}

}
