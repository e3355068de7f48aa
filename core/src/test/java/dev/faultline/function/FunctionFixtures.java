package dev.faultline.function;

import java.time.Duration;

import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadConfig;
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

	/**
	 * A caller's context, carried to the call's thread and the fallback as MDC or a
	 * request's attributes are.
	 */
	static final ThreadLocal<String> CALLER = new ThreadLocal<>();

	private final TimeLimitScheduler scheduler = new TimeLimitScheduler();

	private final ContextSnapshotFactory snapshots = ContextSnapshotFactory.builder()
		.contextRegistry(new ContextRegistry().loadThreadLocalAccessors().registerThreadLocalAccessor("caller", CALLER))
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

	IsolatedFunction virtualFunction(String name, int concurrentCalls, Duration timeLimit) {
		return virtualFunction(name, concurrentCalls, timeLimit, CircuitBreakerConfig.custom()
			.slidingWindowSize(10)
			.minimumNumberOfCalls(5)
			.failureRateThreshold(50)
			.waitDurationInOpenState(Duration.ofMinutes(1))
			.build());
	}

	IsolatedFunction virtualFunction(String name, int concurrentCalls, Duration timeLimit,
			CircuitBreakerConfig breaker) {
		Bulkhead limit = Bulkhead.of(name,
				BulkheadConfig.custom().maxConcurrentCalls(concurrentCalls).maxWaitDuration(Duration.ZERO).build());
		TimeLimiter timeLimiter = TimeLimiter.of(name, TimeLimiterConfig.custom().timeoutDuration(timeLimit).build());
		return new IsolatedFunction(name, limit, CircuitBreaker.of(name, breaker), timeLimiter, null,
				this.scheduler.executor(), this.snapshots);
	}

	/**
	 * Whether the thread is a virtual one, asked through reflection: the tests compile
	 * for Java 17, where {@code Thread.isVirtual()} does not exist.
	 */
	static boolean isVirtual(Thread thread) {
		try {
			return (boolean) Thread.class.getMethod("isVirtual").invoke(thread);
		}
		catch (ReflectiveOperationException ex) {
			return false;
		}
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
