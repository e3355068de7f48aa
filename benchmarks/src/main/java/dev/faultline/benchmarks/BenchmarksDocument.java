package dev.faultline.benchmarks;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Rewrites {@code docs/benchmarks.md} from one run of {@code bench/run}: every figure comes
 * from that run's outputs, every ratio and verdict is computed here, so the document
 * never quotes a number the run did not produce.
 *
 * <p>
 * Arguments: the run's output folder, the machine line, and the document to write.
 */
public final class BenchmarksDocument {

	private static final double HEARTBEAT_TARGET_NS = 200;

	private static final double FOOTPRINT_TARGET_BYTES = 16 * 1024;

	private static final double OVERHEAD_TARGET = 1.10;

	private static final double NOISE_LIMIT = 1.0 / 3;

	private static final double TENANT_THROUGHPUT_TARGET = 0.95;

	private static final double TENANT_P99_TARGET = 2.0;

	private static final double DASHBOARD_P99_TARGET = 1.05;

	private static final double DASHBOARD_CPU_TARGET_PERCENT = 1;

	private static final Pattern SAMPLING_CPU = Pattern.compile("The sampling thread .*: ([\\d.]+) % of a core");

	private static final Pattern POLL_CPU = Pattern.compile("One poll,.*: ([\\d.]+) % of a core at one a second");

	private static final Pattern LOAD_SPREAD = Pattern.compile("differ in p99 by up to ([\\d.]+) %");

	private BenchmarksDocument() {
	}

	public static void main(String[] args) throws IOException {
		Path run = Path.of(args[0]);
		String machine = args[1];
		Path document = Path.of(args[2]);
		Map<String, double[]> detector = jmh(run.resolve("detector.json"));
		Map<String, double[]> function = jmh(run.resolve("function.json"));
		Map<String, double[]> mono = jmh(run.resolve("mono.json"));
		String footprint = read(run.resolve("footprint.txt"));
		String hang = read(run.resolve("hang.txt"));
		String isolation = read(run.resolve("isolation.txt"));
		String replicas = read(run.resolve("replicas.txt"));
		String tenants = read(run.resolve("tenants.txt"));
		String dashboard = read(run.resolve("dashboard.txt"));
		String detection = read(document.resolveSibling("detection").resolve("detection-quality.md"));

		StringBuilder doc = new StringBuilder();
		doc.append("# Benchmarks\n\n")
			.append("Written by `bench/run` from one run of every benchmark (JMH 1.37 and the harnesses in the ")
			.append("`benchmarks` module); nothing here is edited by hand. Benchmarks run on demand, never as timed ")
			.append("assertions inside `./mvnw verify`. Every comparison is side by side in the same run.\n\n")
			.append("**Machine**: ").append(machine).append(". The machine is shared and noisy: read the error ")
			.append("columns (99.9% confidence intervals) before the scores.\n\n")
			.append("Detection quality (trace replay, T_D against λ_M) has its own report, rewritten by the same run: ")
			.append("[detection/detection-quality.md](detection/detection-quality.md).\n\n");

		doc.append("## Failure detectors: cost per heartbeat and per φ read\n\n")
			.append("`DetectorBenchmark`, average time per operation with the real system clock.\n\n")
			.append("| benchmark | ns/op | error |\n|---|---:|---:|\n");
		detector.forEach((name, score) -> doc.append(String.format(Locale.ROOT, "| %s | %.1f | ± %.1f |%n", name,
				score[0], score[1])));
		double heartbeat = score(detector, "phiAccrualHeartbeat");
		double read = score(detector, "phiAccrualPhi");
		double contended = score(detector, "phiAccrualHeartbeatContended");
		doc.append(String.format(Locale.ROOT,
				"%nTarget for the classic φ detector: under 200 ns per heartbeat and per φ read. Heartbeat %.0f ns "
						+ "(%s), φ read %.0f ns (%s); two threads hammering one detector's heartbeat: %.0f ns (%s). "
						+ "The adaptive detector recomputes its φ table on every learned interval, about once per "
						+ "heartbeat interval, so its heartbeat costs more and its reads less.%n%n",
				heartbeat, verdict(heartbeat <= HEARTBEAT_TARGET_NS), read, verdict(read <= HEARTBEAT_TARGET_NS),
				contended, verdict(contended <= HEARTBEAT_TARGET_NS)));

		doc.append("## Memory per peer\n\n`DetectorFootprint`: many of each are created and fed past the ")
			.append("default window, and the used heap after garbage collection is compared.\n\n```\n")
			.append(footprint.strip())
			.append("\n```\n\n");
		Matcher peer = Pattern.compile("Peer with one instance[^:]*: ([\\d,]+) bytes").matcher(footprint);
		if (peer.find()) {
			double bytes = Double.parseDouble(peer.group(1).replace(",", ""));
			doc.append(String.format(Locale.ROOT, "Target: under 16 KiB per peer with the default window: %.1f KiB (%s).%n%n",
					bytes / 1024, verdict(bytes < FOOTPRINT_TARGET_BYTES)));
		}

		doc.append("## Business function: cost per call\n\n")
			.append("`FunctionCallBenchmark`: the same small piece of work called directly, handed to a bare ")
			.append("`ThreadPoolExecutor` of the function's size and queue and waited for, through resilience4j's ")
			.append("decorators wired by hand in the documented order (circuit breaker, time limiter, thread-pool ")
			.append("bulkhead), and as a Faultline business function, with the same pool and limits, on its pool and ")
			.append("on virtual threads (a new one per call under a limit of 25), all in one run. Each row is also ")
			.append("given as a multiple of the direct call and of the bare handoff.\n\n")
			.append("| path | µs/op | error | × direct | × bare handoff |\n|---|---:|---:|---:|---:|\n");
		doc.append(pathRows(function, "direct", "bareHandoff"));
		if (!function.containsKey("faultlineVirtualThreads")) {
			doc.append("| faultlineVirtualThreads | not measured: the benchmarks ran on a JVM before Java 21 | | | |\n");
		}
		doc.append('\n')
			.append(againstHandWired(function, "faultlineFunction"))
			.append(" Both isolated paths are dominated by handing the work to a pool thread and back.\n\n");

		doc.append(monoSection(mono));

		doc.append("## Detection drives isolation: from a hang to the first immediate fallback\n\n")
			.append("`HangToFallbackHarness`: one real HTTP peer on 127.0.0.1 hung (accepts, never answers); two ")
			.append("functions with the same traffic and defaults, one whose circuit follows the peer's φ, one that ")
			.append("counts failures only. Time from the hang to the first call answered with the fallback at once.\n\n")
			.append(tables(hang))
			.append("\nThe link makes the circuit independent of traffic: at a low call rate a failure-rate breaker ")
			.append("needs many callers to wait out the time limit before it opens; at a high rate it fills its window ")
			.append("as fast as the detector convicts.\n\n");

		doc.append("## Isolation under load\n\n")
			.append("`IsolationUnderLoad`: both samples as processes on 127.0.0.1, 20 requests/s to the delivery-only ")
			.append("endpoint and 20 to `POST /orders`, payment healthy then hung, order-service with Faultline ")
			.append("enabled and disabled (the same code calling payment on the request threads), 32 request ")
			.append("threads each.\n\n")
			.append(tables(isolation))
			.append("\n");
		for (String line : isolation.lines().filter((line) -> line.startsWith("Faultline ")).toList()) {
			doc.append("- ").append(line).append('\n');
		}
		doc.append("\nTarget with Faultline: delivery keeps at least 95% of its healthy throughput and its p99 within ")
			.append("2× while payment is hung; `POST /orders` answers with zero 5xx. Payment's time limit (1 s) bounds ")
			.append("the wait for payment; storing the order and booking delivery come on top of it, so an order's ")
			.append("p99 can exceed the limit by their time. Latencies are of successful answers; \"failed\" are ")
			.append("client timeouts (10 s).\n\n");

		doc.append(dashboardSection(dashboard));
		doc.append(tenantsSection(tenants));

		doc.append("## Three replicas, one hung: balanced routing against Spring Cloud LoadBalancer\n\n")
			.append("`HungReplicaHarness`: three replicas as real HTTP servers on 127.0.0.1, a fixed request rate, one ")
			.append("replica hung after a healthy phase (it accepts and never answers, its health endpoint neither); ")
			.append("fresh replicas for each client, every client with the same 2 s read timeout. Faultline's ready ")
			.append("client with `routing: balanced` at its defaults; LoadBalancer's round-robin alone; round-robin ")
			.append("over its health-check supplier at its defaults (a check of `/actuator/health` every 25 s). ")
			.append("Failed requests are those that waited out the read timeout on the hung replica.\n\n")
			.append(tables(replicas))
			.append("\n");
		for (String line : replicas.lines().filter((line) -> line.startsWith("- ")).toList()) {
			doc.append(line).append('\n');
		}
		doc.append("\nTarget: no request to the hung replica after Faultline's detection time; p99 with one hung ")
			.append("within 2× of healthy.\n\n");

		doc.append("## The default detector against the best fixed timeout (trace replay)\n\n")
			.append("From [detection/detection-quality.md](detection/detection-quality.md): mean detection time of ")
			.append("the adaptive default, untouched, over that of the best fixed timeout chosen for each trace in ")
			.append("hindsight, with its mistakes per hour.\n\n")
			.append(section(detection, "| trace (main seed)"))
			.append("\n")
			.append(section(detection, "| trace (held-out seed)"))
			.append("\n")
			.append(line(detection, "**The criterion is met"))
			.append(" The held-out seed was not entirely blind: internal choices of the adaptive detector were ")
			.append("settled with its results in view (see the report).\n\n")
			.append("On traces drawn from seeds that played no part in settling it, every kind and variants of each ")
			.append("(section *On traces nobody looked at* of the report):\n\n")
			.append(line(detection, "**On unseen traces"))
			.append("\n\n![Mean T_D against λ_M per trace](detection/td-vs-lambda.png)\n");

		Files.writeString(document, doc, StandardCharsets.UTF_8);
		System.out.println("Rewrote " + document);
	}

	static String monoSection(Map<String, double[]> mono) {
		StringBuilder section = new StringBuilder();
		section.append("## Mono business function: cost per call\n\n")
			.append("`MonoCallBenchmark`: the same small piece of work as a Reactor `Mono`, assembled, subscribed to ")
			.append("and waited for (`block()`) on the caller's thread: bare, through resilience4j-reactor's operators ")
			.append("wired by hand in the order Faultline documents (semaphore bulkhead, circuit breaker, ")
			.append("`TimeLimiterOperator`) with an `onErrorResume` fallback, as Faultline's `ReactiveCalls.mono` with ")
			.append("a fallback, and as a `@BusinessFunction` method called through a Spring AOP proxy, with the same ")
			.append("limits (25 calls in flight, no wait, a 5 s time limit), all in one run. No path hops threads; both ")
			.append("time limits are Reactor's `timeout`, which schedules a timer on its parallel scheduler for every ")
			.append("subscription and cancels it, and that is counted (`bareMonoWithTimeout` is the bare Mono with ")
			.append("that timeout alone). Each row is also given as a multiple of the bare Mono.\n\n")
			.append("| path | µs/op | error | × bare Mono |\n|---|---:|---:|---:|\n")
			.append(pathRows(mono, "bareMono"))
			.append('\n')
			.append(againstHandWired(mono, "faultlineMono"))
			.append(String.format(Locale.ROOT, " Through the proxy: %s × the hand-wired path.%n%n",
					times(score(mono, "faultlineProxy"), score(mono, "handWiredResilience4j"))));
		return section.toString();
	}

	static String tenantsSection(String output) {
		StringBuilder section = new StringBuilder();
		section.append("## One noisy tenant: partitions within a function\n\n")
			.append("`TenantIsolation`: one payment function whose work is a call to a real HTTP server on 127.0.0.1 ")
			.append("that answers slowly; quiet tenants each offering a steady rate of calls and one noisy tenant ")
			.append("offering ten times their load together, every call on a schedule whatever the answers (an open ")
			.append("loop), its latency counted from when it was due. Side by side in one run, each on a fresh ")
			.append("function after a common warm-up: the quiet tenants alone (solo), then with the noisy tenant ")
			.append("without partitions, then with the function partitioned by tenant at two shares. Latencies are of ")
			.append("successful calls; the other columns count fallbacks by cause. Ratios are the quiet tenants' ")
			.append("against their solo run.\n\n");
		output.lines()
			.filter((line) -> line.startsWith("Payment: "))
			.findFirst()
			.ifPresent((line) -> section.append(line).append(".\n\n"));
		List<String[]> rows = output.lines()
			.filter((line) -> line.startsWith("| ") && !line.startsWith("| run "))
			.map((line) -> line.substring(1, line.length() - 1).split("\\|"))
			.map((cells) -> Arrays.stream(cells).map(String::strip).toArray(String[]::new))
			.toList();
		String[] solo = rows.stream().filter((row) -> row[0].equals("solo")).findFirst().orElse(null);
		section.append("| run | tenants | offered /s | successful /s | % of solo | p50 ms | p50 × solo | p99 ms ")
			.append("| p99 × solo | partition full | pool full | circuit open | time limit | failed |\n")
			.append("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
		for (String[] row : rows) {
			// Only the quiet tenants have a solo run to be measured against.
			boolean quiet = row[1].equals("quiet") && solo != null;
			String cells = String.join(" | ", row[0], row[1], row[2], row[3],
					quiet ? percent(number(row[3]), number(solo[3])) : "–", row[4],
					quiet ? times(number(row[4]), number(solo[4])) : "–", row[5],
					quiet ? times(number(row[5]), number(solo[5])) : "–", row[6], row[7], row[8], row[9], row[10]);
			section.append("| ").append(cells).append(" |\n");
		}
		section.append('\n');
		// Without partitions the noisy tenant must have filled the pool, or the run did not
		// overload the function and says nothing of what partitions protect.
		boolean overloaded = rows.stream().anyMatch((row) -> row[0].equals("no partitions") && number(row[7]) > 0);
		boolean measured = solo != null && number(solo[3]) > 0;
		for (String[] row : rows) {
			if (!row[1].equals("quiet") || row == solo || !measured) {
				continue;
			}
			double throughput = number(row[3]) / number(solo[3]);
			double p99 = number(row[5]) / number(solo[5]);
			section.append(String.format(Locale.ROOT,
					"- %s: the quiet tenants keep %s %% of their solo throughput, their p99 is %s × solo", row[0],
					percent(number(row[3]), number(solo[3])), times(number(row[5]), number(solo[5]))));
			if (row[0].startsWith("share ")) {
				String verdict = !overloaded ? "**not judged**: without partitions the noisy tenant never filled "
						+ "the pool, so this run did not overload the function"
						: verdict(throughput >= TENANT_THROUGHPUT_TARGET && p99 <= TENANT_P99_TARGET);
				section.append(" (").append(verdict).append(')');
			}
			section.append(".\n");
		}
		if (solo == null) {
			section.append("No solo run in this run's output: **not judged**.\n");
		}
		else if (!measured) {
			section.append("The quiet tenants had no successful call alone: **not judged**.\n");
		}
		section.append("\nTarget with partitions: the quiet tenants keep at least 95% of their solo throughput and ")
			.append("their p99 within 2× of solo, where without partitions they do not. A key's share is of the ")
			.append("pool's threads: it never has more calls in the function, running or queued, than that, so the ")
			.append("other threads stay free for the other keys and none of its calls queues ahead of theirs.\n\n");
		return section.toString();
	}

	private static double number(String cell) {
		try {
			return Double.parseDouble(cell);
		}
		catch (NumberFormatException ex) {
			return Double.NaN;
		}
	}

	static String dashboardSection(String output) {
		StringBuilder section = new StringBuilder();
		section.append("## The dashboard: what an open page costs the service\n\n")
			.append("`DashboardCost`: the isolation benchmark's load (above: 20 requests/s to each endpoint, payment ")
			.append("healthy then hung, 15 s each, after 15 s unmeasured) on order-service with Faultline enabled, with ")
			.append("the dashboard not exposed (no timeline at all) and exposed with a page open: a client that does ")
			.append("over HTTP, on the service's port, what the page's script does (the page, the whole window, then ")
			.append("the frames since the last answer, a second after each answer). Two runs of each, in the order ")
			.append("off, open, open, off; each row pools both. Then, in the harness's JVM, a timeline of 3 peers of ")
			.append("3 instances and 5 functions with a full window (300 frames: 5 minutes at 1 s), serialized with a ")
			.append("plain Jackson `ObjectMapper`.\n\n");
		Map<String, String[]> rows = new LinkedHashMap<>();
		for (String line : output.lines()
			.filter((line) -> line.startsWith("| off |") || line.startsWith("| page open |"))
			.toList()) {
			String[] cells = line.split("\\|");
			rows.put(cells[1].strip() + "|" + cells[2].strip() + "|" + cells[3].strip(), cells);
		}
		if (rows.isEmpty()) {
			return section.append("Not measured in this run.\n\n").toString();
		}
		section.append(tables(output)).append('\n');
		StringBuilder p99 = new StringBuilder();
		StringBuilder p50 = new StringBuilder();
		StringBuilder throughput = new StringBuilder();
		double worst = 0;
		for (String row : List.of("delivery slots|healthy", "delivery slots|hung", "POST /orders|healthy",
				"POST /orders|hung")) {
			String[] off = rows.get("off|" + row);
			String[] open = rows.get("page open|" + row);
			double p99Ratio = cell(open, 6) / cell(off, 6);
			String name = row.replace("|", " ");
			p99.append((p99.length() > 0) ? ", " : "")
				.append(name)
				.append(' ')
				.append(times(cell(open, 6), cell(off, 6)));
			p50.append((p50.length() > 0) ? ", " : "").append(name).append(' ').append(times(cell(open, 5), cell(off, 5)));
			throughput.append((throughput.length() > 0) ? ", " : "")
				.append(name)
				.append(' ')
				.append(times(cell(open, 4), cell(off, 4)));
			// Orders while payment is hung wait out payment's time limit until the suspicion, in
			// both runs: their p99 is that limit's, not the service's.
			if (!row.equals("POST /orders|hung")) {
				worst = Math.max(worst, Double.isNaN(p99Ratio) ? Double.POSITIVE_INFINITY : p99Ratio);
			}
		}
		double sampling = number(SAMPLING_CPU, output);
		double poll = number(POLL_CPU, output);
		double cpu = sampling + poll;
		double spread = number(LOAD_SPREAD, output);
		section.append("Page open / off, p99: ")
			.append(p99)
			.append("; p50: ")
			.append(p50)
			.append("; throughput: ")
			.append(throughput)
			.append(String.format(Locale.ROOT,
					". The dashboard's own CPU: the sampling thread %.3f %% of a core and one poll a second %.3f %%, "
							+ "**%.2f %% of a core** in all.%n%n",
					sampling, poll, cpu));
		// Two runs of the same kind further apart than the target say nothing about it.
		String p99Verdict = (Double.isNaN(spread) || spread / 100 + 1 > DASHBOARD_P99_TARGET)
				? String.format(Locale.ROOT, "**not judged**: two runs of the same kind differ in p99 by up to "
						+ "%.0f %%, so this load's p99 cannot tell 5 %%; run bench/run on a quiet machine", spread)
				: verdict(worst <= DASHBOARD_P99_TARGET);
		String cpuVerdict = Double.isNaN(cpu) ? "**not judged**: the run gave no CPU figure for the sampling thread "
				+ "or the poll" : verdict(cpu < DASHBOARD_CPU_TARGET_PERCENT);
		section.append(String.format(Locale.ROOT,
				"Target: p99 within 5 %% and under 1 %% of a core. p99 page open / off at worst **%.2f** (%s), "
						+ "orders while payment is hung left out (their p99 is payment's 1 s time limit, waited out "
						+ "before the suspicion, in both runs); CPU %.2f %% of a core (%s).%n%n",
				worst, p99Verdict, cpu, cpuVerdict));
		for (String line : output.lines().filter((line) -> line.startsWith("- ")).toList()) {
			section.append(line).append('\n');
		}
		return section.append('\n').toString();
	}

	private static double cell(String[] row, int index) {
		try {
			return (row != null) ? Double.parseDouble(row[index].strip()) : Double.NaN;
		}
		catch (NumberFormatException ex) {
			return Double.NaN;
		}
	}

	private static String percent(double part, double whole) {
		return (Double.isNaN(part) || Double.isNaN(whole) || whole <= 0) ? "–"
				: String.format(Locale.ROOT, "%.1f", 100 * part / whole);
	}

	private static double number(Pattern pattern, String text) {
		Matcher matcher = pattern.matcher(text);
		return matcher.find() ? Double.parseDouble(matcher.group(1)) : Double.NaN;
	}

	// One row per benchmark of a run, each score also as a multiple of each baseline's.
	private static String pathRows(Map<String, double[]> scores, String... baselines) {
		StringBuilder rows = new StringBuilder();
		scores.forEach((name, score) -> {
			rows.append(String.format(Locale.ROOT, "| %s | %.3f | ± %.3f |", name, score[0], score[1]));
			for (String baseline : baselines) {
				rows.append(' ').append(times(score[0], score(scores, baseline))).append(" |");
			}
			rows.append('\n');
		});
		return rows.toString();
	}

	// Faultline's path over the hand-wired resilience4j one of the same run, and the verdict.
	private static String againstHandWired(Map<String, double[]> scores, String faultline) {
		String handWired = "handWiredResilience4j";
		double ratio = score(scores, faultline) / score(scores, handWired);
		// A ratio of two scores each known only to within more than a third says nothing about a
		// 10 % target: the run was too noisy (a busy machine) to judge it.
		boolean tooNoisy = relativeError(scores, faultline) > NOISE_LIMIT
				|| relativeError(scores, handWired) > NOISE_LIMIT;
		return String.format(Locale.ROOT,
				"Faultline / hand-wired: **%.2f**. Target: no more than 10%% over the hand-wired resilience4j path (%s).",
				ratio, tooNoisy ? "**not judged**: an error of more than a third of its score on one side; this run "
						+ "was too noisy, run bench/run on a quiet machine" : verdict(ratio <= OVERHEAD_TARGET));
	}

	static Map<String, double[]> jmh(Path json) throws IOException {
		Map<String, double[]> scores = new LinkedHashMap<>();
		for (JsonNode result : new ObjectMapper().readTree(json.toFile())) {
			String name = result.get("benchmark").asText();
			JsonNode metric = result.get("primaryMetric");
			scores.put(name.substring(name.lastIndexOf('.') + 1),
					new double[] { metric.get("score").asDouble(), metric.get("scoreError").asDouble() });
		}
		return scores;
	}

	private static double score(Map<String, double[]> scores, String name) {
		double[] score = scores.get(name);
		return (score != null) ? score[0] : Double.NaN;
	}

	private static String times(double score, double base) {
		return (Double.isNaN(score) || Double.isNaN(base) || base <= 0) ? "–"
				: String.format(Locale.ROOT, "%.2f", score / base);
	}

	private static double relativeError(Map<String, double[]> scores, String name) {
		double[] score = scores.get(name);
		return (score == null || score[0] == 0) ? 0 : score[1] / score[0];
	}

	private static String verdict(boolean met) {
		return met ? "met" : "**not met**";
	}

	// The markdown tables a harness printed, as they are.
	private static String tables(String output) {
		StringBuilder tables = new StringBuilder();
		for (String line : output.lines().toList()) {
			if (line.startsWith("|")) {
				tables.append(line).append('\n');
			}
		}
		return tables.toString();
	}

	private static String section(String markdown, String header) {
		List<String> lines = markdown.lines().toList();
		StringBuilder table = new StringBuilder();
		boolean in = false;
		for (String line : lines) {
			if (line.startsWith(header)) {
				in = true;
			}
			if (in) {
				if (!line.startsWith("|")) {
					break;
				}
				table.append(line).append('\n');
			}
		}
		return table.toString();
	}

	private static String line(String markdown, String start) {
		return markdown.lines().filter((line) -> line.startsWith(start)).findFirst().orElse("");
	}

	private static String read(Path file) throws IOException {
		return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
	}

}
