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
	 * @return completes with what the instance answered within its heartbeat timeout, or
	 * with {@link ProbeResult#noAnswer(String)} (or exceptionally) when it did not
	 */
	CompletableFuture<ProbeResult> probe(PeerInstance instance);

}
