package dev.faultline.peer;

import java.time.Duration;
import java.util.Objects;

/**
 * How a peer is probed and how often it is expected to be heard from.
 *
 * @param path the path probed on each instance, such as {@code /actuator/health/liveness}
 * @param interval the heartbeat cadence: probes are sent this often and traffic feeds the
 * detector at most once per interval
 * @param timeout how long a probe may take before it counts as missed
 * @param mode where heartbeats come from
 */
public record HeartbeatSettings(String path, Duration interval, Duration timeout, HeartbeatMode mode) {

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
	}

	private static void requirePositive(String name, Duration value) {
		if (value == null || value.isNegative() || value.isZero()) {
			throw new IllegalArgumentException("Heartbeat " + name + " must be positive, was " + value);
		}
	}

}
