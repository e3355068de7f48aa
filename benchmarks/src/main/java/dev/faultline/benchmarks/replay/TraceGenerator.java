package dev.faultline.benchmarks.replay;

/**
 * Makes one kind of heartbeat trace with a known crash, the same one for the same seed.
 * Implementations draw every random number from one {@link java.util.SplittableRandom}
 * seeded with the seed given, so a trace is reproduced from its header alone.
 */
public interface TraceGenerator {

	/**
	 * Returns the name of this kind of trace, one word: it names the trace's file and its
	 * table.
	 * @return the kind
	 */
	String kind();

	/**
	 * Returns one line saying how the trace is made, for its file and the report.
	 * @return the description
	 */
	String description();

	/**
	 * Generates the trace.
	 * @param seed the seed
	 * @return the trace, its crash at the time this generator was made for
	 */
	Trace generate(long seed);

}
