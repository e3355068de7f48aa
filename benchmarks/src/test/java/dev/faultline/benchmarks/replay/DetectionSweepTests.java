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
				"**On unseen traces the adaptive default meets the target on 1 of 2 (50 %); a fixed timeout tuned "
						+ "on another day of the same network meets it on 1 (50 %).**",
				"Of the 1 misses, 1 are a second or later mistake");
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
