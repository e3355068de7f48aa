package dev.faultline.actuate.dashboard;

import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.LongAdder;

import dev.faultline.function.IsolatedFunction;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;

/**
 * A function's calls since the dashboard started watching it, by outcome, counted from
 * its circuit breaker's events and its pool's refusals: what a call that did not succeed
 * ran into, so that the dashboard can say why fallbacks answer.
 */
final class FunctionOutcomes {

	private final IsolatedFunction function;

	private final long rejectedAtStart;

	private final long partitionRejectedAtStart;

	private final LongAdder succeeded = new LongAdder();

	private final LongAdder failed = new LongAdder();

	private final LongAdder timedOut = new LongAdder();

	private final LongAdder notPermitted = new LongAdder();

	FunctionOutcomes(IsolatedFunction function) {
		this.function = function;
		this.rejectedAtStart = function.rejectedCalls();
		this.partitionRejectedAtStart = function.partitionRejectedCalls();
		CircuitBreaker.EventPublisher events = function.getCircuitBreaker().getEventPublisher();
		events.onSuccess((event) -> this.succeeded.increment());
		// The time limit's failure reaches the breaker as a TimeoutException.
		events.onError((event) -> ((event.getThrowable() instanceof TimeoutException) ? this.timedOut : this.failed)
			.increment());
		events.onCallNotPermitted((event) -> this.notPermitted.increment());
	}

	Counts counts() {
		return new Counts(this.succeeded.sum(), this.notPermitted.sum(), this.function.rejectedCalls() - this.rejectedAtStart,
				this.function.partitionRejectedCalls() - this.partitionRejectedAtStart, this.timedOut.sum(),
				this.failed.sum());
	}

	/**
	 * Calls by outcome, from the start of watching.
	 *
	 * @param succeeded calls that succeeded
	 * @param circuitOpen calls the open circuit turned away
	 * @param poolFull calls refused because the pool and its queue (or the concurrency
	 * limit) were full
	 * @param partitionFull calls refused because their key held its share
	 * @param timeLimit calls past the time limit
	 * @param error calls that failed with an error of their own
	 */
	record Counts(long succeeded, long circuitOpen, long poolFull, long partitionFull, long timeLimit, long error) {

		long total() {
			return this.succeeded + this.circuitOpen + this.poolFull + this.partitionFull + this.timeLimit + this.error;
		}

	}

}
