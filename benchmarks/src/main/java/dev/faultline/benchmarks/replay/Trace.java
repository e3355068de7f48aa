package dev.faultline.benchmarks.replay;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.LongStream;

/**
 * The heartbeat arrivals that one monitor saw from one process, with the ground truth:
 * the process crashed at {@link #crashMillis()} and nothing arrived from then on.
 *
 * <p>
 * Saved as plain text: a header comment line
 * {@code # faultline-trace kind=<kind> seed=<seed> interval-ms=<ms> crash-ms=<ms>},
 * optional further comment lines, then one arrival a line, in milliseconds since the
 * trace started, non-decreasing. The first arrival is where watching starts.
 */
public final class Trace {

	static final String HEADER = "# faultline-trace";

	private final String kind;

	private final long seed;

	private final long intervalMillis;

	private final long crashMillis;

	private final String description;

	private final long[] arrivalMillis;

	/**
	 * Creates a trace, checking the ground truth holds.
	 * @param kind the generator's name for this kind of trace, without spaces
	 * @param seed the seed it was generated from
	 * @param intervalMillis the nominal heartbeat interval
	 * @param crashMillis when the process crashed: every arrival is before it
	 * @param description one line on how the trace was made, or empty
	 * @param arrivalMillis the arrivals, at least one, from 0 up, non-decreasing
	 * @throws IllegalArgumentException if the arrivals contradict the ground truth
	 */
	public Trace(String kind, long seed, long intervalMillis, long crashMillis, String description,
			long[] arrivalMillis) {
		if (kind == null || kind.isEmpty() || kind.chars().anyMatch(Character::isWhitespace)) {
			throw new IllegalArgumentException("kind must be a word without spaces, but was '" + kind + "'");
		}
		if (intervalMillis <= 0) {
			throw new IllegalArgumentException("intervalMillis must be greater than 0, but was " + intervalMillis);
		}
		if (arrivalMillis == null || arrivalMillis.length == 0) {
			throw new IllegalArgumentException("a trace needs at least one arrival");
		}
		if (arrivalMillis[0] < 0) {
			throw new IllegalArgumentException("arrivals start at 0 or later, but the first was " + arrivalMillis[0]);
		}
		for (int i = 1; i < arrivalMillis.length; i++) {
			if (arrivalMillis[i] < arrivalMillis[i - 1]) {
				throw new IllegalArgumentException("arrivals must not decrease, but arrival " + i + " at "
						+ arrivalMillis[i] + " ms follows " + arrivalMillis[i - 1] + " ms");
			}
		}
		long last = arrivalMillis[arrivalMillis.length - 1];
		if (crashMillis <= last) {
			throw new IllegalArgumentException("nothing arrives from the crash on, but the crash at " + crashMillis
					+ " ms is not after the last arrival at " + last + " ms");
		}
		this.kind = kind;
		this.seed = seed;
		this.intervalMillis = intervalMillis;
		this.crashMillis = crashMillis;
		this.description = (description != null) ? description.strip() : "";
		this.arrivalMillis = arrivalMillis.clone();
	}

	/**
	 * Reads a trace saved by {@link #write(Path)}.
	 * @param file the file
	 * @return the trace
	 * @throws UncheckedIOException if the file cannot be read
	 * @throws IllegalArgumentException if it is not a trace
	 */
	public static Trace read(Path file) {
		try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
			String header = reader.readLine();
			if (header == null || !header.startsWith(HEADER + " ")) {
				throw new IllegalArgumentException(file + " is not a trace: its first line must start with '"
						+ HEADER + "', but was '" + header + "'");
			}
			Map<String, String> fields = fields(header.substring(HEADER.length()));
			StringBuilder description = new StringBuilder();
			LongStream.Builder arrivals = LongStream.builder();
			String line;
			while ((line = reader.readLine()) != null) {
				if (line.startsWith("#")) {
					description.append(description.isEmpty() ? "" : " ").append(line.substring(1).strip());
				}
				else if (!line.isBlank()) {
					arrivals.add(Long.parseLong(line.strip()));
				}
			}
			return new Trace(field(fields, "kind", file), Long.parseLong(field(fields, "seed", file)),
					Long.parseLong(field(fields, "interval-ms", file)), Long.parseLong(field(fields, "crash-ms", file)),
					description.toString(), arrivals.build().toArray());
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not read the trace " + file, ex);
		}
	}

	private static Map<String, String> fields(String header) {
		Map<String, String> fields = new LinkedHashMap<>();
		for (String pair : header.strip().split("\\s+")) {
			int equals = pair.indexOf('=');
			if (equals > 0) {
				fields.put(pair.substring(0, equals), pair.substring(equals + 1));
			}
		}
		return fields;
	}

	private static String field(Map<String, String> fields, String name, Path file) {
		String value = fields.get(name);
		if (value == null) {
			throw new IllegalArgumentException(file + " is not a trace: its header has no " + name + "=");
		}
		return value;
	}

	/**
	 * Saves the trace as plain text, replacing any file there.
	 * @param file the file
	 * @throws UncheckedIOException if it cannot be written
	 */
	public void write(Path file) {
		try {
			Files.writeString(file, text(), StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not write the trace " + file, ex);
		}
	}

	/**
	 * Returns the trace as saved by {@link #write(Path)}.
	 * @return the file's content
	 */
	public String text() {
		StringBuilder text = new StringBuilder(this.arrivalMillis.length * 10 + 200);
		text.append(HEADER).append(" kind=").append(this.kind).append(" seed=").append(this.seed)
			.append(" interval-ms=").append(this.intervalMillis).append(" crash-ms=").append(this.crashMillis)
			.append('\n');
		if (!this.description.isEmpty()) {
			text.append("# ").append(this.description).append('\n');
		}
		for (long arrival : this.arrivalMillis) {
			text.append(arrival).append('\n');
		}
		return text.toString();
	}

	public String kind() {
		return this.kind;
	}

	public long seed() {
		return this.seed;
	}

	public long intervalMillis() {
		return this.intervalMillis;
	}

	public Duration interval() {
		return Duration.ofMillis(this.intervalMillis);
	}

	public long crashMillis() {
		return this.crashMillis;
	}

	public String description() {
		return this.description;
	}

	/**
	 * Returns how many heartbeats arrived.
	 * @return the number of arrivals
	 */
	public int size() {
		return this.arrivalMillis.length;
	}

	/**
	 * Returns one arrival.
	 * @param index from 0 to {@link #size()} − 1
	 * @return its time in milliseconds since the trace started
	 */
	public long arrivalMillis(int index) {
		return this.arrivalMillis[index];
	}

	/**
	 * Returns the silences the monitor lived through before the crash: every interval
	 * between arrivals, then the time from the last arrival to the crash.
	 * @return the gaps in milliseconds, in order
	 */
	public long[] gapsMillis() {
		long[] gaps = new long[this.arrivalMillis.length];
		for (int i = 1; i < this.arrivalMillis.length; i++) {
			gaps[i - 1] = this.arrivalMillis[i] - this.arrivalMillis[i - 1];
		}
		gaps[gaps.length - 1] = this.crashMillis - this.arrivalMillis[this.arrivalMillis.length - 1];
		return gaps;
	}

	/**
	 * Returns how long the process was watched alive: from the first arrival to the
	 * crash.
	 * @return the time in milliseconds
	 */
	public long watchedMillis() {
		return this.crashMillis - this.arrivalMillis[0];
	}

	@Override
	public boolean equals(Object other) {
		return (other instanceof Trace that) && this.kind.equals(that.kind) && this.seed == that.seed
				&& this.intervalMillis == that.intervalMillis && this.crashMillis == that.crashMillis
				&& this.description.equals(that.description) && Arrays.equals(this.arrivalMillis, that.arrivalMillis);
	}

	@Override
	public int hashCode() {
		return 31 * this.kind.hashCode() + Arrays.hashCode(this.arrivalMillis);
	}

	@Override
	public String toString() {
		return "Trace[kind=" + this.kind + ", seed=" + this.seed + ", arrivals=" + this.arrivalMillis.length
				+ ", crash=" + Duration.ofMillis(this.crashMillis) + "]";
	}

}
