package dev.faultline.detector;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.assertj.core.api.Assertions.withinPercentage;

/**
 * Tests for the pure function {@link PhiAccrualFailureDetector#phi(double, double, double)},
 * against values of the normal tail computed by hand (50-digit arithmetic).
 */
class PhiFunctionTests {

	private static final double MEAN = 2_000_000_000.0;

	private static final double SIGMA = 100_000_000.0;

	private static final double HOUR = 3_600_000_000_000.0;

	/** φ at z standard deviations past the mean. */
	private static double phiAt(double z) {
		return PhiAccrualFailureDetector.phi(MEAN + z * SIGMA, MEAN, SIGMA);
	}

	/** −log10 Q(z) from the asymptotic expansion of the normal tail, good for large z. */
	private static double asymptoticPhi(double z) {
		double u = 1.0 / (z * z);
		double series = 1 - u + 3 * u * u - 15 * u * u * u + 105 * u * u * u * u - 945 * u * u * u * u * u;
		return (z * z / 2 + Math.log(z * Math.sqrt(2 * Math.PI)) - Math.log(series)) / Math.log(10);
	}

	@Test
	void phiWhenElapsedEqualsMeanIsLog10Of2() {
		assertThat(PhiAccrualFailureDetector.phi(MEAN, MEAN, SIGMA)).isCloseTo(Math.log10(2), within(1e-15));
	}

	@Test
	void phiOneStdDeviationPastMeanIsMinusLog10OfUpperTail() {
		assertThat(phiAt(1)).isCloseTo(-Math.log10(0.15865525393145705141), within(1e-13))
			.isCloseTo(0.7995455414919705, within(1e-13));
	}

	@Test
	void phiTwoStdDeviationsPastMeanIsMinusLog10OfUpperTail() {
		assertThat(phiAt(2)).isCloseTo(-Math.log10(0.0227501319481792072), within(1e-13))
			.isCloseTo(1.643016080140937, within(1e-13));
	}

	@Test
	void phiOneStdDeviationBeforeMeanIsMinusLog10OfOneMinusLowerTail() {
		assertThat(phiAt(-1)).isCloseTo(-Math.log10(1 - 0.15865525393145705141), within(1e-15))
			.isCloseTo(0.07502601295781802, within(1e-15));
	}

	@Test
	void phiTwoStdDeviationsBeforeMeanIsSmallAndExact() {
		assertThat(phiAt(-2)).isCloseTo(0.009994379534108709, within(1e-16));
	}

	@Test
	void phiTwentyStdDeviationsBeforeMeanIsTheTinyTailNotZero() {
		// −log10(1 − Q(20)) ≈ Q(20) / ln 10, Q(20) = 2.7536e-89
		assertThat(phiAt(-20)).isCloseTo(1.1958837599463927e-89, withinPercentage(1e-10));
	}

	@Test
	void phiTenStdDeviationsPastMeanMatchesTailOf7Point6TimesTenToMinus24() {
		assertThat(phiAt(10)).isCloseTo(-Math.log10(7.619853024160526066e-24), within(1e-12))
			.isCloseTo(23.118053405486076, within(1e-12));
	}

	@Test
	void phiThirtyEightStdDeviationsPastMeanWhereTheTailUnderflowsMatchesAsymptoticFormula() {
		double phi = phiAt(38);
		assertThat(phi).isCloseTo(asymptoticPhi(38), withinPercentage(1e-7))
			.isCloseTo(315.5397897039625, within(1e-10));
	}

	@Test
	void phiFarIntoTheTailMatchesHandComputedValuesToDoublePrecision() {
		// z = 20, 100, 1000: erfcx on its asymptotic interval, where a coarse 1/(x√π)
		// would be off by 1/(2x²) relative
		assertThat(phiAt(20)).isCloseTo(88.56009534307559, within(1e-12));
		assertThat(phiAt(100)).isCloseTo(2173.871542869034, within(1e-11));
		assertThat(PhiAccrualFailureDetector.phi(1000 * SIGMA, 0, SIGMA)).isCloseTo(217150.6400419944,
				within(1e-9));
		assertThat(PhiAccrualFailureDetector.phi(100_000 * SIGMA, 0, SIGMA)).isCloseTo(2171472414.915349,
				within(1e-5));
	}

	@Test
	void phiAfterAnHourOfSilenceWithMinimumStdDeviationMatchesAsymptoticFormula() {
		// z = 36 000: the tail itself is about 10^-281422829
		double phi = PhiAccrualFailureDetector.phi(HOUR, 0, SIGMA);
		assertThat(phi).isFinite().isCloseTo(asymptoticPhi(36_000), withinPercentage(1e-10))
			.isCloseTo(281422829.2286996, within(1e-5));
	}

	@Test
	void phiAtThresholdEightIsReachedFivePointSixOneTwoStdDeviationsPastMean() {
		double crossing = 5.612001244174789;
		assertThat(phiAt(crossing - 1e-9)).isLessThan(8.0);
		assertThat(phiAt(crossing + 1e-9)).isGreaterThan(8.0);
	}

	@Test
	void phiWhenElapsedIsNegativeCountsItAsZero() {
		assertThat(PhiAccrualFailureDetector.phi(-5e9, MEAN, SIGMA))
			.isEqualTo(PhiAccrualFailureDetector.phi(0, MEAN, SIGMA));
	}

	@Test
	void phiFarBeforeMeanIsZeroNotNegativeZero() {
		double phi = PhiAccrualFailureDetector.phi(0, HOUR, SIGMA);
		assertThat(phi).isZero();
		assertThat(Double.doubleToRawLongBits(phi)).isZero();
	}

	@Test
	void phiOverAnHourInMillisecondStepsIsFiniteNonNegativeAndNonDecreasing() {
		double previous = 0;
		for (long millis = 0; millis <= 3_600_000; millis++) {
			double phi = PhiAccrualFailureDetector.phi(millis * 1_000_000.0, MEAN, SIGMA);
			if (!Double.isFinite(phi) || phi < 0 || phi < previous) {
				throw new AssertionError("phi at " + millis + " ms is " + phi + " after " + previous);
			}
			previous = phi;
		}
		assertThat(previous).isGreaterThan(2.8e8);
	}

	@Test
	void phiIsStrictlyIncreasingAcrossTheJoinsOfTheApproximations() {
		// z = 0 (the two branches), z = 0.46875·√2 and z = 4·√2 (Cody's intervals), on
		// both sides of the mean
		double[] joins = { 0, 0.46875 * Math.sqrt(2), 4 * Math.sqrt(2), -0.46875 * Math.sqrt(2), -4 * Math.sqrt(2) };
		for (double join : joins) {
			double previous = phiAt(join - 1e-4);
			for (int i = -999; i <= 1000; i++) {
				double z = join + i * 1e-7;
				double phi = phiAt(z);
				if (!(phi > previous)) {
					throw new AssertionError("phi at z = " + z + " is " + phi + ", not above " + previous);
				}
				previous = phi;
			}
		}
	}

	@Test
	void phiForHugeSilencesIsFiniteAndKeepsGrowing() {
		double hour = PhiAccrualFailureDetector.phi(HOUR, MEAN, SIGMA);
		double day = PhiAccrualFailureDetector.phi(24 * HOUR, MEAN, SIGMA);
		double longest = PhiAccrualFailureDetector.phi(Long.MAX_VALUE, MEAN, 1.0);
		assertThat(hour).isFinite().isPositive();
		assertThat(day).isFinite().isGreaterThan(hour);
		assertThat(longest).isFinite().isGreaterThan(day);
	}

	@Test
	void phiDoesNotDependOnTheUnit() {
		double inNanos = PhiAccrualFailureDetector.phi(2.3e9, 2e9, 1e8);
		double inMillis = PhiAccrualFailureDetector.phi(2300, 2000, 100);
		assertThat(inNanos).isCloseTo(inMillis, within(1e-12));
	}

	@Test
	void suspicionZIsTheLeastZAtWhichPhiReachesTheThreshold() {
		for (double threshold : new double[] { 1e-300, 1e-3, 0.5, 1, 8, 16, 300, 1e6 }) {
			double z = PhiAccrualFailureDetector.suspicionZ(threshold);
			assertThat(PhiAccrualFailureDetector.phiOfZ(z)).as("φ at z* for %s", threshold)
				.isGreaterThanOrEqualTo(threshold);
			assertThat(PhiAccrualFailureDetector.phiOfZ(Math.nextDown(z))).as("φ below z* for %s", threshold)
				.isLessThan(threshold);
		}
		assertThat(PhiAccrualFailureDetector.suspicionZ(8)).isCloseTo(5.612001244174789, within(1e-12));
	}

	@Test
	void suspicionZForAThresholdNoFiniteZReachesIsInfinite() {
		assertThat(PhiAccrualFailureDetector.suspicionZ(Double.MAX_VALUE)).isInfinite().isPositive();
	}

}
