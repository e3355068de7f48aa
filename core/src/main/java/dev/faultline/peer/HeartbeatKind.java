package dev.faultline.peer;

/**
 * How one heartbeat reached us.
 */
public enum HeartbeatKind {

	/**
	 * A successful answer to one of our probes.
	 */
	ACTIVE,

	/**
	 * A response to this service's own traffic to the peer.
	 */
	PASSIVE

}
