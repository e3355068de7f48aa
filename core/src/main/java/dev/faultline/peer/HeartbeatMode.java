package dev.faultline.peer;

/**
 * Where a peer's heartbeats come from.
 */
public enum HeartbeatMode {

	/**
	 * A probe of the peer's heartbeat path every interval, whatever the traffic.
	 */
	ACTIVE,

	/**
	 * Only the responses that this service's own HTTP traffic gets from the peer; no
	 * probes.
	 */
	PASSIVE,

	/**
	 * Responses to traffic, plus a probe whenever no response arrived within the
	 * interval, so a busy peer costs no probes and an idle one is still watched.
	 */
	HYBRID

}
