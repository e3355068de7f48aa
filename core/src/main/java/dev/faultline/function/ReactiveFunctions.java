package dev.faultline.function;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;

import io.github.resilience4j.bulkhead.Bulkhead;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The business functions' calls for Reactor's {@link Mono} and {@link Flux}, each with a
 * concurrency limit of the function's name (for a function on virtual threads, the one
 * it has): see {@link ReactiveCalls}.
 */
public final class ReactiveFunctions {

	private final BusinessFunctions functions;

	private final Function<String, Bulkhead> concurrencyLimits;

	private final Predicate<String> blocking;

	private final Map<String, ReactiveCalls> calls = new ConcurrentHashMap<>();

	/**
	 * Creates the reactive calls of the functions.
	 * @param functions the declared functions
	 * @param concurrencyLimits the concurrency limit of a function's reactive calls, by
	 * the function's name, such as resilience4j's {@code BulkheadRegistry::bulkhead}
	 */
	public ReactiveFunctions(BusinessFunctions functions, Function<String, Bulkhead> concurrencyLimits) {
		this(functions, concurrencyLimits, (name) -> false);
	}

	/**
	 * Creates the reactive calls of the functions, some of which wrap blocking work.
	 * @param functions the declared functions
	 * @param concurrencyLimits the concurrency limit of a function's reactive calls, by
	 * the function's name
	 * @param blocking which functions' {@code Mono} calls wrap blocking work and run on
	 * the function's pool (see {@link ReactiveCalls#onPool(IsolatedFunction)}), by name
	 */
	public ReactiveFunctions(BusinessFunctions functions, Function<String, Bulkhead> concurrencyLimits,
			Predicate<String> blocking) {
		this.functions = functions;
		this.concurrencyLimits = concurrencyLimits;
		this.blocking = blocking;
	}

	/**
	 * Returns the reactive calls of a function.
	 * @param name the function's name
	 * @return its reactive calls
	 * @throws IllegalArgumentException if no function of that name is declared
	 */
	public ReactiveCalls get(String name) {
		return this.calls.computeIfAbsent(name, (key) -> {
			IsolatedFunction function = this.functions.get(key);
			if (this.blocking.test(key)) {
				return ReactiveCalls.onPool(function);
			}
			Bulkhead limit = (function.getConcurrencyLimit() != null) ? function.getConcurrencyLimit()
					: this.concurrencyLimits.apply(key);
			function.reactiveCallsLimitedBy(limit);
			return new ReactiveCalls(function, limit);
		});
	}

	/**
	 * Protects a {@code Mono} with the named function.
	 * @param <T> the element type
	 * @param name the function's name
	 * @param work makes the work's {@code Mono}, once per subscription
	 * @param fallback the answer when the call cannot succeed, or {@code null} for none
	 * @return the protected {@code Mono}
	 */
	public <T> Mono<T> mono(String name, Supplier<? extends Mono<T>> work,
			Function<Throwable, ? extends Mono<T>> fallback) {
		return get(name).mono(work, fallback);
	}

	/**
	 * Protects a {@code Flux} with the named function.
	 * @param <T> the element type
	 * @param name the function's name
	 * @param work makes the work's {@code Flux}, once per subscription
	 * @param fallback the answer when the call cannot succeed, or {@code null} for none
	 * @return the protected {@code Flux}
	 */
	public <T> Flux<T> flux(String name, Supplier<? extends Flux<T>> work,
			Function<Throwable, ? extends Flux<T>> fallback) {
		return get(name).flux(work, fallback);
	}

}
