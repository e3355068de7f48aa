package dev.faultline.benchmarks.replay;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The results of every policy on one trace, in policy order: one table of the report,
 * one chart.
 *
 * @param trace the trace
 * @param results its results
 */
record TraceResults(Trace trace, List<ReplayResult> results) {

	/**
	 * Groups results by trace, keeping the order in which traces and policies came.
	 * @param results the results of every trace
	 * @return one entry per trace
	 */
	static List<TraceResults> byTrace(List<ReplayResult> results) {
		Map<Trace, List<ReplayResult>> groups = new LinkedHashMap<>();
		for (ReplayResult result : results) {
			groups.computeIfAbsent(result.trace(), (trace) -> new ArrayList<>()).add(result);
		}
		return groups.entrySet().stream().map((entry) -> new TraceResults(entry.getKey(), entry.getValue())).toList();
	}

	/**
	 * Returns the results of one family of policies, in policy order.
	 * @param family the family
	 * @return its results, empty if none
	 */
	List<ReplayResult> family(String family) {
		return this.results.stream().filter((result) -> result.policy().family().equals(family)).toList();
	}

	/**
	 * Returns the result of a family of one policy.
	 * @param family the family
	 * @return the result
	 * @throws IllegalStateException if the family has not exactly one result
	 */
	ReplayResult only(String family) {
		List<ReplayResult> results = family(family);
		if (results.size() != 1) {
			throw new IllegalStateException("expected one result of '" + family + "' on " + this.trace.kind()
					+ " but found " + results.size());
		}
		return results.get(0);
	}

	/**
	 * Returns the configuration of a family that detects fastest on average while making
	 * at most the given number of mistakes per hour.
	 * @param family the family
	 * @param mistakesPerHour the mistake rate allowed
	 * @return the fastest such result, empty if none of the family stays within it
	 */
	Optional<ReplayResult> fastest(String family, double mistakesPerHour) {
		return family(family).stream()
			.filter((result) -> result.mistakesPerHour() <= mistakesPerHour + 1e-9)
			.min(Comparator.comparingDouble(ReplayResult::meanDetectionNanos));
	}

}
