package dev.faultline.peer;

import java.time.Duration;
import java.util.Objects;
import java.util.Set;

/**
 * How a peer is probed, how often it is expected to be heard from, and which answers are
 * heartbeats.
 *
 * <p>
 * A heartbeat means "the process answered". A probe's 2xx is a heartbeat and a health
 * answer. Any other status below 500 (a 404 where the peer serves no health endpoint, a
 * 401 or 403 where it is secured, a 405, a redirect) also proves the process is there
 * and is a heartbeat, though no health answer. A 5xx is not: a health endpoint that says
 * the peer is down answers 503 (Spring Boot) or 500, and a proxy in front of a dead peer
 * answers 502, 503 or 504 for it. A response to traffic is a heartbeat whatever its
 * status except the gateway statuses: a 500 from the peer's own code still proves it
 * runs. A timeout or a refused connection is never a heartbeat.
 *
 * @param path the path probed on each instance, such as {@code /actuator/health/liveness}
 * @param interval the heartbeat cadence: probes are sent this often and at most one
 * heartbeat per interval feeds the detector
 * @param timeout how long a probe may take before it counts as missed
 * @param mode where heartbeats come from
 * @param gatewayStatuses the statuses that a gateway in front of a peer answers for it
 * when the peer is gone, which therefore are never heartbeats
 */
public record HeartbeatSettings(String path, Duration interval, Duration timeout, HeartbeatMode mode,
		Set<Integer> gatewayStatuses) {

	/** The statuses a proxy, sidecar or ingress answers for a peer it cannot reach. */
	public static final Set<Integer> DEFAULT_GATEWAY_STATUSES = Set.of(502, 503, 504);

	/**
	 * Checks the values; {@code FaultlineProperties} reports bad configuration with the
	 * property's name before this is reached.
	 */
	public HeartbeatSettings {
		Objects.requireNonNull(path, "path");
		Objects.requireNonNull(mode, "mode");
		if (!path.startsWith("/")) {
			throw new IllegalArgumentException("Heartbeat path must start with '/', was '" + path + "'");
		}
		requirePositive("interval", interval);
		requirePositive("timeout", timeout);
		gatewayStatuses = Set.copyOf(gatewayStatuses);
		for (int status : gatewayStatuses) {
			if (status < 300 || status > 599) {
				throw new IllegalArgumentException("Gateway statuses must be between 300 and 599, was " + status);
			}
		}
	}

	/**
	 * Creates settings with the {@link #DEFAULT_GATEWAY_STATUSES}.
	 * @param path the path probed on each instance
	 * @param interval the heartbeat cadence
	 * @param timeout how long a probe may take before it counts as missed
	 * @param mode where heartbeats come from
	 */
	public HeartbeatSettings(String path, Duration interval, Duration timeout, HeartbeatMode mode) {
		this(path, interval, timeout, mode, DEFAULT_GATEWAY_STATUSES);
	}

	/**
	 * Returns whether a probe's answer is a heartbeat.
	 * @param result what the probe got
	 * @return {@code true} for any status below 500 that is not a gateway status
	 */
	public boolean isHeartbeat(ProbeResult result) {
		return result.isAnswered() && result.status() < 500 && !this.gatewayStatuses.contains(result.status());
	}

	/**
	 * Returns whether a probe's answer is a health endpoint's "alive": a 2xx.
	 * @param result what the probe got
	 * @return {@code true} for a 2xx
	 */
	public boolean isHealthAnswer(ProbeResult result) {
		return result.isAnswered() && result.status() / 100 == 2;
	}

	/**
	 * Returns whether a response to this service's own traffic is a heartbeat.
	 * @param status the response's status
	 * @return {@code true} unless it is a gateway status
	 */
	public boolean isHeartbeat(int status) {
		return !this.gatewayStatuses.contains(status);
	}

	private static void requirePositive(String name, Duration value) {
		if (value == null || value.isNegative() || value.isZero()) {
			throw new IllegalArgumentException("Heartbeat " + name + " must be positive, was " + value);
		}
	}

}
