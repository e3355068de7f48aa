package dev.faultline.benchmarks.replay;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Supplier;

import dev.faultline.detector.AdaptiveSettings;
import dev.faultline.detector.DetectorType;
import dev.faultline.detector.PhiAccrualSettings;

/**
 * Measures how well each detector configuration detects crashes: generates heartbeat
 * traces with a known crash (saved under {@code benchmarks/traces/}), replays each
 * through every policy and writes the tables and charts of
 * {@code docs/detection/detection-quality.md}.
 *
 * <p>
 * Run from the repository root with
 * {@code java -cp benchmarks/target/benchmarks.jar dev.faultline.benchmarks.replay.DetectionReplay},
 * or give the repository root as the argument. Traces and detectors are plug-ins: a new
 * kind of trace is one more {@link TraceGenerator} in {@link #traces()}, a new detector
 * one more {@link DetectorPolicy} in {@link #policies()} (a new family is a new curve).
 */
public final class DetectionReplay {

	/**
	 * The seed of every trace. Kinds that share a sender draw its intervals alike, so they
	 * differ by what each kind adds, not by luck.
	 */
	static final long SEED = 20261123L;

	/**
	 * The seed of the held-out traces: every kind again, drawn afresh, on which nothing
	 * was chosen. The adaptive detector's defaults are reported there too, so that a
	 * result that holds only for the traces it was developed on shows.
	 */
	static final long HELD_OUT_SEED = 4_242_424_242L;

	/** The nominal heartbeat interval of every trace. */
	static final Duration INTERVAL = Duration.ofSeconds(1);

	/** When every trace's process crashes: ten hours resolve λ_M down to 0.1 per hour. */
	static final Duration UNTIL_CRASH = Duration.ofHours(10);

	/** The mistake rate a user is taken to accept, for the best fixed timeout in hindsight. */
	static final double ACCEPTED_MISTAKES_PER_HOUR = 0.1;

	static final String PHI = "φ accrual, no acceptable pause";

	static final String PHI_NARROW = "φ accrual, no acceptable pause, min σ 10 ms";

	static final String FIXED = "fixed timeout";

	static final String DEFAULT_PHI = "Faultline default (type: phi)";

	static final String CLUSTER = "cluster-style φ (acceptable pause 3 s)";

	static final String DEFAULT_FIXED = "Faultline type: fixed default (3 × interval)";

	static final String HINDSIGHT = "best fixed timeout in hindsight";

	static final String ADAPTIVE = "adaptive φ";

	static final String DEFAULT_ADAPTIVE = "adaptive φ, defaults (type: adaptive)";

	static final String LIVE_PATH = "adaptive φ, defaults, on the whole peer path";

	/** The mean T_D the adaptive default may take, as a multiple of the best fixed timeout's. */
	static final double TARGET_RATIO = 1.5;

	private static final double[] THRESHOLDS = { 0.5, 1, 2, 3, 4, 6, 8, 10, 12, 16 };

	private static final double[] ADAPTIVE_THRESHOLDS = { 2, 3, 4, 4.5, 5, 6, 7, 8, 10, 12 };

	private static final long[] TIMEOUTS_MILLIS = { 1050, 1100, 1200, 1300, 1400, 1500, 1750, 2000, 2500, 3000,
			3500, 4000, 5000, 6000, 8000, 10000 };

	private DetectionReplay() {
	}

	/**
	 * Returns the generators of the traces replayed, one per kind.
	 * @return the generators
	 */
	static List<TraceGenerator> traces() {
		return List.of(new JitterTraceGenerator("steady", INTERVAL, 0.01, UNTIL_CRASH),
				new JitterTraceGenerator("jittery", INTERVAL, 0.30, UNTIL_CRASH),
				new PauseTraceGenerator("paused", INTERVAL, 0.01, Duration.ofMinutes(2), Duration.ofMinutes(6),
						Duration.ofMillis(1500), Duration.ofMillis(2500), UNTIL_CRASH),
				new DelayBurstTraceGenerator("bursty", INTERVAL, 0.01, Duration.ofMinutes(2), Duration.ofMinutes(8),
						Duration.ofSeconds(10), Duration.ofSeconds(60), Duration.ofMillis(400), Duration.ofSeconds(3),
						UNTIL_CRASH),
				new LossTraceGenerator("lossy", INTERVAL, 0.01, 0.02, UNTIL_CRASH),
				new HeavyTailTraceGenerator("heavy-tailed", INTERVAL, 0.01, 3.0, Duration.ofMillis(50), UNTIL_CRASH),
				new RegimeShiftTraceGenerator("shifted", INTERVAL, 0.01, INTERVAL, 0.30, UNTIL_CRASH.dividedBy(2),
						UNTIL_CRASH));
	}

	/**
	 * Returns the detector configurations every trace is replayed through: the sweeps
	 * that draw the curves, Faultline's defaults untouched, and the clairvoyant bound.
	 * @return the policies
	 */
	static List<DetectorPolicy> policies() {
		List<DetectorPolicy> policies = new ArrayList<>();
		// the pure model: Faultline's window and σ floor, no pause shifting the distribution
		PhiAccrualSettings pure = PhiAccrualSettings.DEFAULTS.withAcceptableHeartbeatPause(Duration.ZERO);
		for (double threshold : THRESHOLDS) {
			policies.add(DetectorPolicy.phi(PHI, "φ " + DetectionReport.number(threshold), pure.withThreshold(threshold)));
		}
		// the same without most of the floor, to tell the model from the floor
		PhiAccrualSettings narrow = pure.withMinStdDeviation(Duration.ofMillis(10));
		for (double threshold : THRESHOLDS) {
			policies.add(DetectorPolicy.phi(PHI_NARROW, "φ " + DetectionReport.number(threshold),
					narrow.withThreshold(threshold)));
		}
		for (long timeout : TIMEOUTS_MILLIS) {
			policies.add(DetectorPolicy.fixedTimeout(FIXED, Duration.ofMillis(timeout)));
		}
		policies.add(DetectorPolicy.faultlineDefault(DEFAULT_PHI, "φ 8, pause 1 s", DetectorType.PHI));
		policies.add(DetectorPolicy.phi(CLUSTER, "φ 8, pause 3 s",
				PhiAccrualSettings.DEFAULTS.withAcceptableHeartbeatPause(Duration.ofSeconds(3))));
		policies.add(DetectorPolicy.faultlineDefault(DEFAULT_FIXED, "3 s", DetectorType.FIXED));
		for (double threshold : ADAPTIVE_THRESHOLDS) {
			policies.add(DetectorPolicy.adaptive(ADAPTIVE, "φ " + DetectionReport.number(threshold),
					AdaptiveSettings.DEFAULTS.withThreshold(threshold)));
		}
		policies.add(DetectorPolicy.adaptive(DEFAULT_ADAPTIVE,
				"φ " + DetectionReport.number(AdaptiveSettings.DEFAULTS.threshold()), AdaptiveSettings.DEFAULTS));
		policies.add(DetectorPolicy.hindsightFixedTimeout(HINDSIGHT, ACCEPTED_MISTAKES_PER_HOUR));
		return policies;
	}

	/**
	 * Returns the configurations replayed on the held-out traces: those a user takes
	 * untouched, and the bound.
	 * @return the policies
	 */
	static List<DetectorPolicy> heldOutPolicies() {
		Set<String> untouched = Set.of(DEFAULT_ADAPTIVE, DEFAULT_PHI, CLUSTER, DEFAULT_FIXED, HINDSIGHT);
		return policies().stream().filter((policy) -> untouched.contains(policy.family())).toList();
	}

	public static void main(String[] args) throws IOException {
		Path root = Path.of((args.length > 0) ? args[0] : "").toAbsolutePath();
		if (!Files.isDirectory(root.resolve("benchmarks"))) {
			throw new IllegalArgumentException(
					"Run from the repository root or give it as the argument: " + root + " has no benchmarks folder");
		}
		// charts are drawn off screen, also where a display happens to exist
		System.setProperty("java.awt.headless", "true");
		List<Trace> traces = saveTraces(root.resolve("benchmarks/traces"), SEED);
		List<Trace> heldOut = saveTraces(root.resolve("benchmarks/traces/held-out"), HELD_OUT_SEED);
		List<DetectorPolicy> policies = policies();
		long started = System.nanoTime();
		List<ReplayResult> results = replay(traces, policies);
		List<TraceResults> heldOutResults = TraceResults.byTrace(replay(heldOut, heldOutPolicies()));
		List<DetectionSweep.Row> sweep = DetectionSweep.sweep(DetectionSweep.FIRST_SEED, DetectionSweep.SEEDS);
		List<Trace> both = new ArrayList<>(traces);
		both.addAll(heldOut);
		List<ReplayResult> livePath = replayLivePath(both);
		Duration elapsed = Duration.ofNanos(System.nanoTime() - started);
		List<TraceResults> byTrace = TraceResults.byTrace(results);
		Path docs = Files.createDirectories(root.resolve("docs/detection"));
		Path report = docs.resolve("detection-quality.md");
		Files.writeString(report,
				new DetectionReport(byTrace, heldOutResults, sweep, policies.size(), elapsed).withLivePath(livePath)
					.markdown());
		DetectionChart.write(byTrace, docs);
		System.out.printf(Locale.ROOT, "Replayed %d traces through %d policies in %.1f s; wrote %s and its charts%n",
				traces.size(), policies.size(), elapsed.toMillis() / 1000.0, report);
		List<TraceResults> all = new ArrayList<>(byTrace);
		all.addAll(heldOutResults);
		for (TraceResults trace : all) {
			ReplayResult chosen = trace.only(DEFAULT_ADAPTIVE);
			ReplayResult best = trace.only(HINDSIGHT);
			System.out.printf(Locale.ROOT, "  %-12s seed %-10d adaptive default mean T_D %.3f s at %s mistakes/h; best "
					+ "fixed timeout %s: %.3f s at %s/h; ratio %.2f%n", trace.trace().kind(), trace.trace().seed(),
					chosen.meanDetectionSeconds(),
					DetectionReport.number(chosen.mistakesPerHour()),
					DetectorPolicy.seconds(DetectorPolicy.hindsightTimeout(trace.trace(), ACCEPTED_MISTAKES_PER_HOUR)),
					best.meanDetectionSeconds(), DetectionReport.number(best.mistakesPerHour()),
					chosen.meanDetectionNanos() / best.meanDetectionNanos());
		}
	}

	/**
	 * Replays every trace through every policy, in parallel: each replay has its own
	 * detector and clock.
	 * @param traces the traces
	 * @param policies the policies
	 * @return the results, by trace then by policy in the order given
	 */
	static List<ReplayResult> replay(List<Trace> traces, List<DetectorPolicy> policies) {
		return traces.stream()
			.flatMap((trace) -> policies.stream()
				.map((policy) -> (Supplier<ReplayResult>) () -> Replay.run(trace, policy)))
			.toList()
			.parallelStream()
			.map(Supplier::get)
			.toList();
	}

	/**
	 * Replays every trace through the whole peer path with Faultline's defaults, in
	 * parallel.
	 * @param traces the traces
	 * @return one result per trace, in order
	 */
	static List<ReplayResult> replayLivePath(List<Trace> traces) {
		DetectorPolicy policy = DetectorPolicy.faultlineDefault(LIVE_PATH, "defaults", DetectorType.ADAPTIVE);
		return traces.parallelStream().map((trace) -> LiveStackReplay.run(trace, policy)).toList();
	}

	/**
	 * Generates every trace from the seed, saves those whose file is missing or differs,
	 * and reads them back: what is replayed is what is checked in.
	 */
	static List<Trace> saveTraces(Path folder, long seed) throws IOException {
		Files.createDirectories(folder);
		List<Trace> traces = new ArrayList<>();
		for (TraceGenerator generator : traces()) {
			Trace trace = generator.generate(seed);
			Path file = folder.resolve(trace.kind() + ".txt");
			if (!Files.exists(file) || !Files.readString(file).equals(trace.text())) {
				trace.write(file);
				System.out.println("Wrote " + file);
			}
			traces.add(Trace.read(file));
		}
		return traces;
	}

}
