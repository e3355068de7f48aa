package dev.faultline.actuate;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import dev.faultline.detector.ManualClock;
import dev.faultline.detector.PhiAccrualFailureDetector;
import dev.faultline.detector.PhiAccrualSettings;
import dev.faultline.peer.HeartbeatKind;
import dev.faultline.peer.HeartbeatMode;
import dev.faultline.peer.HeartbeatSettings;
import dev.faultline.peer.LocalPauseWatch;
import dev.faultline.peer.Peer;
import dev.faultline.peer.PeerInstance;
import dev.faultline.peer.ProbeResult;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What both Boot lines' health indicators report of a peer instance.
 */
class PeerInstanceHealthTests {

	private final ManualClock clock = new ManualClock();

	private final PeerInstance instance = instance("primary", "http://user:secret@127.0.0.1:8081/pay?key=abc");

	@Test
	void instanceHeardFromIsAvailableWithTheDetectorsFigures() {
		for (int i = 0; i < 5; i++) {
			this.clock.advance(Duration.ofSeconds(1));
			this.instance.heartbeat(HeartbeatKind.ACTIVE);
		}
		this.instance.heartbeat(HeartbeatKind.PASSIVE);
		this.clock.advance(Duration.ofMillis(250));

		PeerInstanceHealth health = health();

		assertThat(health.available()).isTrue();
		assertThat(health.details()).containsEntry("available", true)
			.containsEntry("threshold", 8.0)
			.containsEntry("sinceLastHeartbeatMs", 250L)
			.containsEntry("samples", 7)
			.containsEntry("mode", "hybrid")
			.containsEntry("heartbeats", Map.of("active", 5L, "passive", 1L))
			.containsEntry("failedProbes", 0L)
			.containsKeys("phi", "meanIntervalMs", "stdDeviationMs");
		assertThat((double) health.details().get("phi")).isBetween(0.0, 1.0);
	}

	@Test
	void lastProbeIsShownOnceAProbeWasAnswered() {
		assertThat(health().details()).doesNotContainKey("lastProbe");

		this.instance.probed(ProbeResult.answered(404));
		assertThat(health().details()).containsEntry("lastProbe", "HTTP 404");

		this.instance.probed(ProbeResult.noAnswer("connection refused"));
		assertThat(health().details()).containsEntry("lastProbe", "connection refused");
	}

	@Test
	void urlInDetailsCarriesNoCredentialsOrQuery() {
		PeerInstanceHealth health = health();

		assertThat(health.details()).containsEntry("url", "http://127.0.0.1:8081/pay");
		assertThat(health.toString()).doesNotContain("secret").doesNotContain("key=abc");
	}

	@Test
	void silentInstanceIsNotAvailable() {
		this.clock.advance(Duration.ofSeconds(30));

		assertThat(health().available()).isFalse();
		assertThat(health().details()).containsEntry("available", false);
	}

	private PeerInstanceHealth health() {
		return PeerInstanceHealth.of(new Peer("payment", List.of(this.instance)), this.instance);
	}

	private PeerInstance instance(String name, String uri) {
		return new PeerInstance("payment", name, URI.create(uri),
				new HeartbeatSettings("/health", Duration.ofSeconds(1), Duration.ofMillis(500), HeartbeatMode.HYBRID),
				new PhiAccrualFailureDetector(PhiAccrualSettings.DEFAULTS, this.clock), this.clock,
				new LocalPauseWatch(Duration.ofMillis(100), Duration.ofMillis(500)));
	}

}
