package dev.faultline.e2e.support;

import java.time.Duration;

/**
 * The answer to {@code POST /orders}, whatever its status.
 *
 * @param status the HTTP status, or {@value #NO_ANSWER} when the call got no answer (a
 * refused connection, a time-out)
 * @param order the order, or {@code null} unless the status is 2xx
 * @param elapsed how long the caller waited for the answer, or for giving up
 */
public record Placement(int status, Order order, Duration elapsed) {

	/** The status of a placement that got no HTTP answer. */
	public static final int NO_ANSWER = 0;

	/**
	 * Returns a placement that got no HTTP answer.
	 * @param elapsed how long the caller waited before giving up
	 * @return the placement
	 */
	public static Placement unanswered(Duration elapsed) {
		return new Placement(NO_ANSWER, null, elapsed);
	}

	public boolean isServerError() {
		return this.status >= 500;
	}

	public boolean isAnswered() {
		return this.status != NO_ANSWER;
	}

	/**
	 * Returns whether order-service accepted the order: it answers {@code 201} once the
	 * order is stored, whatever its payment's state.
	 * @return whether the order was accepted
	 */
	public boolean isAccepted() {
		return this.status == 201 && this.order != null;
	}

}
