package dev.faultline.function;

import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.function.Supplier;

import dev.faultline.function.FunctionRefusedException.Reason;
import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadFullException;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.reactor.bulkhead.operator.BulkheadOperator;
import io.github.resilience4j.reactor.circuitbreaker.operator.CircuitBreakerOperator;
import reactor.core.Exceptions;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * A business function's protection for Reactor's {@link Mono} and {@link Flux}: no thread
 * hop (non-blocking code needs none), but the function's circuit breaker, a concurrency
 * limit (a resilience4j semaphore {@link Bulkhead} of the function's name) and its time
 * limit as a timeout that cancels the subscription; for a {@code Flux}, the time limit is
 * the longest wait for each element. From the caller in: the concurrency limit (a call
 * beyond it is refused without touching the breaker, as a full pool is), the breaker, the
 * timeout, the work. The work is subscribed to lazily, once per subscription.
 *
 * <p>
 * When the call cannot succeed the fallback gets the cause, as for the other calls
 * ({@link CallNotPermittedException}, {@link BulkheadFullException}, the
 * {@link TimeoutException} of the time limit, or the error of the work); without one, a
 * refusal is a {@link FunctionRefusedException} (reason {@code concurrency-limit} when the
 * limit is full) and the work's own error is passed on unchanged. The fallback runs in
 * the subscriber's context, so it sees the Reactor {@code Context} of the caller.
 */
public final class ReactiveCalls {

	private final IsolatedFunction function;

	private final Bulkhead concurrencyLimit;

	/**
	 * Creates the reactive calls of a function.
	 * @param function the function: its breaker and time limit
	 * @param concurrencyLimit the limit of its reactive calls in flight
	 */
	public ReactiveCalls(IsolatedFunction function, Bulkhead concurrencyLimit) {
		this.function = function;
		this.concurrencyLimit = concurrencyLimit;
	}

	/**
	 * Protects a {@code Mono}.
	 * @param <T> the element type
	 * @param work makes the work's {@code Mono}, called once per subscription
	 * @param fallback the answer when the call cannot succeed, or {@code null} for none
	 * @return the protected {@code Mono}
	 */
	public <T> Mono<T> mono(Supplier<? extends Mono<T>> work, Function<Throwable, ? extends Mono<T>> fallback) {
		Mono<T> protectedWork = Mono.defer(work)
			.timeout(this.function.timeLimit(), Mono.error(this::timedOut))
			.transformDeferred(CircuitBreakerOperator.of(this.function.getCircuitBreaker()))
			.transformDeferred(BulkheadOperator.of(this.concurrencyLimit));
		return protectedWork.onErrorResume((error) -> {
			Throwable cause = Exceptions.unwrap(error);
			return (fallback != null) ? fallback.apply(counted(cause)) : Mono.error(refusedOrOwn(cause));
		});
	}

	/**
	 * Protects a {@code Flux}.
	 * @param <T> the element type
	 * @param work makes the work's {@code Flux}, called once per subscription
	 * @param fallback the answer when the call cannot succeed, or {@code null} for none;
	 * it continues the elements already given
	 * @return the protected {@code Flux}
	 */
	public <T> Flux<T> flux(Supplier<? extends Flux<T>> work, Function<Throwable, ? extends Flux<T>> fallback) {
		Flux<T> protectedWork = Flux.defer(work)
			.timeout(this.function.timeLimit(), Flux.error(this::timedOut))
			.transformDeferred(CircuitBreakerOperator.of(this.function.getCircuitBreaker()))
			.transformDeferred(BulkheadOperator.of(this.concurrencyLimit));
		return protectedWork.onErrorResume((error) -> {
			Throwable cause = Exceptions.unwrap(error);
			return (fallback != null) ? fallback.apply(counted(cause)) : Flux.error(refusedOrOwn(cause));
		});
	}

	/**
	 * Returns the concurrency limit of these calls.
	 * @return the bulkhead
	 */
	public Bulkhead getConcurrencyLimit() {
		return this.concurrencyLimit;
	}

	private Throwable timedOut() {
		return new TimeLimitPassed("Business function '" + this.function.getName() + "' did not finish within "
				+ this.function.timeLimit().toMillis() + " ms");
	}

	private Throwable counted(Throwable cause) {
		if (cause instanceof BulkheadFullException) {
			this.function.countRejected();
		}
		return cause;
	}

	private Throwable refusedOrOwn(Throwable cause) {
		counted(cause);
		boolean refused = cause instanceof CallNotPermittedException || cause instanceof BulkheadFullException
				|| cause instanceof TimeLimitPassed;
		return refused ? this.function.refusal(cause, Reason.CONCURRENCY_LIMIT) : cause;
	}

	// The time limit's own timeout, told apart from one the work itself fails with.
	private static final class TimeLimitPassed extends TimeoutException {

		TimeLimitPassed(String message) {
			super(message);
		}

	}

}
