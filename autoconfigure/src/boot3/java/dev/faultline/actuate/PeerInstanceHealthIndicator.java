package dev.faultline.actuate;

import dev.faultline.peer.Peer;
import dev.faultline.peer.PeerInstance;

import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.actuate.health.Status;

/**
 * Health of one peer instance as this service sees it: {@code UP} while it is heard from,
 * {@link #SUSPECTED} (or {@code DOWN}, if asked for) once its detector suspects it, with
 * the detector's figures as details ({@link PeerInstanceHealth}).
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
	public static final Status SUSPECTED = new Status(PeerInstanceHealth.SUSPECTED_CODE,
			PeerInstanceHealth.SUSPECTED_DESCRIPTION);

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
		PeerInstanceHealth health = PeerInstanceHealth.of(this.peer, this.instance);
		return Health.status(health.available() ? Status.UP : this.suspectedStatus)
			.withDetails(health.details())
			.build();
	}

}
