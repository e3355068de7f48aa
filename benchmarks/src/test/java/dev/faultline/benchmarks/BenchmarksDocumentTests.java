package dev.faultline.benchmarks;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link BenchmarksDocument}, on JMH results written for the purpose.
 */
class BenchmarksDocumentTests {

	@TempDir
	Path folder;

	@Test
	void monoSectionShouldGiveEachPathAgainstTheBareMonoAndFaultlineAgainstTheHandWiredChain() {
		String section = BenchmarksDocument.monoSection(mono(2.10, 0.10, 2.50));
		assertThat(section).startsWith("## Mono business function: cost per call\n\n`MonoCallBenchmark`")
			.contains("| path | µs/op | error | × bare Mono |\n|---|---:|---:|---:|\n"
					+ "| bareMono | 0.125 | ± 0.005 | 1.00 |\n" + "| bareMonoWithTimeout | 1.500 | ± 0.100 | 12.00 |\n"
					+ "| faultlineMono | 2.100 | ± 0.100 | 16.80 |\n"
					+ "| faultlineProxy | 2.500 | ± 0.100 | 20.00 |\n"
					+ "| handWiredResilience4j | 2.000 | ± 0.100 | 16.00 |\n")
			.contains("Faultline / hand-wired: **1.05**. Target: no more than 10% over the hand-wired resilience4j "
					+ "path (met). Through the proxy: 1.25 × the hand-wired path.")
			.endsWith("\n\n");
	}

	@Test
	void monoSectionShouldTellATargetNotMet() {
		assertThat(BenchmarksDocument.monoSection(mono(2.40, 0.10, 2.50)))
			.contains("Faultline / hand-wired: **1.20**. Target: no more than 10% over the hand-wired resilience4j "
					+ "path (**not met**).");
	}

	@Test
	void monoSectionShouldNotJudgeARatioOfScoresNoisierThanAThird() {
		assertThat(BenchmarksDocument.monoSection(mono(2.40, 0.90, 2.50)))
			.contains("Faultline / hand-wired: **1.20**. Target: no more than 10% over the hand-wired resilience4j "
					+ "path (**not judged**: an error of more than a third of its score on one side;");
	}

	@Test
	void documentShouldHaveTheMonoSectionAfterTheBusinessFunctionOne() throws IOException {
		Path run = Files.createDirectories(this.folder.resolve("run"));
		writeJmh(run.resolve("detector.json"), Map.of("phiAccrualHeartbeat", new double[] { 50, 1 }));
		writeJmh(run.resolve("function.json"),
				Map.of("direct", new double[] { 0.1, 0.01 }, "handWiredResilience4j", new double[] { 30, 1 },
						"faultlineFunction", new double[] { 31, 1 }));
		Map<String, double[]> mono = mono(2.10, 0.10, 2.50);
		writeJmh(run.resolve("mono.json"), mono);
		Path document = this.folder.resolve("benchmarks.md");
		BenchmarksDocument.main(new String[] { run.toString(), "2 cores", document.toString() });
		String written = Files.readString(document, StandardCharsets.UTF_8);
		int function = written.indexOf("## Business function: cost per call");
		int monoSection = written.indexOf(BenchmarksDocument.monoSection(mono));
		assertThat(function).isNotNegative();
		assertThat(monoSection).isGreaterThan(function)
			.isLessThan(written.indexOf("## Detection drives isolation"));
	}

	@Test
	void tenantsSectionShouldGiveTheQuietTenantsAgainstTheirSoloRunAndJudgeEachShare() {
		String section = BenchmarksDocument.tenantsSection(tenants(60));
		assertThat(section).startsWith("## One noisy tenant: partitions within a function\n\n`TenantIsolation`")
			.contains("\n\nPayment: 8 threads, a queue of 16.\n\n")
			.contains("| run | tenants | offered /s | successful /s | % of solo | p50 ms | p50 × solo | p99 ms "
					+ "| p99 × solo | partition full | pool full | circuit open | time limit | failed |\n")
			.contains("| solo | quiet | 40.0 | 40.0 | 100.0 | 52.0 | 1.00 | 60.0 | 1.00 | 0 | 0 | 0 | 0 | 0 |\n"
					+ "| no partitions | quiet | 40.0 | 20.0 | 50.0 | 130.0 | 2.50 | 180.0 | 3.00 | 0 | 400 | 0 | 0 | 0 |\n"
					+ "| no partitions | noisy | 400.0 | 140.0 | – | 130.0 | – | 180.0 | – | 0 | 5200 | 0 | 0 | 0 |\n"
					+ "| share 0.5 (4 of 8 threads) | quiet | 40.0 | 39.0 | 97.5 | 78.0 | 1.50 | 150.0 | 2.50 | 0 | 0 | 0 "
					+ "| 0 | 0 |\n")
			.contains("- no partitions: the quiet tenants keep 50.0 % of their solo throughput, their p99 is 3.00 × "
					+ "solo.\n")
			.contains("- share 0.5 (4 of 8 threads): the quiet tenants keep 97.5 % of their solo throughput, their "
					+ "p99 is 2.50 × solo (**not met**).\n")
			.contains("- share 0.25 (2 of 8 threads): the quiet tenants keep 100.0 % of their solo throughput, their "
					+ "p99 is 1.20 × solo (met).\n")
			.endsWith("\n\n");
	}

	@Test
	void dashboardSectionShouldGiveThePageOpenAgainstOffAndTheDashboardsOwnCpu() {
		String section = BenchmarksDocument.dashboardSection(dashboard(2.0, 40.8, 0.031, 0.150));
		assertThat(section).startsWith("## The dashboard: what an open page costs the service\n\n`DashboardCost`")
			.contains("| dashboard | endpoint | payment | throughput /s | p50 ms | p99 ms | 5xx | failed |\n")
			.contains("| page open | delivery slots | healthy | 20.0 | 55.0 | 40.8 | 0 | 0 |\n")
			.contains("Page open / off, p99: delivery slots healthy 1.02, delivery slots hung 1.00, POST /orders "
					+ "healthy 0.99, POST /orders hung 1.20; p50: delivery slots healthy 1.00, delivery slots hung 1.00, "
					+ "POST /orders healthy 1.00, POST /orders hung 1.00; throughput: delivery slots healthy 1.00, delivery slots "
					+ "hung 1.00, POST /orders healthy 1.00, POST /orders hung 1.00. The dashboard's own CPU: the "
					+ "sampling thread 0.031 % of a core and one poll a second 0.150 %, **0.18 % of a core** in all.")
			.contains("Target: p99 within 5 % and under 1 % of a core. p99 page open / off at worst **1.02** (met), "
					+ "orders while payment is hung left out")
			.contains("CPU 0.18 % of a core (met).")
			.contains("- One poll, on the idle service")
			.endsWith("\n\n");
	}

	@Test
	void tenantsSectionShouldNotJudgeARunWhoseNoisyTenantNeverFilledThePool() {
		assertThat(BenchmarksDocument.tenantsSection(tenants(0)))
			.contains("p99 is 1.20 × solo (**not judged**: without partitions the noisy tenant never filled the pool");
	}

	@Test
	void documentShouldHaveTheTenantsSectionAfterIsolationUnderLoad() throws IOException {
		Path run = Files.createDirectories(this.folder.resolve("run"));
		writeJmh(run.resolve("detector.json"), Map.of("phiAccrualHeartbeat", new double[] { 50, 1 }));
		writeJmh(run.resolve("function.json"), Map.of("direct", new double[] { 0.1, 0.01 }));
		writeJmh(run.resolve("mono.json"), mono(2.10, 0.10, 2.50));
		Files.writeString(run.resolve("tenants.txt"), tenants(60));
		Path document = this.folder.resolve("benchmarks.md");
		BenchmarksDocument.main(new String[] { run.toString(), "2 cores", document.toString() });
		String written = Files.readString(document, StandardCharsets.UTF_8);
		int tenants = written.indexOf(BenchmarksDocument.tenantsSection(tenants(60)));
		assertThat(tenants).isGreaterThan(written.indexOf("## Isolation under load"))
			.isLessThan(written.indexOf("## Three replicas, one hung"));
	}

	// What TenantIsolation prints, the noisy tenant's pool-full fallbacks without
	// partitions as given.
	private static String tenants(int noisyPoolFull) {
		return """
				Payment: 8 threads, a queue of 16
				(warm-up)

				| run | tenants | offered /s | successful /s | p50 ms | p99 ms | partition full | pool full | circuit open | time limit | failed |
				|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|
				| solo | quiet | 40.0 | 40.0 | 52.0 | 60.0 | 0 | 0 | 0 | 0 | 0 |
				| no partitions | quiet | 40.0 | 20.0 | 130.0 | 180.0 | 0 | %1$s | 0 | 0 | 0 |
				| no partitions | noisy | 400.0 | 140.0 | 130.0 | 180.0 | 0 | %2$s | 0 | 0 | 0 |
				| share 0.5 (4 of 8 threads) | quiet | 40.0 | 39.0 | 78.0 | 150.0 | 0 | 0 | 0 | 0 | 0 |
				| share 0.5 (4 of 8 threads) | noisy | 400.0 | 120.0 | 80.0 | 150.0 | 5300 | 0 | 0 | 0 | 0 |
				| share 0.25 (2 of 8 threads) | quiet | 40.0 | 40.0 | 53.0 | 72.0 | 0 | 0 | 0 | 0 | 0 |
				| share 0.25 (2 of 8 threads) | noisy | 400.0 | 110.0 | 55.0 | 70.0 | 5500 | 0 | 0 | 0 | 0 |
				""".formatted(noisyPoolFull * 400 / 60, noisyPoolFull * 5200 / 60);
	}

	@Test
	void dashboardSectionShouldTellTargetsNotMet() {
		String section = BenchmarksDocument.dashboardSection(dashboard(2.0, 44.0, 0.5, 0.7));
		assertThat(section).contains("p99 page open / off at worst **1.10** (**not met**)")
			.contains("CPU 1.20 % of a core (**not met**).");
	}

	@Test
	void dashboardSectionShouldNotJudgeP99WhenTwoRunsOfTheSameKindDifferMoreThanTheTarget() {
		assertThat(BenchmarksDocument.dashboardSection(dashboard(12.0, 44.0, 0.031, 0.150)))
			.contains("p99 page open / off at worst **1.10** (**not judged**: two runs of the same kind differ in p99 "
					+ "by up to 12 %");
	}

	@Test
	void dashboardSectionShouldSayWhenTheRunDidNotMeasureIt() {
		assertThat(BenchmarksDocument.dashboardSection("")).endsWith("Not measured in this run.\n\n");
	}

	@Test
	void documentShouldHaveTheDashboardSectionAfterTheIsolationOne() throws IOException {
		Path run = Files.createDirectories(this.folder.resolve("run"));
		writeJmh(run.resolve("detector.json"), Map.of("phiAccrualHeartbeat", new double[] { 50, 1 }));
		writeJmh(run.resolve("function.json"), Map.of("handWiredResilience4j", new double[] { 30, 1 },
				"faultlineFunction", new double[] { 31, 1 }));
		writeJmh(run.resolve("mono.json"), mono(2.10, 0.10, 2.50));
		String dashboard = dashboard(2.0, 40.8, 0.031, 0.150);
		Files.writeString(run.resolve("dashboard.txt"), dashboard);
		Path document = this.folder.resolve("benchmarks.md");
		BenchmarksDocument.main(new String[] { run.toString(), "2 cores", document.toString() });
		String written = Files.readString(document, StandardCharsets.UTF_8);
		assertThat(written.indexOf(BenchmarksDocument.dashboardSection(dashboard)))
			.isGreaterThan(written.indexOf("## Isolation under load"))
			.isLessThan(written.indexOf("## Three replicas, one hung"));
	}

	// What DashboardCost prints, the page-open p99 of healthy delivery given; off at 40 ms.
	private static String dashboard(double spreadPercent, double openDeliveryP99, double samplingPercent,
			double pollPercent) {
		return String.format(Locale.ROOT, """
				Dashboard off: order-service used 8.640 s of CPU in 30.1 s

				| dashboard | endpoint | payment | throughput /s | p50 ms | p99 ms | 5xx | failed |
				|---|---|---|---:|---:|---:|---:|---:|
				| off | delivery slots | healthy | 20.0 | 55.0 | 40.0 | 0 | 0 |
				| off | delivery slots | hung | 20.0 | 55.0 | 60.0 | 0 | 0 |
				| off | POST /orders | healthy | 20.0 | 70.0 | 100.0 | 0 | 0 |
				| off | POST /orders | hung | 20.0 | 6.0 | 1000.0 | 0 | 0 |
				| page open | delivery slots | healthy | 20.0 | 55.0 | %.1f | 0 | 0 |
				| page open | delivery slots | hung | 20.0 | 55.0 | 60.0 | 0 | 0 |
				| page open | POST /orders | healthy | 20.0 | 70.0 | 99.0 | 0 | 0 |
				| page open | POST /orders | hung | 20.0 | 6.0 | 1200.0 | 0 | 0 |

				- The load's own spread: two runs of the same kind differ in p99 by up to %.1f %% (delivery healthy \
				and hung, orders healthy)
				- The sampling thread (faultline-dashboard): 18.8 ms of CPU in 60.3 s: %.3f %% of a core
				- One poll, on the idle service after the load (200 polls of one frame at 20/s, each run): 1.500 ms \
				of CPU on its request threads (garbage collection not counted): %.3f %% of a core at one a second
				""", openDeliveryP99, spreadPercent, samplingPercent, pollPercent);
	}

	// The JMH results of MonoCallBenchmark, the hand-wired chain at 2 µs.
	private static Map<String, double[]> mono(double faultline, double faultlineError, double proxy) {
		Map<String, double[]> scores = new LinkedHashMap<>();
		scores.put("bareMono", new double[] { 0.125, 0.005 });
		scores.put("bareMonoWithTimeout", new double[] { 1.5, 0.1 });
		scores.put("faultlineMono", new double[] { faultline, faultlineError });
		scores.put("faultlineProxy", new double[] { proxy, 0.1 });
		scores.put("handWiredResilience4j", new double[] { 2.0, 0.1 });
		return scores;
	}

	private static void writeJmh(Path file, Map<String, double[]> scores) throws IOException {
		StringBuilder json = new StringBuilder("[");
		scores.forEach((name, score) -> json.append((json.length() > 1) ? "," : "")
			.append(String.format(Locale.ROOT,
					"{\"benchmark\":\"dev.faultline.benchmarks.Some.%s\",\"primaryMetric\":{\"score\":%s,\"scoreError\":%s}}",
					name, score[0], score[1])));
		Files.writeString(file, json.append(']'));
	}

}
