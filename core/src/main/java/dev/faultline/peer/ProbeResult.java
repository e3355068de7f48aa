package dev.faultline.peer;

import java.util.Objects;
import java.util.concurrent.CompletionException;

/**
 * What a probe got back from an instance: an HTTP status, or no answer at all and why.
 * Whether that is a heartbeat is decided by the instance's {@link HeartbeatSettings},
 * not by the probe. A probe by other means than HTTP answers {@code answered(200)} for
 * "alive and well".
 *
 * @param status the HTTP status, or 0 when nothing answered
 * @param failure why nothing answered, such as {@code connection refused}; {@code null}
 * when a status came back
 */
public record ProbeResult(int status, String failure) {

	/**
	 * Checks the values.
	 */
	public ProbeResult {
		if (status == 0) {
			Objects.requireNonNull(failure, "failure");
		}
		else if (status < 100 || status > 599) {
			throw new IllegalArgumentException("HTTP status must be between 100 and 599, was " + status);
		}
	}

	/**
	 * Returns the result of a probe that got an HTTP answer.
	 * @param status its status
	 * @return the result
	 */
	public static ProbeResult answered(int status) {
		return new ProbeResult(status, null);
	}

	/**
	 * Returns the result of a probe that got no answer.
	 * @param failure why, in a few words, such as {@code no answer within 500 ms}
	 * @return the result
	 */
	public static ProbeResult noAnswer(String failure) {
		return new ProbeResult(0, failure);
	}

	/**
	 * Returns the result of a probe that failed with an exception, named by its type and
	 * message.
	 * @param failure what the probe failed with; a {@link CompletionException} is
	 * unwrapped
	 * @return the result
	 */
	public static ProbeResult noAnswer(Throwable failure) {
		Throwable cause = failure;
		while (cause instanceof CompletionException && cause.getCause() != null) {
			cause = cause.getCause();
		}
		String message = cause.getMessage();
		return noAnswer(cause.getClass().getSimpleName() + ((message != null) ? ": " + message : ""));
	}

	/**
	 * Returns whether the instance answered at all.
	 * @return {@code true} if a status came back
	 */
	public boolean isAnswered() {
		return this.status != 0;
	}

	@Override
	public String toString() {
		return isAnswered() ? "HTTP " + this.status : this.failure;
	}

}
