package dev.faultline.function;

import java.time.Duration;

import io.github.resilience4j.bulkhead.ThreadPoolBulkhead;
import io.github.resilience4j.bulkhead.ThreadPoolBulkheadConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.timelimiter.TimeLimiter;
import io.github.resilience4j.timelimiter.TimeLimiterConfig;
import io.micrometer.context.ContextRegistry;
import io.micrometer.context.ContextSnapshotFactory;

/**
 * Builds real functions from real resilience4j instances for tests.
 */
final class FunctionFixtures implements AutoCloseable {

	private final TimeLimitScheduler scheduler = new TimeLimitScheduler();

	private final ContextSnapshotFactory snapshots = ContextSnapshotFactory.builder()
		.contextRegistry(new ContextRegistry().loadThreadLocalAccessors())
		.clearMissing(true)
		.build();

	IsolatedFunction function(String name, int threads, int queue, Duration timeLimit) {
		return function(name, threads, queue, timeLimit, CircuitBreakerConfig.custom()
			.slidingWindowSize(10)
			.minimumNumberOfCalls(5)
			.failureRateThreshold(50)
			.waitDurationInOpenState(Duration.ofMinutes(1))
			.build());
	}

	IsolatedFunction function(String name, int threads, int queue, Duration timeLimit, CircuitBreakerConfig breaker) {
		ThreadPoolBulkhead bulkhead = ThreadPoolBulkhead.of(name, ThreadPoolBulkheadConfig.custom()
			.coreThreadPoolSize(threads)
			.maxThreadPoolSize(threads)
			.queueCapacity(queue)
			.build());
		TimeLimiter timeLimiter = TimeLimiter.of(name, TimeLimiterConfig.custom().timeoutDuration(timeLimit).build());
		return new IsolatedFunction(name, bulkhead, CircuitBreaker.of(name, breaker), timeLimiter, null,
				this.scheduler.executor(), this.snapshots);
	}

	ContextSnapshotFactory snapshots() {
		return this.snapshots;
	}

	TimeLimitScheduler scheduler() {
		return this.scheduler;
	}

	@Override
	public void close() {
		this.scheduler.close();
	}

}
