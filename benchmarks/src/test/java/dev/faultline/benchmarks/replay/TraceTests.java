package dev.faultline.benchmarks.replay;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tests for {@link Trace}.
 */
class TraceTests {

	@TempDir
	Path folder;

	@Test
	void readWhenWrittenShouldGiveTheSameTrace() {
		Trace trace = new Trace("tiny", 7, 1000, 5500, "made by hand", new long[] { 0, 1000, 2000, 4000, 5000 });
		Path file = this.folder.resolve("tiny.txt");
		trace.write(file);
		assertThat(Trace.read(file)).isEqualTo(trace);
	}

	@Test
	void textShouldBeTheHeaderThenOneArrivalALine() {
		Trace trace = new Trace("tiny", 7, 1000, 2500, "made by hand", new long[] { 0, 1000, 2000 });
		assertThat(trace.text()).isEqualTo("""
				# faultline-trace kind=tiny seed=7 interval-ms=1000 crash-ms=2500
				# made by hand
				0
				1000
				2000
				""");
	}

	@Test
	void gapsShouldEndWithTheSilenceBeforeTheCrash() {
		Trace trace = new Trace("tiny", 7, 1000, 5500, "", new long[] { 0, 1000, 2000, 4000, 5000 });
		assertThat(trace.gapsMillis()).containsExactly(1000, 1000, 2000, 1000, 500);
		assertThat(trace.watchedMillis()).isEqualTo(5500);
	}

	@Test
	void createWhenAnArrivalIsNotBeforeTheCrashShouldFail() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new Trace("tiny", 7, 1000, 2000, "", new long[] { 0, 1000, 2000 }))
			.withMessageContaining("crash at 2000 ms is not after the last arrival at 2000 ms");
	}

	@Test
	void createWhenArrivalsDecreaseShouldFail() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new Trace("tiny", 7, 1000, 5000, "", new long[] { 0, 2000, 1000 }))
			.withMessageContaining("arrival 2 at 1000 ms follows 2000 ms");
	}

	@Test
	void readWhenNoHeaderShouldSayWhatIsExpected() throws IOException {
		Path file = Files.writeString(this.folder.resolve("plain.txt"), "0\n1000\n");
		assertThatIllegalArgumentException().isThrownBy(() -> Trace.read(file))
			.withMessageContaining("first line must start with '# faultline-trace'");
	}

}
