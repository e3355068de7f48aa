package dev.faultline.sample.payment.fault;

import java.time.Duration;

/**
 * The faults injected into every request on the main port.
 *
 * @param latency added before each request is handled; zero for none
 * @param errorRate probability, from 0 to 1, that a request is answered with a 503 problem
 * instead of being handled
 * @param hang whether requests are held unanswered until the hang is released
 */
public record FaultSettings(Duration latency, double errorRate, boolean hang) {

	/**
	 * No faults: every request is handled as it comes.
	 */
	public static final FaultSettings NONE = new FaultSettings(Duration.ZERO, 0, false);

	public FaultSettings {
		if (latency == null || latency.isNegative()) {
			throw new IllegalArgumentException(
					"latency must be zero or a positive duration such as 500ms or 2s (was " + latency + ")");
		}
		if (!(errorRate >= 0 && errorRate <= 1)) {
			throw new IllegalArgumentException("errorRate must be from 0.0 to 1.0 (was " + errorRate + ")");
		}
	}

}
