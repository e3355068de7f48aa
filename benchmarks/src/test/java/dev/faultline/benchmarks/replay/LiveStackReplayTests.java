package dev.faultline.benchmarks.replay;

import java.time.Duration;
import java.util.stream.LongStream;

import dev.faultline.detector.DetectorType;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Tests for {@link LiveStackReplay}: the whole peer path agrees with the bare detector
 * where it should, and its own parts (the link's tick, the sampling rule, the start of
 * watching) show where they should.
 */
class LiveStackReplayTests {

	private static final DetectorPolicy DEFAULT = DetectorPolicy.faultlineDefault("default", "adaptive",
			DetectorType.ADAPTIVE);

	@Test
	void steadyPeerOnTheLivePathIsDetectedAsFastAsByTheBareDetectorWithinTenPercent() {
		Trace trace = new JitterTraceGenerator("steady", Duration.ofSeconds(1), 0.01, Duration.ofHours(2)).generate(7);

		ReplayResult bare = Replay.run(trace, DEFAULT);
		ReplayResult live = LiveStackReplay.run(trace, DEFAULT);

		assertThat(live.meanDetectionSeconds()).isCloseTo(bare.meanDetectionSeconds(),
				within(bare.meanDetectionSeconds() * 0.10));
		assertThat(live.mistakes()).isEqualTo(bare.mistakes());
	}

	@Test
	void silenceThatTheDetectorSuspectsOpensTheLinkedCircuitOnceAndIsAMistake() {
		// ten minutes at 1 s, a silence of 30 s, ten more minutes, the crash 500 ms later
		long[] arrivals = LongStream
			.concat(LongStream.rangeClosed(0, 600).map((i) -> i * 1000),
					LongStream.rangeClosed(0, 600).map((i) -> 630_000 + i * 1000))
			.toArray();
		Trace trace = new Trace("gap", 1, 1000, arrivals[arrivals.length - 1] + 500, "", arrivals);

		ReplayResult live = LiveStackReplay.run(trace, DEFAULT);

		assertThat(live.mistakes()).isEqualTo(1);
		assertThat(live.detectionAtCrashSeconds()).isFinite().isGreaterThan(0);
	}

	@Test
	void linkActsOnTheMonitorsTickSoDetectionIsNeverEarlierThanTheBareDetectors() {
		Trace trace = new JitterTraceGenerator("steady", Duration.ofSeconds(1), 0.01, Duration.ofMinutes(30))
			.generate(11);

		ReplayResult bare = Replay.run(trace, DEFAULT);
		ReplayResult live = LiveStackReplay.run(trace, DEFAULT);

		assertThat(live.meanDetectionSeconds()).isGreaterThanOrEqualTo(bare.meanDetectionSeconds() - 1e-9);
		// at most one tick (100 ms at 1 s heartbeats) later on average
		assertThat(live.meanDetectionSeconds()).isLessThanOrEqualTo(bare.meanDetectionSeconds() + 0.1);
	}

}
