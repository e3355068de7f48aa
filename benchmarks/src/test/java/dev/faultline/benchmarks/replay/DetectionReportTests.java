package dev.faultline.benchmarks.replay;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link DetectionReport} and {@link DetectionChart} on short traces of every
 * kind.
 */
class DetectionReportTests {

	@TempDir
	Path folder;

	@Test
	void reportShouldHaveTheHeadlineTheClaimAndOneTablePerTrace() throws IOException {
		List<TraceResults> traces = TraceResults.byTrace(DetectionReplay.replay(shortTraces(),
				DetectionReplay.policies()));
		String markdown = new DetectionReport(traces, DetectionReplay.policies().size(), Duration.ofSeconds(1))
			.markdown();
		assertThat(markdown).contains("**Machine**",
				"## The adaptive detector, untouched, against the best fixed timeout for each trace",
				"## Choosing a threshold for the adaptive detector", "| 5 | 1 in 28 h |",
				"## Faultline's classic default (type: phi) against the best fixed timeout",
				"## φ against fixed timeouts at equal mistake rate", "## What the data shows", "**The claim**",
				"**The default, untouched.**", "![Mean detection time");
		for (String kind : List.of("steady", "jittery", "paused", "bursty")) {
			assertThat(markdown).contains("### " + kind, "td-vs-lambda-" + kind + ".png");
		}
		System.setProperty("java.awt.headless", "true");
		DetectionChart.write(traces, this.folder);
		assertThat(this.folder.resolve("td-vs-lambda.png")).isNotEmptyFile();
		assertThat(this.folder.resolve("td-vs-lambda-paused.png")).isNotEmptyFile();
	}

	@Test
	void reportWithHeldOutTracesShouldGiveTheirTableAndTheVerdictOverAll() {
		List<Trace> traces = shortTraces();
		List<TraceResults> main = TraceResults.byTrace(DetectionReplay.replay(traces, DetectionReplay.policies()));
		List<TraceResults> heldOut = TraceResults
			.byTrace(DetectionReplay.replay(traces, DetectionReplay.heldOutPolicies()));
		String markdown = new DetectionReport(main, heldOut, DetectionReplay.policies().size(), Duration.ofSeconds(1))
			.markdown();
		assertThat(markdown).contains("| trace (held-out seed) |", "traces**", "held-out traces");
		assertThat(markdown).containsPattern("\\*\\*The criterion is met on (all 8|\\d of 8) traces");
	}

	@Test
	void reportWithTheWholePeerPathShouldTellPerTraceWhetherItAgreesWithTheBareDetector() {
		List<Trace> traces = shortTraces();
		List<TraceResults> main = TraceResults.byTrace(DetectionReplay.replay(traces, DetectionReplay.policies()));
		List<ReplayResult> live = DetectionReplay.replayLivePath(traces);
		String markdown = new DetectionReport(main, DetectionReplay.policies().size(), Duration.ofSeconds(1))
			.withLivePath(live)
			.markdown();
		assertThat(markdown).contains("## The whole peer path, from the application's start",
				"| trace | seed | bare detector: mean T_D |");
		for (ReplayResult result : live) {
			ReplayResult bare = main.stream()
				.filter((trace) -> trace.trace().equals(result.trace()))
				.findFirst()
				.orElseThrow()
				.only(DetectionReplay.DEFAULT_ADAPTIVE);
			double ratio = result.meanDetectionNanos() / bare.meanDetectionNanos();
			assertThat(markdown).contains(String.format(java.util.Locale.ROOT, "| **%.3f** | %s |", ratio,
					(Math.abs(ratio - 1) <= 0.1) ? "yes" : "**no**"));
		}
		assertThat(markdown).containsPattern("\\*\\*The whole path agrees with the bare detector within 10 % on \\d of 4 traces");
	}

	@Test
	void numbersShouldDropNeedlessDecimals() {
		assertThat(DetectionReport.number(0)).isEqualTo("0");
		assertThat(DetectionReport.number(0.1)).isEqualTo("0.1");
		assertThat(DetectionReport.number(0.5)).isEqualTo("0.5");
		assertThat(DetectionReport.number(8)).isEqualTo("8");
		assertThat(DetectionReport.number(2048.9)).isEqualTo("2048.9");
	}

	private static List<Trace> shortTraces() {
		Duration hour = Duration.ofHours(1);
		Duration second = Duration.ofSeconds(1);
		return List.of(new JitterTraceGenerator("steady", second, 0.01, hour).generate(1),
				new JitterTraceGenerator("jittery", second, 0.3, hour).generate(1),
				new PauseTraceGenerator("paused", second, 0.01, Duration.ofMinutes(2), Duration.ofMinutes(6),
						Duration.ofMillis(1500), Duration.ofMillis(2500), hour)
					.generate(1),
				new DelayBurstTraceGenerator("bursty", second, 0.01, Duration.ofMinutes(2), Duration.ofMinutes(8),
						Duration.ofSeconds(10), Duration.ofSeconds(60), Duration.ofMillis(400), Duration.ofSeconds(3),
						hour)
					.generate(1));
	}

}
