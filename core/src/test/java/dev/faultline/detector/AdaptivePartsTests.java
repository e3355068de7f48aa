package dev.faultline.detector;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Tests for the parts of an {@link AdaptiveFailureDetector}: {@link Buckets},
 * {@link IntervalHistogram}, {@link LongestIntervals}, {@link RecentIntervals} and
 * {@link LostHeartbeats}.
 */
class AdaptivePartsTests {

	private static final double SECOND = 1e9;

	private final Buckets buckets = new Buckets(SECOND, 100);

	@Test
	void bucketsRunEightPerOctaveFromAQuarterOfTheEstimateTo64TimesIt() {
		assertThat(this.buckets.edge(0)).isEqualTo(SECOND / 4);
		assertThat(this.buckets.edge(Buckets.PER_OCTAVE)).isCloseTo(SECOND / 2, within(1e-3));
		assertThat(this.buckets.edge(Buckets.COUNT)).isCloseTo(64 * SECOND, within(1.0));
		for (int i = 0; i < Buckets.COUNT; i++) {
			assertThat(this.buckets.bucket(this.buckets.edge(i))).as("bucket of edge %d", i).isEqualTo(i);
			assertThat(this.buckets.bucket(Math.nextDown(this.buckets.edge(i + 1)))).isEqualTo(i);
		}
		assertThat(this.buckets.bucket(1)).isZero();
		assertThat(this.buckets.bucket(1e15)).isEqualTo(Buckets.COUNT - 1);
	}

	@Test
	void histogramSurvivalIsOneUpToTheLongestIntervalAndFadesBeyond() {
		IntervalHistogram histogram = IntervalHistogram.empty().learned(SECOND, 1.0, this.buckets);
		double[] survival = histogram.survival(this.buckets, histogram.total(), Double.POSITIVE_INFINITY);
		int bucket = this.buckets.bucket(SECOND);
		assertThat(survival[bucket]).isEqualTo(1.0);
		assertThat(survival[bucket + 1]).isEqualTo(this.buckets.fade(SECOND, this.buckets.edge(bucket + 1)))
			.isLessThan(1.0);
		IntervalHistogram.Bucket within = histogram.bucket(bucket + 1, histogram.total(), this.buckets);
		assertThat(within.at(this.buckets.edge(bucket + 1))).isCloseTo(survival[bucket + 1], within(1e-12));
	}

	@Test
	void learningReturnsANewHistogramAndLeavesTheOldOne() {
		IntervalHistogram empty = IntervalHistogram.empty();
		IntervalHistogram one = empty.learned(SECOND, 0.5, this.buckets);
		assertThat(empty.total()).isZero();
		assertThat(one.total()).isEqualTo(1.0);
		assertThat(one.learned(SECOND, 0.5, this.buckets).total()).isEqualTo(1.5);
	}

	@Test
	void longestIntervalsKeepTheLongestFirstAndAtMostRecords() {
		LongestIntervals records = LongestIntervals.NONE;
		for (int i = 1; i <= 100; i++) {
			records = records.add(i * SECOND, i, 1.0);
		}
		assertThat(records.longest()).isEqualTo(100 * SECOND);
		assertThat(records.add(SECOND, 101, 1.0)).isSameAs(records);
	}

	@Test
	void tailIsFittedOnlyToIntervalsThatSpreadAboveTheOrdinaryOne() {
		LongestIntervals steady = LongestIntervals.NONE.add(SECOND, 1, 1.0).add(SECOND, 2, 1.0);
		assertThat(steady.tail(2, 1.0, 100, SECOND, 0)).isNull();
		LongestIntervals paused = steady.add(5 * SECOND, 3, 1.0).add(9 * SECOND, 4, 1.0);
		ExponentialTail tail = paused.tail(4, 1.0, 100, SECOND, 0);
		assertThat(tail).isNotNull();
		assertThat(tail.from()).isEqualTo(5 * SECOND);
		assertThat(tail.scale()).isEqualTo(4 * SECOND);
		assertThat(tail.at(5 * SECOND)).isZero();
		assertThat(tail.at(9 * SECOND)).isCloseTo(tail.share() * Math.exp(-1), within(1e-15));
	}

	@Test
	void recentIntervalsKeepTheLatestAndTheirSurprise() {
		RecentIntervals recent = RecentIntervals.NONE;
		for (int i = 1; i <= 40; i++) {
			recent = recent.add(SECOND, 0.1, i);
		}
		assertThat(recent.count()).isEqualTo(RecentIntervals.RECENT);
		assertThat(recent.surprised(5)).isFalse();
		assertThat(recent.tail()).as("no spread").isNull();
		RecentIntervals surprised = recent.add(4 * SECOND, 2.5, 41);
		assertThat(surprised.surprised(5)).isTrue();
		assertThat(surprised.histogram(this.buckets).total()).isEqualTo(RecentIntervals.RECENT);
	}

	@Test
	void gapsAreCountedAndDoNotMoveTheOrdinaryInterval() {
		LostHeartbeats losses = LostHeartbeats.expecting(SECOND).learn(0.9 * SECOND, true, 1.0);
		assertThat(losses.ordinary()).isEqualTo(0.9 * SECOND);
		// the first interval is 0.1 s from the estimate: a gap is 8 such deviations above it
		assertThat(losses.deviation()).isEqualTo(0.1 * SECOND);
		assertThat(losses.gapLimit()).isEqualTo(1.7 * SECOND);
		assertThat(losses.learn(SECOND, false, 1.0).ordinary()).isGreaterThan(0.9 * SECOND);
		assertThat(losses.share(1)).isZero();
		LostHeartbeats lost = losses.learn(2 * SECOND, false, 1.0);
		assertThat(lost.ordinary()).isEqualTo(0.9 * SECOND);
		assertThat(lost.share(2)).isEqualTo(0.5);
	}

	@Test
	void lossPartIsNothingWithoutGaps() {
		double[] logOrdinary = new double[Buckets.COUNT + 1];
		LostHeartbeats losses = LostHeartbeats.expecting(SECOND);
		assertThat(losses.lost(logOrdinary, 0.0, 2 * SECOND, this.buckets)).isZero();
		// with log S = 0 everywhere each of MAX_LOSSES lost heartbeats adds p^j
		assertThat(losses.lost(logOrdinary, 0.5, 2 * SECOND, this.buckets)).isCloseTo(1 - Math.pow(0.5, 8),
				within(1e-12));
	}

}
