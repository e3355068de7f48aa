package dev.faultline.actuate;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import dev.faultline.detector.DetectorSnapshot;
import dev.faultline.peer.HeartbeatKind;
import dev.faultline.peer.Peer;
import dev.faultline.peer.PeerInstance;
import dev.faultline.peer.ProbeResult;

import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.actuate.health.Status;

/**
 * Health of one peer instance as this service sees it: {@code UP} while it is heard from,
 * {@link #SUSPECTED} (or {@code DOWN}, if asked for) once its detector suspects it, with
 * the detector's figures as details.
 *
 * <p>
 * {@code SUSPECTED} is deliberately not {@code DOWN}: health aggregation ignores a status
 * it does not know and maps it to HTTP 200, so a downstream outage is shown in detail
 * without failing this service's own health and getting it restarted or taken out of the
 * load balancer.
 */
public final class PeerInstanceHealthIndicator implements HealthIndicator {

	/**
	 * The status of a peer instance that its failure detector suspects.
	 */
	public static final Status SUSPECTED = new Status("SUSPECTED", "No heartbeat for longer than the detector accepts");

	private final Peer peer;

	private final PeerInstance instance;

	private final Status suspectedStatus;

	/**
	 * Creates an indicator for one instance.
	 * @param peer the peer the instance belongs to
	 * @param instance the instance
	 * @param downWhenSuspected whether a suspected instance is reported {@code DOWN}
	 */
	public PeerInstanceHealthIndicator(Peer peer, PeerInstance instance, boolean downWhenSuspected) {
		this.peer = peer;
		this.instance = instance;
		this.suspectedStatus = downWhenSuspected ? Status.DOWN : SUSPECTED;
	}

	@Override
	public Health health() {
		DetectorSnapshot snapshot = this.instance.snapshot();
		boolean available = this.instance.isAvailable();
		Map<String, Object> details = new LinkedHashMap<>();
		details.put("url", this.instance.displayUri());
		details.put("available", available);
		details.put("active", this.peer.isActive(this.instance));
		details.put("phi", round(snapshot.phi()));
		details.put("threshold", snapshot.threshold());
		details.put("sinceLastHeartbeatMs", snapshot.sinceLastHeartbeat().toMillis());
		// before any interval is learned the detector's figures are assumptions, not measurements
		if (snapshot.meanInterval() != null && snapshot.sampleCount() > 0) {
			details.put("meanIntervalMs", millis(snapshot.meanInterval().toNanos()));
			details.put("stdDeviationMs", millis(snapshot.stdDeviation().toNanos()));
		}
		details.put("samples", snapshot.sampleCount());
		details.put("mode", this.instance.getHeartbeat().mode().name().toLowerCase(Locale.ROOT));
		Map<String, Long> heartbeats = new LinkedHashMap<>();
		heartbeats.put("active", this.instance.heartbeats(HeartbeatKind.ACTIVE));
		heartbeats.put("passive", this.instance.heartbeats(HeartbeatKind.PASSIVE));
		details.put("heartbeats", heartbeats);
		details.put("failedProbes", this.instance.failedProbes());
		ProbeResult lastProbe = this.instance.lastProbe();
		if (lastProbe != null) {
			details.put("lastProbe", lastProbe.toString());
		}
		return Health.status(available ? Status.UP : this.suspectedStatus).withDetails(details).build();
	}

	private static double round(double value) {
		return Math.round(value * 1000.0) / 1000.0;
	}

	private static double millis(long nanos) {
		return round(nanos / 1_000_000.0);
	}

}
