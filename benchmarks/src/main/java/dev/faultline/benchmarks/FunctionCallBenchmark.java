package dev.faultline.benchmarks;

import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import dev.faultline.function.IsolatedFunction;
import dev.faultline.function.Threads;
import dev.faultline.function.TimeLimitScheduler;
import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadConfig;
import io.github.resilience4j.bulkhead.ThreadPoolBulkhead;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.timelimiter.TimeLimiter;
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

/**
 * The cost of one business-function call, side by side with the same work called
 * directly, handed to a bare {@link ThreadPoolExecutor} of the same size and queue and
 * waited for, and through resilience4j's own decorators wired by hand in the documented
 * order (circuit breaker, time limiter, thread-pool bulkhead), with the same pool and
 * limits. The isolated paths hand the work to another thread and wait for it: that hop
 * is most of the cost (the bare handoff measures it alone), and the question is what
 * Faultline adds on top (a time-limit timer that can interrupt the worker, and the
 * caller's context carried across).
 *
 * <p>
 * {@link #faultlineVirtualThreads()} is the same function on virtual threads, a new one
 * per call under a semaphore bulkhead; it needs Java 21 or later and fails on an earlier
 * JVM (JMH reports it and goes on with the others), so the JVM running the benchmarks
 * decides whether it is measured.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class FunctionCallBenchmark {

	private static final Duration TIME_LIMIT = Duration.ofSeconds(5);

	private TimeLimitScheduler scheduler;

	private IsolatedFunction function;

	private ThreadPoolBulkhead handWiredBulkhead;

	private ThreadPoolExecutor bare;

	private IsolatedFunction virtualFunction;

	private Callable<Long> handWired;

	private final Callable<Long> work = () -> {
		Blackhole.consumeCPU(64);
		return 42L;
	};

	@Setup(Level.Trial)
	public void setUp() {
		this.scheduler = new TimeLimitScheduler();
		ContextSnapshotFactory snapshots = BenchmarkFunctions.snapshots();
		this.function = BenchmarkFunctions.pooled("faultline", 4, 8, 16, TIME_LIMIT, null, this.scheduler, snapshots);
		// What resilience4j builds for the pool above: core 4, max 8, a queue of 16.
		this.bare = new ThreadPoolExecutor(4, 8, 20, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(16));
		if (Threads.virtualAvailable()) {
			this.virtualFunction = new IsolatedFunction("faultline-virtual",
					Bulkhead.of("faultline-virtual",
							BulkheadConfig.custom().maxConcurrentCalls(25).maxWaitDuration(Duration.ZERO).build()),
					BenchmarkFunctions.circuitBreaker("faultline-virtual"),
					BenchmarkFunctions.timeLimiter("faultline-virtual", TIME_LIMIT), null, this.scheduler.executor(),
					snapshots);
		}
		this.handWiredBulkhead = BenchmarkFunctions.threadPool("hand-wired", 4, 8, 16);
		TimeLimiter timeLimiter = BenchmarkFunctions.timeLimiter("hand-wired", TIME_LIMIT);
		this.handWired = CircuitBreaker.decorateCallable(BenchmarkFunctions.circuitBreaker("hand-wired"),
				() -> timeLimiter.executeFutureSupplier(() -> this.handWiredBulkhead.submit(this.work).toCompletableFuture()));
	}

	@TearDown(Level.Trial)
	public void tearDown() throws Exception {
		this.function.close();
		this.bare.shutdownNow();
		this.handWiredBulkhead.close();
		this.scheduler.close();
	}

	@Benchmark
	public Long direct() throws Exception {
		return this.work.call();
	}

	@Benchmark
	public Long bareHandoff() throws Exception {
		return this.bare.submit(this.work).get();
	}

	@Benchmark
	public Long handWiredResilience4j() throws Exception {
		return this.handWired.call();
	}

	@Benchmark
	public Long faultlineFunction() {
		return this.function.call(this.work, (cause) -> -1L);
	}

	@Benchmark
	public Long faultlineVirtualThreads() {
		if (this.virtualFunction == null) {
			throw new UnsupportedOperationException("Virtual threads need Java 21 or later; this benchmark runs on Java "
					+ Runtime.version().feature());
		}
		return this.virtualFunction.call(this.work, (cause) -> -1L);
	}

}
