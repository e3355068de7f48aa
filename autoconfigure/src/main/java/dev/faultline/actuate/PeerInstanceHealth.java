package dev.faultline.actuate;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import dev.faultline.detector.DetectorSnapshot;
import dev.faultline.peer.HeartbeatKind;
import dev.faultline.peer.Peer;
import dev.faultline.peer.PeerInstance;
import dev.faultline.peer.ProbeResult;

/**
 * Health of one peer instance as this service sees it, in the terms both Spring Boot
 * lines' health indicators report: available or suspected, and the detector's figures as
 * details. URLs carry no user-info or query.
 *
 * @param available whether the instance is available (not suspected)
 * @param details the figures shown as health details
 */
public record PeerInstanceHealth(boolean available, Map<String, Object> details) {

	/** The code of the status of a suspected instance, unless it is reported DOWN. */
	public static final String SUSPECTED_CODE = "SUSPECTED";

	/** The description of that status. */
	public static final String SUSPECTED_DESCRIPTION = "No heartbeat for longer than the detector accepts";

	/**
	 * Reads the health of an instance now.
	 * @param peer the peer the instance belongs to
	 * @param instance the instance
	 * @return its health
	 */
	public static PeerInstanceHealth of(Peer peer, PeerInstance instance) {
		DetectorSnapshot snapshot = instance.snapshot();
		boolean available = instance.isAvailable();
		Map<String, Object> details = new LinkedHashMap<>();
		details.put("url", instance.displayUri());
		details.put("available", available);
		details.put("active", peer.isActive(instance));
		details.put("phi", round(snapshot.phi()));
		details.put("threshold", snapshot.threshold());
		details.put("sinceLastHeartbeatMs", snapshot.sinceLastHeartbeat().toMillis());
		// before any interval is learned the detector's figures are assumptions, not measurements
		if (snapshot.meanInterval() != null && snapshot.sampleCount() > 0) {
			details.put("meanIntervalMs", millis(snapshot.meanInterval().toNanos()));
			details.put("stdDeviationMs", millis(snapshot.stdDeviation().toNanos()));
		}
		details.put("samples", snapshot.sampleCount());
		details.put("mode", instance.getHeartbeat().mode().name().toLowerCase(Locale.ROOT));
		Map<String, Long> heartbeats = new LinkedHashMap<>();
		heartbeats.put("active", instance.heartbeats(HeartbeatKind.ACTIVE));
		heartbeats.put("passive", instance.heartbeats(HeartbeatKind.PASSIVE));
		details.put("heartbeats", heartbeats);
		details.put("failedProbes", instance.failedProbes());
		ProbeResult lastProbe = instance.lastProbe();
		if (lastProbe != null) {
			details.put("lastProbe", lastProbe.toString());
		}
		return new PeerInstanceHealth(available, Collections.unmodifiableMap(details));
	}

	private static double round(double value) {
		return Math.round(value * 1000.0) / 1000.0;
	}

	private static double millis(long nanos) {
		return round(nanos / 1_000_000.0);
	}

}
