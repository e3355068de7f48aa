package dev.faultline.benchmarks.replay;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link DetectionSweep} and its section of {@link DetectionReport}.
 */
class DetectionSweepTests {

	private static final long TEN_HOURS = Duration.ofHours(10).toNanos();

	@Test
	void everyVariantMakesATraceOfItsOwnKindWithTheReplaysKindsAmongThem() {
		List<TraceGenerator> variants = DetectionSweep.variants();
		Set<String> kinds = variants.stream().map(TraceGenerator::kind).collect(Collectors.toSet());
		assertThat(kinds).hasSize(variants.size());
		assertThat(kinds).containsAll(DetectionReplay.traces().stream().map(TraceGenerator::kind).toList());
		for (TraceGenerator variant : variants) {
			Trace trace = variant.generate(DetectionSweep.FIRST_SEED);
			assertThat(trace.kind()).isEqualTo(variant.kind());
			assertThat(trace.size()).isGreaterThan(1000);
		}
	}

	@Test
	void rowMeetsTheTargetOnlyWithinTheRatioAndAtMostOneMistakeInTenHours() {
		ReplayResult best = result(1, 2.0);
		assertThat(row(result(1, 3.0), best).met()).isTrue();
		assertThat(row(result(0, 3.1), best).met()).isFalse();
		assertThat(row(result(2, 2.0), best).met()).isFalse();
		assertThat(row(result(0, 3.0), best).ratio()).isEqualTo(1.5);
	}

	@Test
	void reportSectionCountsTheTracesMetByTheDefaultAndByTheTunedTimeout() {
		Trace trace = DetectionReplay.traces().get(0).generate(DetectionSweep.FIRST_SEED);
		List<DetectionSweep.Row> rows = List.of(
				new DetectionSweep.Row("steady", 1, result(trace, 0, 2.5), result(trace, 1, 2.0), result(trace, 2, 2.0)),
				new DetectionSweep.Row("steady", 2, result(trace, 2, 2.5), result(trace, 1, 2.0), result(trace, 0, 2.2)));
		Trace shortTrace = new JitterTraceGenerator("steady", Duration.ofSeconds(1), 0.01, Duration.ofMinutes(10))
			.generate(1);
		List<TraceResults> replayed = TraceResults
			.byTrace(DetectionReplay.replay(List.of(shortTrace), DetectionReplay.policies()));
		String markdown = new DetectionReport(replayed, List.of(), rows, DetectionReplay.policies().size(),
				Duration.ofSeconds(1))
			.markdown();
		assertThat(markdown).contains("## On traces nobody looked at",
				"**The target**: on these unseen traces the adaptive default meets the criterion (at most 0.1 "
						+ "mistakes per hour and mean T_D at most 1.5× the best fixed timeout in hindsight) on at least "
						+ "85 % of them, and on more of them than a fixed timeout tuned on another day of the same network.",
				"**On unseen traces the adaptive default meets the criterion on 1 of 2 (50.0 %); a fixed timeout tuned "
						+ "on another day of the same network meets it on 1 (50.0 %). The target (at least 85 %, and "
						+ "more often than the tuned timeout) is not met. The worst ratio is 1.25 (steady, seed 1).**",
				"It is short of the target: 1 more of them would have to meet the criterion, and the tuned timeout "
						+ "meets it at least as often.",
				"Of the 1 misses, 1 are a second or later mistake");
	}

	@Test
	void targetIsMetOnlyWithAtLeastEightyFivePercentOfTracesAndMoreThanTheTunedTimeout() {
		ReplayResult best = result(1, 2.0);
		ReplayResult good = result(0, 2.0);
		ReplayResult bad = result(2, 2.0);
		// 17 of 20 is 85 %: enough, and more than the tuned timeout's 16
		List<DetectionSweep.Row> rows = new java.util.ArrayList<>();
		for (int i = 0; i < 20; i++) {
			rows.add(new DetectionSweep.Row("steady", i, (i < 17) ? good : bad, best, (i < 16) ? good : bad));
		}
		DetectionSweep.Summary summary = DetectionSweep.Summary.of(rows);
		assertThat(summary.met()).isEqualTo(17);
		assertThat(summary.tunedMet()).isEqualTo(16);
		assertThat(summary.shareReached()).isTrue();
		assertThat(summary.beatsTuned()).isTrue();
		assertThat(summary.targetMet()).isTrue();
		// 16 of 20 is 80 %: short, though still more than a tuned timeout that meets 15
		rows.set(16, new DetectionSweep.Row("steady", 16, bad, best, bad));
		rows.set(15, new DetectionSweep.Row("steady", 15, good, best, bad));
		summary = DetectionSweep.Summary.of(rows);
		assertThat(summary.shareReached()).isFalse();
		assertThat(summary.beatsTuned()).isTrue();
		assertThat(summary.targetMet()).isFalse();
		// every trace met, but the tuned timeout meets as many: not better than tuning by hand
		List<DetectionSweep.Row> tied = rows.stream()
			.map((row) -> new DetectionSweep.Row(row.kind(), row.seed(), good, best, good))
			.toList();
		assertThat(DetectionSweep.Summary.of(tied).shareReached()).isTrue();
		assertThat(DetectionSweep.Summary.of(tied).targetMet()).isFalse();
	}

	@Test
	void summaryNamesTheTraceWithTheWorstRatio() {
		ReplayResult best = result(0, 2.0);
		List<DetectionSweep.Row> rows = List.of(new DetectionSweep.Row("steady", 1, result(0, 2.4), best, best),
				new DetectionSweep.Row("paused", 7, result(0, 5.0), best, best),
				new DetectionSweep.Row("lossy", 3, result(0, 3.0), best, best));
		DetectionSweep.Summary summary = DetectionSweep.Summary.of(rows);
		assertThat(summary.worstRatio()).isEqualTo(2.5);
		assertThat(summary.worstKind()).isEqualTo("paused");
		assertThat(summary.worstSeed()).isEqualTo(7);
	}

	@Test
	void shareIsShownToOneDecimalSoThatItIsNotRoundedUpToTheTarget() {
		assertThat(DetectionReport.percent(163.0 / 192)).isEqualTo("84.9");
		assertThat(DetectionReport.percent(164.0 / 192)).isEqualTo("85.4");
		assertThat(DetectionReport.percent(1)).isEqualTo("100.0");
	}

	private static DetectionSweep.Row row(ReplayResult adaptive, ReplayResult best) {
		return new DetectionSweep.Row("steady", 1, adaptive, best, best);
	}

	private static ReplayResult result(long mistakes, double meanDetectionSeconds) {
		return result(null, mistakes, meanDetectionSeconds);
	}

	private static ReplayResult result(Trace trace, long mistakes, double meanDetectionSeconds) {
		return new ReplayResult(trace, null, mistakes, TEN_HOURS, 0, 0, meanDetectionSeconds * 1e9);
	}

}
