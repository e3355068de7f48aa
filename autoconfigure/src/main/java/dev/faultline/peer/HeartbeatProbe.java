package dev.faultline.peer;

import java.util.concurrent.CompletableFuture;

/**
 * Sends one probe to a peer instance. Declare a bean of this type to probe by other
 * means than HTTP.
 */
@FunctionalInterface
public interface HeartbeatProbe {

	/**
	 * Probes the instance without blocking the caller.
	 * @param instance the instance to probe
	 * @return completes with {@code true} when the instance answered successfully within
	 * its heartbeat timeout, with {@code false} (or exceptionally) otherwise
	 */
	CompletableFuture<Boolean> probe(PeerInstance instance);

}
