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
import dev.faultline.peer.PeerRegistry;
import dev.faultline.peer.ProbeResult;
import org.junit.jupiter.api.Test;

import org.springframework.boot.actuate.health.CompositeHealthContributor;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.actuate.health.NamedContributor;
import org.springframework.boot.actuate.health.Status;

import static org.assertj.core.api.Assertions.assertThat;

class PeerInstanceHealthIndicatorTests {

	private final ManualClock clock = new ManualClock();

	private final PeerInstance instance = instance("primary", "http://user:secret@127.0.0.1:8081/pay?key=abc");

	@Test
	void instanceHeardFromIsUpWithTheDetectorsFigures() {
		for (int i = 0; i < 5; i++) {
			this.clock.advance(Duration.ofSeconds(1));
			this.instance.heartbeat(HeartbeatKind.ACTIVE);
		}
		this.instance.heartbeat(HeartbeatKind.PASSIVE);
		this.clock.advance(Duration.ofMillis(250));

		Health health = new PeerInstanceHealthIndicator(new Peer("payment", List.of(this.instance)), this.instance, false).health();

		assertThat(health.getStatus()).isEqualTo(Status.UP);
		Map<String, Object> details = health.getDetails();
		assertThat(details).containsEntry("available", true)
			.containsEntry("threshold", 8.0)
			.containsEntry("sinceLastHeartbeatMs", 250L)
			.containsEntry("samples", 7)
			.containsEntry("mode", "hybrid")
			.containsEntry("heartbeats", Map.of("active", 5L, "passive", 1L))
			.containsEntry("failedProbes", 0L)
			.containsKeys("phi", "meanIntervalMs", "stdDeviationMs");
		assertThat((double) details.get("phi")).isBetween(0.0, 1.0);
	}

	@Test
	void lastProbeIsShownOnceAProbeWasAnswered() {
		HealthIndicator indicator = new PeerInstanceHealthIndicator(new Peer("payment", List.of(this.instance)),
				this.instance, false);
		assertThat(indicator.health().getDetails()).doesNotContainKey("lastProbe");

		this.instance.probed(ProbeResult.answered(404));
		assertThat(indicator.health().getDetails()).containsEntry("lastProbe", "HTTP 404");

		this.instance.probed(ProbeResult.noAnswer("connection refused"));
		assertThat(indicator.health().getDetails()).containsEntry("lastProbe", "connection refused");
	}

	@Test
	void urlInDetailsCarriesNoCredentialsOrQuery() {
		Health health = new PeerInstanceHealthIndicator(new Peer("payment", List.of(this.instance)), this.instance, false).health();

		assertThat(health.getDetails()).containsEntry("url", "http://127.0.0.1:8081/pay");
		assertThat(health.toString()).doesNotContain("secret").doesNotContain("key=abc");
	}

	@Test
	void suspectedInstanceIsSuspectedNotDown() {
		this.clock.advance(Duration.ofSeconds(30));

		Health health = new PeerInstanceHealthIndicator(new Peer("payment", List.of(this.instance)), this.instance, false).health();

		assertThat(health.getStatus()).isEqualTo(PeerInstanceHealthIndicator.SUSPECTED);
		assertThat(health.getDetails()).containsEntry("available", false);
	}

	@Test
	void suspectedInstanceWhenAskedIsDown() {
		this.clock.advance(Duration.ofSeconds(30));

		assertThat(new PeerInstanceHealthIndicator(new Peer("payment", List.of(this.instance)), this.instance, true).health().getStatus()).isEqualTo(Status.DOWN);
	}

	@Test
	void peerWithSeveralInstancesHasOneComponentPerInstance() {
		PeerInstance standby = instance("standby-1", "http://127.0.0.1:8082");
		PeerRegistry registry = new PeerRegistry(List.of(new Peer("payment", List.of(this.instance, standby))));

		CompositeHealthContributor peers = PeersHealthContributor.of(registry, false);

		assertThat(peers).extracting(NamedContributor::getName).containsExactly("payment");
		CompositeHealthContributor payment = (CompositeHealthContributor) peers.getContributor("payment");
		assertThat(payment).extracting(NamedContributor::getName).containsExactly("primary", "standby-1");
		assertThat(((HealthIndicator) payment.getContributor("standby-1")).health().getDetails())
			.containsEntry("url", "http://127.0.0.1:8082");
	}

	private PeerInstance instance(String name, String uri) {
		return new PeerInstance("payment", name, URI.create(uri),
				new HeartbeatSettings("/health", Duration.ofSeconds(1), Duration.ofMillis(500), HeartbeatMode.HYBRID),
				new PhiAccrualFailureDetector(PhiAccrualSettings.DEFAULTS, this.clock), this.clock,
				new LocalPauseWatch(Duration.ofMillis(100), Duration.ofMillis(500)));
	}

}
