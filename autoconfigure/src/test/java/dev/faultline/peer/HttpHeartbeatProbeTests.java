package dev.faultline.peer;

import java.net.URI;
import java.time.Duration;

import dev.faultline.detector.MonotonicClock;
import dev.faultline.detector.PhiAccrualFailureDetector;
import dev.faultline.detector.PhiAccrualSettings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class HttpHeartbeatProbeTests {

	private final TestPeerServer server = TestPeerServer.start();

	private final HttpHeartbeatProbe probe = new HttpHeartbeatProbe(Duration.ofMillis(300));

	@AfterEach
	void stopServer() {
		this.server.close();
	}

	@Test
	void probeWhenPeerAnswers2xxIsAHeartbeat() {
		assertThat(this.probe.probe(instanceAt(this.server.uri())).join()).isTrue();
		assertThat(this.server.requests()).isEqualTo(1);
	}

	@Test
	void probeWhenPeerAnswers503IsNoHeartbeat() {
		this.server.answer(503);

		assertThat(this.probe.probe(instanceAt(this.server.uri())).join()).isFalse();
	}

	@Test
	void probeWhenConnectionRefusedIsNoHeartbeat() {
		URI uri = this.server.uri();
		this.server.stop();

		assertThat(this.probe.probe(instanceAt(uri)).join()).isFalse();
	}

	@Test
	void probeWhenPeerHangsIsNoHeartbeatAfterTheTimeout() {
		this.server.hang();
		long start = System.nanoTime();

		assertThat(this.probe.probe(instanceAt(this.server.uri())).join()).isFalse();
		// Bounded by the timeout, not by the peer: generous slack for a loaded machine.
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
	}

	private static PeerInstance instanceAt(URI uri) {
		HeartbeatSettings settings = new HeartbeatSettings("/actuator/health/liveness", Duration.ofSeconds(1),
				Duration.ofMillis(300), HeartbeatMode.ACTIVE);
		return new PeerInstance("payment", "primary", uri, settings,
				new PhiAccrualFailureDetector(PhiAccrualSettings.DEFAULTS, MonotonicClock.SYSTEM), MonotonicClock.SYSTEM,
				new LocalPauseWatch(Duration.ofMillis(100), Duration.ofMillis(500)));
	}

}
