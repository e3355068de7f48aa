package dev.faultline.function;

import java.time.Duration;
import java.util.Objects;

/**
 * Thrown when a business function without a fallback refused a call: its circuit was
 * open, its pool and queue were full (on virtual threads: its concurrency limit was
 * reached), the call's key held its share of a partitioned function, or its time limit
 * passed. The exception that says so (resilience4j's, or a {@link PartitionFullException})
 * is the cause. A call that ran and threw is not a refusal: its
 * own exception reaches the caller instead.
 *
 * <p>
 * Unchecked, so it reaches the caller of a proxied method unchanged whatever the method
 * declares (resilience4j's {@link java.util.concurrent.TimeoutException} is checked, and
 * through a method that does not declare it would arrive as an
 * {@link java.lang.reflect.UndeclaredThrowableException}).
 *
 * @see IsolatedFunction#call(java.util.concurrent.Callable)
 */
public class FunctionRefusedException extends RuntimeException {

	private final String function;

	private final Reason reason;

	private final Duration retryAfter;

	/**
	 * Creates the exception.
	 * @param function the name of the function that refused the call
	 * @param reason why it refused
	 * @param retryAfter how long a caller should wait before it tries again
	 * @param cause the resilience4j exception of the refusal
	 */
	public FunctionRefusedException(String function, Reason reason, Duration retryAfter, Throwable cause) {
		super("Business function '" + function + "' refused the call: " + Objects.requireNonNull(reason, "reason").description,
				cause);
		this.function = Objects.requireNonNull(function, "function");
		this.reason = reason;
		this.retryAfter = Objects.requireNonNull(retryAfter, "retryAfter");
	}

	/**
	 * Returns the name of the function that refused the call.
	 * @return the function's name
	 */
	public String getFunction() {
		return this.function;
	}

	/**
	 * Returns why the call was refused.
	 * @return the reason
	 */
	public Reason getReason() {
		return this.reason;
	}

	/**
	 * Returns how long a caller should wait before it tries again: for an open circuit the
	 * breaker's wait in the open state, otherwise one second.
	 * @return the suggested wait, never less than one second
	 */
	public Duration getRetryAfter() {
		return this.retryAfter;
	}

	/**
	 * Why a function refused a call. Each has a stable name, for clients and dashboards.
	 */
	public enum Reason {

		/**
		 * The circuit is open (or held open while the function's peer is suspected): the
		 * call was not tried.
		 */
		CIRCUIT_OPEN("circuit-open", "its circuit is open"),

		/**
		 * The pool's threads and its queue are all taken: the call was not tried.
		 */
		POOL_FULL("pool-full", "its pool and queue are full"),

		/**
		 * The function runs its calls on virtual threads and as many as its concurrency
		 * limit allows are running: the call was not tried.
		 */
		CONCURRENCY_LIMIT("concurrency-limit", "its concurrency limit is reached"),

		/**
		 * The call's key (such as its customer) holds its share of the function's places:
		 * the call was not tried, and the other keys' calls go on.
		 */
		PARTITION_FULL("partition-full", "its key holds its share of the function"),

		/**
		 * The call was accepted but did not finish within the time limit, queue time
		 * included: a queued call never started, a running one had its thread interrupted.
		 */
		TIME_LIMIT("time-limit", "it did not finish within its time limit");

		private final String id;

		private final String description;

		Reason(String id, String description) {
			this.id = id;
			this.description = description;
		}

		/**
		 * Returns the reason's stable name: {@code circuit-open}, {@code pool-full},
		 * {@code concurrency-limit}, {@code partition-full} or {@code time-limit}.
		 * @return the name
		 */
		public String id() {
			return this.id;
		}

		/**
		 * Returns what happened, in words that complete "refused the call: ".
		 * @return the description
		 */
		public String description() {
			return this.description;
		}

	}

}
