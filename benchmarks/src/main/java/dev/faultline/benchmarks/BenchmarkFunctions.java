package dev.faultline.benchmarks;

import java.time.Duration;

import dev.faultline.function.IsolatedFunction;
import dev.faultline.function.TimeLimitScheduler;
import io.github.resilience4j.bulkhead.ThreadPoolBulkhead;
import io.github.resilience4j.bulkhead.ThreadPoolBulkheadConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.timelimiter.TimeLimiter;
import io.github.resilience4j.timelimiter.TimeLimiterConfig;
import io.micrometer.context.ContextRegistry;
import io.micrometer.context.ContextSnapshotFactory;
import io.micrometer.context.integration.Slf4jThreadLocalAccessor;

/**
 * The business functions the benchmarks and harnesses build by hand, as the starter would
 * from its properties: one place for their pool, circuit breaker and time limit, so that
 * every measurement of a function means the same function.
 */
final class BenchmarkFunctions {

	private BenchmarkFunctions() {
	}

	/**
	 * Creates a function on its own thread pool, with the benchmarks' circuit breaker.
	 * @param name the function's name
	 * @param coreThreads the pool's core threads
	 * @param maxThreads the pool's most threads
	 * @param queue the pool's queue capacity
	 * @param timeLimit the function's time limit
	 * @param peer the peer the function calls, or {@code null}
	 * @param scheduler the time-limit scheduler
	 * @param snapshots the caller's context carried to the pool's threads
	 * @return the function
	 */
	static IsolatedFunction pooled(String name, int coreThreads, int maxThreads, int queue, Duration timeLimit,
			String peer, TimeLimitScheduler scheduler, ContextSnapshotFactory snapshots) {
		return new IsolatedFunction(name, threadPool(name, coreThreads, maxThreads, queue), circuitBreaker(name),
				timeLimiter(name, timeLimit), peer, scheduler.executor(), snapshots);
	}

	/**
	 * Creates a thread-pool bulkhead. Its pool adds threads beyond the core ones only when
	 * its queue is full, as {@code ThreadPoolExecutor} does.
	 * @param name the bulkhead's name
	 * @param coreThreads the core threads
	 * @param maxThreads the most threads
	 * @param queue the queue capacity
	 * @return the bulkhead
	 */
	static ThreadPoolBulkhead threadPool(String name, int coreThreads, int maxThreads, int queue) {
		return ThreadPoolBulkhead.of(name,
				ThreadPoolBulkheadConfig.custom()
					.coreThreadPoolSize(coreThreads)
					.maxThreadPoolSize(maxThreads)
					.queueCapacity(queue)
					.build());
	}

	/**
	 * Creates the benchmarks' circuit breaker: a window of 20 calls, judged from 10, open
	 * at half of them failed, for 5 s, then 3 trial calls.
	 * @param name the breaker's name
	 * @return the circuit breaker
	 */
	static CircuitBreaker circuitBreaker(String name) {
		return CircuitBreaker.of(name,
				CircuitBreakerConfig.custom()
					.slidingWindowSize(20)
					.minimumNumberOfCalls(10)
					.failureRateThreshold(50)
					.waitDurationInOpenState(Duration.ofSeconds(5))
					.permittedNumberOfCallsInHalfOpenState(3)
					.build());
	}

	/**
	 * Creates a time limiter.
	 * @param name the limiter's name
	 * @param timeLimit the time limit
	 * @return the time limiter
	 */
	static TimeLimiter timeLimiter(String name, Duration timeLimit) {
		return TimeLimiter.of(name, TimeLimiterConfig.custom().timeoutDuration(timeLimit).build());
	}

	/**
	 * Creates the factory of context snapshots a Spring application has: every thread-local
	 * accessor on the class path and SLF4J's MDC, cleared where the caller had none.
	 * @return the snapshot factory
	 */
	static ContextSnapshotFactory snapshots() {
		ContextRegistry registry = new ContextRegistry().loadThreadLocalAccessors();
		registry.registerThreadLocalAccessor(new Slf4jThreadLocalAccessor());
		return ContextSnapshotFactory.builder().contextRegistry(registry).clearMissing(true).build();
	}

}
