package dev.faultline.peer;

/**
 * How a peer's requests are spread over its instances.
 */
public enum Routing {

	/**
	 * Every request to the active instance: the first, the primary, until it is suspected,
	 * then the first available standby.
	 */
	FAILOVER,

	/**
	 * Each request to one of the available instances: of two picked at random, the one
	 * with fewer requests in flight. A suspected instance gets none until it is available
	 * again.
	 */
	BALANCED

}
