package dev.faultline.benchmarks;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;

import dev.faultline.function.BusinessFunction;
import dev.faultline.function.BusinessFunctionAdvisor;
import dev.faultline.function.BusinessFunctionInterceptor;
import dev.faultline.function.BusinessFunctions;
import dev.faultline.function.IsolatedFunction;
import dev.faultline.function.ReactiveCalls;
import dev.faultline.function.ReactiveFunctions;
import dev.faultline.function.TimeLimitScheduler;
import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadConfig;
import io.github.resilience4j.bulkhead.ThreadPoolBulkhead;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.reactor.bulkhead.operator.BulkheadOperator;
import io.github.resilience4j.reactor.circuitbreaker.operator.CircuitBreakerOperator;
import io.github.resilience4j.reactor.timelimiter.TimeLimiterOperator;
import io.github.resilience4j.timelimiter.TimeLimiter;
import io.github.resilience4j.timelimiter.TimeLimiterConfig;
import io.micrometer.context.ContextRegistry;
import io.micrometer.context.ContextSnapshotFactory;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.Blackhole;
import reactor.core.publisher.Mono;

import org.springframework.aop.framework.ProxyFactory;

/**
 * The cost of one call of a business function returning Reactor's {@link Mono}, side by
 * side with the same {@code Mono} bare and through resilience4j-reactor's operators wired
 * by hand in the order Faultline documents (from the caller in: a semaphore bulkhead, the
 * circuit breaker, the time limit), with the same limits and a fallback. Each operation
 * assembles the {@code Mono}, as a method called per request does, subscribes to it and
 * waits for its value on the caller's thread; no path hops threads, so the question is
 * what Faultline's operators add to the work itself.
 *
 * <p>
 * The hand-wired time limit is resilience4j's {@link TimeLimiterOperator}, what a
 * resilience4j-reactor chain uses: it is Reactor's {@code timeout} plus the time
 * limiter's events, so both paths schedule (and cancel) a timer on Reactor's parallel
 * scheduler for every subscription. That timer is part of the cost of a time limit and
 * is kept in; {@link #bareMonoWithTimeout()} measures it alone.
 *
 * <p>
 * {@link #faultlineProxy()} calls a {@link BusinessFunction @BusinessFunction} method
 * through a Spring AOP proxy with Faultline's advisor, as an application does: the
 * interceptor's lookup and the reflective call of the method come on top of
 * {@link #faultlineMono()}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class MonoCallBenchmark {

	private static final Duration TIME_LIMIT = Duration.ofSeconds(5);

	private TimeLimitScheduler scheduler;

	private IsolatedFunction function;

	private ReactiveCalls calls;

	private Bulkhead handWiredBulkhead;

	private CircuitBreaker handWiredCircuitBreaker;

	private TimeLimiter handWiredTimeLimiter;

	private Payments proxy;

	private final Supplier<Mono<Long>> work = MonoCallBenchmark::work;

	private final Function<Throwable, Mono<Long>> fallback = (cause) -> Mono.just(-1L);

	@Setup(Level.Trial)
	public void setUp() {
		this.scheduler = new TimeLimitScheduler();
		ContextSnapshotFactory snapshots = ContextSnapshotFactory.builder()
			.contextRegistry(new ContextRegistry().loadThreadLocalAccessors())
			.clearMissing(true)
			.build();
		// A function on its platform pool, as declared by default; a Mono call leaves the
		// pool unused and takes only its circuit breaker and time limit.
		this.function = new IsolatedFunction("faultline", ThreadPoolBulkhead.ofDefaults("faultline"),
				circuitBreaker("faultline"), timeLimiter("faultline"), null, this.scheduler.executor(), snapshots);
		this.calls = new ReactiveCalls(this.function, bulkhead("faultline"));
		BusinessFunctions functions = new BusinessFunctions(List.of(this.function));
		ReactiveFunctions reactiveFunctions = new ReactiveFunctions(functions, (name) -> this.calls.getConcurrencyLimit());
		BusinessFunctionInterceptor interceptor = new BusinessFunctionInterceptor(() -> functions,
				() -> reactiveFunctions);
		ProxyFactory factory = new ProxyFactory(new Payments());
		// Spring Boot proxies classes, not interfaces, by default.
		factory.setProxyTargetClass(true);
		factory.addAdvisor(new BusinessFunctionAdvisor(() -> interceptor));
		this.proxy = (Payments) factory.getProxy();
		this.handWiredBulkhead = bulkhead("hand-wired");
		this.handWiredCircuitBreaker = circuitBreaker("hand-wired");
		this.handWiredTimeLimiter = timeLimiter("hand-wired");
		// Every protected path answers -1 from its fallback when the call fails: a path
		// measuring its failure instead of the work would still look fast.
		for (Supplier<Long> path : List.<Supplier<Long>>of(this::handWiredResilience4j, this::faultlineMono,
				this::faultlineProxy)) {
			if (path.get() != 42L) {
				throw new IllegalStateException("A protected path answered with its fallback");
			}
		}
	}

	@TearDown(Level.Trial)
	public void tearDown() {
		this.function.close();
		this.scheduler.close();
	}

	@Benchmark
	public Long bareMono() {
		return this.work.get().block();
	}

	// Reactor's timeout alone: how much of either protected path its timer is.
	@Benchmark
	public Long bareMonoWithTimeout() {
		return this.work.get().timeout(TIME_LIMIT).block();
	}

	@Benchmark
	public Long handWiredResilience4j() {
		// Applied from the work out, so a subscription meets the bulkhead first, as in
		// Faultline's chain.
		return this.work.get()
			.transformDeferred(TimeLimiterOperator.of(this.handWiredTimeLimiter))
			.transformDeferred(CircuitBreakerOperator.of(this.handWiredCircuitBreaker))
			.transformDeferred(BulkheadOperator.of(this.handWiredBulkhead))
			.onErrorResume(this.fallback)
			.block();
	}

	@Benchmark
	public Long faultlineMono() {
		return this.calls.mono(this.work, this.fallback).block();
	}

	@Benchmark
	public Long faultlineProxy() {
		return this.proxy.charge().block();
	}

	private static Mono<Long> work() {
		return Mono.fromSupplier(() -> {
			Blackhole.consumeCPU(64);
			return 42L;
		});
	}

	// resilience4j's defaults, which a function's Mono calls get unless configured.
	private static Bulkhead bulkhead(String name) {
		return Bulkhead.of(name, BulkheadConfig.custom().maxConcurrentCalls(25).maxWaitDuration(Duration.ZERO).build());
	}

	private static CircuitBreaker circuitBreaker(String name) {
		return CircuitBreaker.of(name, CircuitBreakerConfig.custom().slidingWindowSize(20).minimumNumberOfCalls(10).build());
	}

	private static TimeLimiter timeLimiter(String name) {
		return TimeLimiter.of(name, TimeLimiterConfig.custom().timeoutDuration(TIME_LIMIT).build());
	}

	/**
	 * An application's bean with a business function returning a {@code Mono}.
	 */
	public static class Payments {

		@BusinessFunction(value = "faultline", fallbackMethod = "pending")
		public Mono<Long> charge() {
			return work();
		}

		Mono<Long> pending(Throwable cause) {
			return Mono.just(-1L);
		}

	}

}
