package dev.faultline.function;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
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
	 * Returns the reactive calls of a function whose {@code Mono} wraps blocking work,
	 * such as {@code Mono.fromCallable} over JDBC: each call is the function's own call on
	 * its pool (or virtual threads), with its threads, queue, breaker and a time limit
	 * that interrupts the blocked thread, as a method returning a value has. The work's
	 * {@code Mono} is subscribed to and waited for on that thread; a {@code Flux} is not
	 * supported there.
	 * @param function the function
	 * @return its calls
	 */
	public static ReactiveCalls onPool(IsolatedFunction function) {
		return new ReactiveCalls(function, null);
	}

	/**
	 * Tells whether these calls run on the function's pool.
	 * @return {@code true} for the calls of {@link #onPool(IsolatedFunction)}
	 */
	public boolean runOnPool() {
		return this.concurrencyLimit == null;
	}

	/**
	 * Protects a {@code Mono}.
	 * @param <T> the element type
	 * @param work makes the work's {@code Mono}, called once per subscription
	 * @param fallback the answer when the call cannot succeed, or {@code null} for none
	 * @return the protected {@code Mono}
	 */
	public <T> Mono<T> mono(Supplier<? extends Mono<T>> work, Function<Throwable, ? extends Mono<T>> fallback) {
		if (runOnPool()) {
			return onThePool(work, fallback);
		}
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
		if (runOnPool()) {
			throw new UnsupportedOperationException(this.function + " runs its Mono calls on its pool, and a Flux "
					+ "would be buffered whole there: return a Mono of a list, or leave the function non-blocking");
		}
		Flux<T> protectedWork = Flux.defer(work)
			.timeout(this.function.timeLimit(), Flux.error(this::timedOut))
			.transformDeferred(CircuitBreakerOperator.of(this.function.getCircuitBreaker()))
			.transformDeferred(BulkheadOperator.of(this.concurrencyLimit));
		return protectedWork.onErrorResume((error) -> {
			Throwable cause = Exceptions.unwrap(error);
			return (fallback != null) ? fallback.apply(counted(cause)) : Flux.error(refusedOrOwn(cause));
		});
	}

	private <T> Mono<T> onThePool(Supplier<? extends Mono<T>> work, Function<Throwable, ? extends Mono<T>> fallback) {
		return Mono
			.defer(() -> Mono.fromFuture(this.function
				.<T>callAsync(() -> CompletableFuture.completedFuture(Mono.defer(work).block()))))
			.onErrorResume((error) -> {
				Throwable cause = Exceptions.unwrap(unwrapCompletion(error));
				if (fallback == null) {
					return Mono.error(cause);
				}
				// A refusal reaches the fallback as resilience4j's cause, as on the other paths.
				boolean refused = cause instanceof FunctionRefusedException refusal
						&& refusal.getFunction().equals(this.function.getName()) && refusal.getCause() != null;
				return fallback.apply(refused ? cause.getCause() : cause);
			});
	}

	private static Throwable unwrapCompletion(Throwable error) {
		Throwable cause = error;
		while (cause instanceof CompletionException && cause.getCause() != null) {
			cause = cause.getCause();
		}
		return cause;
	}

	/**
	 * Returns the concurrency limit of these calls.
	 * @return the bulkhead, or {@code null} for calls on the pool
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
