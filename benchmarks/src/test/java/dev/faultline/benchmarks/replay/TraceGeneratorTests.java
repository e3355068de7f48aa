package dev.faultline.benchmarks.replay;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for the {@link TraceGenerator}s that {@link DetectionReplay} replays.
 */
class TraceGeneratorTests {

	private static final long CRASH_MILLIS = DetectionReplay.UNTIL_CRASH.toMillis();

	@TempDir
	Path folder;

	static Stream<TraceGenerator> generators() {
		return DetectionReplay.traces().stream();
	}

	@ParameterizedTest
	@MethodSource("generators")
	void generateWhenSameSeedShouldWriteIdenticalFiles(TraceGenerator generator) throws IOException {
		Path first = this.folder.resolve("first.txt");
		Path second = this.folder.resolve("second.txt");
		generator.generate(42).write(first);
		generator.generate(42).write(second);
		assertThat(Files.mismatch(first, second)).isEqualTo(-1L);
	}

	@ParameterizedTest
	@MethodSource("generators")
	void generateWhenOtherSeedShouldGiveOtherArrivals(TraceGenerator generator) {
		assertThat(generator.generate(43).text()).isNotEqualTo(generator.generate(42).text());
	}

	@ParameterizedTest
	@MethodSource("generators")
	void generateShouldCrashAtTheStatedTimeWithNothingAfterIt(TraceGenerator generator) {
		Trace trace = generator.generate(DetectionReplay.SEED);
		assertThat(trace.kind()).isEqualTo(generator.kind());
		assertThat(trace.crashMillis()).isEqualTo(CRASH_MILLIS);
		assertThat(trace.text()).startsWith(Trace.HEADER + " kind=" + generator.kind() + " seed="
				+ DetectionReplay.SEED + " interval-ms=1000 crash-ms=" + CRASH_MILLIS + "\n");
		assertThat(trace.arrivalMillis(0)).isZero();
		long last = trace.arrivalMillis(trace.size() - 1);
		// alive until the crash: the last heartbeat is at most one interval plus a pause or delay before it
		assertThat(last).isLessThan(CRASH_MILLIS).isGreaterThan(CRASH_MILLIS - 4_100);
		for (int i = 1; i < trace.size(); i++) {
			assertThat(trace.arrivalMillis(i)).isGreaterThanOrEqualTo(trace.arrivalMillis(i - 1));
		}
	}

	@Test
	void steadyIntervalsShouldStayWithinOnePercent() {
		assertThat(boxed(intervals("steady"))).allSatisfy((interval) -> assertThat(interval).isBetween(990L, 1010L));
	}

	@Test
	void jitteryIntervalsShouldStayWithinThirtyPercentAndUseTheRange() {
		long[] intervals = intervals("jittery");
		assertThat(boxed(intervals)).allSatisfy((interval) -> assertThat(interval).isBetween(700L, 1300L));
		assertThat(Arrays.stream(intervals).min().getAsLong()).isLessThan(710);
		assertThat(Arrays.stream(intervals).max().getAsLong()).isGreaterThan(1290);
	}

	@Test
	void pausedIntervalsShouldBeSteadyExceptForPausesOfTheirStatedLength() {
		long[] intervals = intervals("paused");
		long[] stretched = Arrays.stream(intervals).filter((interval) -> interval > 1010).toArray();
		long[] steady = Arrays.stream(intervals).filter((interval) -> interval <= 1010).toArray();
		assertThat(boxed(steady)).allSatisfy((interval) -> assertThat(interval).isBetween(990L, 1010L));
		// a pause of 1.5–2.5 s stretches one interval to at least its own length, at most by it
		assertThat(boxed(stretched)).allSatisfy((interval) -> assertThat(interval).isBetween(1500L, 2500L + 1010L));
		// one pause every 2 to 6 minutes of 10 hours
		assertThat(stretched.length).isBetween(100, 300);
	}

	@Test
	void burstyIntervalsShouldBeBoundedByTheLongestDelay() {
		long[] intervals = intervals("bursty");
		assertThat(boxed(intervals)).allSatisfy((interval) -> assertThat(interval).isBetween(0L, 1010L + 3000L));
		// delayed heartbeats hold back the next ones, which then arrive close together
		assertThat(Arrays.stream(intervals).filter((interval) -> interval < 500).count()).isGreaterThan(100);
		assertThat(Arrays.stream(intervals).filter((interval) -> interval > 2000).count()).isGreaterThan(10);
	}

	@Test
	void lossyIntervalsShouldBeWholeNumbersOfIntervalsAboutOneInFiftyLonger() {
		long[] intervals = intervals("lossy");
		// k intervals of 1000 ms ± 1 % each
		assertThat(boxed(intervals)).allSatisfy((interval) -> {
			long k = Math.round(interval / 1000.0);
			assertThat(interval).isBetween(990 * k, 1010 * k);
		});
		long lost = Arrays.stream(intervals).filter((interval) -> interval > 1500).count();
		assertThat((double) lost / intervals.length).isBetween(0.015, 0.025);
		assertThat(Arrays.stream(intervals).filter((interval) -> interval > 2500).count()).isPositive();
	}

	@Test
	void heavyTailedIntervalsShouldBeMostlySteadyWithRareLongOnes() {
		long[] intervals = intervals("heavy-tailed");
		long steady = Arrays.stream(intervals).filter((interval) -> interval >= 900 && interval <= 1100).count();
		assertThat((double) steady / intervals.length).isGreaterThan(0.9);
		assertThat(Arrays.stream(intervals).max().getAsLong()).isGreaterThan(2000);
	}

	@Test
	void shiftedIntervalsShouldBeSteadyForFiveHoursThenJittery() {
		Trace trace = generators().filter((generator) -> generator.kind().equals("shifted"))
			.findFirst()
			.orElseThrow()
			.generate(DetectionReplay.SEED);
		long half = CRASH_MILLIS / 2;
		for (int i = 1; i < trace.size(); i++) {
			long interval = trace.arrivalMillis(i) - trace.arrivalMillis(i - 1);
			if (trace.arrivalMillis(i - 1) < half) {
				assertThat(interval).isBetween(990L, 1010L);
			}
			else {
				assertThat(interval).isBetween(700L, 1300L);
			}
		}
	}

	@ParameterizedTest
	@MethodSource("generators")
	void savedHeldOutTraceShouldBeWhatItsGeneratorMakesFromTheHeldOutSeed(TraceGenerator generator) {
		Path saved = Path.of("traces", "held-out", generator.kind() + ".txt");
		assertThat(saved).exists();
		Trace trace = Trace.read(saved);
		assertThat(trace.seed()).isEqualTo(DetectionReplay.HELD_OUT_SEED);
		assertThat(trace).isEqualTo(generator.generate(trace.seed()));
	}

	@ParameterizedTest
	@MethodSource("generators")
	void savedTraceShouldBeWhatItsGeneratorMakesFromItsSeed(TraceGenerator generator) {
		Path saved = Path.of("traces", generator.kind() + ".txt");
		assertThat(saved).exists();
		Trace trace = Trace.read(saved);
		assertThat(trace).isEqualTo(generator.generate(trace.seed()));
	}

	private static List<Long> boxed(long[] values) {
		return Arrays.stream(values).boxed().toList();
	}

	private static long[] intervals(String kind) {
		Trace trace = generators().filter((generator) -> generator.kind().equals(kind))
			.findFirst()
			.orElseThrow()
			.generate(DetectionReplay.SEED);
		long[] gaps = trace.gapsMillis();
		// the last gap runs to the crash, not to a heartbeat
		return Arrays.copyOf(gaps, gaps.length - 1);
	}

}
