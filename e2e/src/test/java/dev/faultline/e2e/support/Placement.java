package dev.faultline.e2e.support;

import java.time.Duration;

/**
 * The answer to {@code POST /orders}, whatever its status.
 *
 * @param status the HTTP status
 * @param order the order, or {@code null} unless the status is 2xx
 * @param elapsed how long the caller waited for the answer
 */
public record Placement(int status, Order order, Duration elapsed) {

	public boolean isServerError() {
		return this.status >= 500;
	}

}
