package dev.faultline.function;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;

import dev.faultline.function.FunctionRefusedException.Reason;
import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadFullException;
import io.github.resilience4j.bulkhead.ThreadPoolBulkhead;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.timelimiter.TimeLimiter;
import io.micrometer.context.ContextSnapshot;
import io.micrometer.context.ContextSnapshotFactory;

/**
 * A business function: its own threads, circuit breaker and time limit, all resilience4j
 * instances of the function's name, and the order in which they apply. The threads are a
 * thread-pool bulkhead of platform threads, or, on Java 21 or later, a virtual thread per
 * call under a semaphore bulkhead's limit ({@link Threads}).
 *
 * <p>
 * A call goes: circuit breaker (open → the fallback at once, the pool is not touched) →
 * pool (full, queue included → the fallback at once) → run on a pool thread with the
 * caller's context → result, or the fallback with the cause. The time limit counts from
 * the moment the call is accepted, queue time included, so the caller never waits longer
 * than the limit; when it passes, a queued call never starts and a running one has its
 * worker interrupted. A full pool releases the breaker's permission instead of counting a
 * failure: a burst of traffic is no fault of the downstream.
 *
 * <p>
 * On virtual threads the same order holds with the semaphore bulkhead in the pool's
 * place: a call beyond its limit gets the fallback at once (there is no queue), one within
 * it starts on a virtual thread of its own, and the time limit interrupts that thread.
 *
 * <p>
 * Without a fallback ({@link #call(Callable)}, {@link #callAsync(Callable)}), a call the
 * function refused (open circuit, full pool or concurrency limit, time limit passed) ends in a
 * {@link FunctionRefusedException} naming the function, the reason and a suggested wait;
 * a call that threw ends in what it threw.
 */
public final class IsolatedFunction {

	private static final Duration ONE_SECOND = Duration.ofSeconds(1);

	private final String name;

	private final CallThreads threads;

	private final CircuitBreaker circuitBreaker;

	private final TimeLimiter timeLimiter;

	private final String peer;

	private final ScheduledExecutorService timer;

	private final ContextSnapshotFactory snapshots;

	private final LongAdder rejectedCalls = new LongAdder();

	private final LongAdder partitionRejectedCalls = new LongAdder();

	private volatile Bulkhead reactiveConcurrencyLimit;

	private volatile Partitions partitions;

	private final long timeLimitNanos;

	/**
	 * Creates a function whose calls run on a pool of platform threads.
	 * @param name the function's name, also the name of each part
	 * @param bulkhead its thread-pool bulkhead
	 * @param circuitBreaker its circuit breaker
	 * @param timeLimiter its time limiter
	 * @param peer the name of the peer it calls, or {@code null}
	 * @param timer the scheduler that enforces time limits
	 * @param snapshots captures the caller's context for the pool thread and the fallback
	 */
	public IsolatedFunction(String name, ThreadPoolBulkhead bulkhead, CircuitBreaker circuitBreaker,
			TimeLimiter timeLimiter, String peer, ScheduledExecutorService timer, ContextSnapshotFactory snapshots) {
		this(name, new PlatformPool(Objects.requireNonNull(bulkhead, "bulkhead")), circuitBreaker, timeLimiter, peer,
				timer, snapshots);
	}

	/**
	 * Creates a function whose calls each run on a virtual thread of their own, as many
	 * at once as {@code concurrencyLimit} permits. Its maximum wait should be zero: a call
	 * waiting for a permit holds its caller before the time limit starts counting.
	 * @param name the function's name, also the name of each part
	 * @param concurrencyLimit its semaphore bulkhead
	 * @param circuitBreaker its circuit breaker
	 * @param timeLimiter its time limiter
	 * @param peer the name of the peer it calls, or {@code null}
	 * @param timer the scheduler that enforces time limits
	 * @param snapshots captures the caller's context for the virtual thread and the
	 * fallback
	 * @throws IllegalStateException below Java 21, which has no virtual threads
	 */
	public IsolatedFunction(String name, Bulkhead concurrencyLimit, CircuitBreaker circuitBreaker,
			TimeLimiter timeLimiter, String peer, ScheduledExecutorService timer, ContextSnapshotFactory snapshots) {
		this(name, new VirtualThreads(Objects.requireNonNull(concurrencyLimit, "concurrencyLimit")), circuitBreaker,
				timeLimiter, peer, timer, snapshots);
	}

	private IsolatedFunction(String name, CallThreads threads, CircuitBreaker circuitBreaker, TimeLimiter timeLimiter,
			String peer, ScheduledExecutorService timer, ContextSnapshotFactory snapshots) {
		this.name = Objects.requireNonNull(name, "name");
		this.threads = threads;
		this.circuitBreaker = Objects.requireNonNull(circuitBreaker, "circuitBreaker");
		this.timeLimiter = Objects.requireNonNull(timeLimiter, "timeLimiter");
		this.peer = peer;
		this.timer = Objects.requireNonNull(timer, "timer");
		this.snapshots = Objects.requireNonNull(snapshots, "snapshots");
		this.timeLimitNanos = timeLimit().toNanos();
		CircuitTransitionLog.follow(name, circuitBreaker);
	}

	/**
	 * Runs {@code work} on this function's threads and waits for it at most the time limit;
	 * when it cannot succeed, returns what {@code fallback} makes of the cause instead.
	 * The fallback runs on the caller's thread.
	 * @param <T> the result type
	 * @param work the call
	 * @param fallback the answer when the call cannot succeed: gets the cause
	 * ({@link CallNotPermittedException}, {@link BulkheadFullException},
	 * {@link TimeoutException} or what the call threw)
	 * @return the call's result or the fallback's
	 */
	public <T> T call(Callable<? extends T> work, Function<Throwable, ? extends T> fallback) {
		return call(null, work, fallback);
	}

	/**
	 * Runs {@code work} as {@link #call(Callable, Function)} does, as a call of the given
	 * key in a partitioned function: a key that holds its share of the places gets the
	 * fallback at once, with a {@link PartitionFullException}.
	 * @param <T> the result type
	 * @param key the call's key, such as its customer; {@code null} for none, which is not
	 * limited
	 * @param work the call
	 * @param fallback the answer when the call cannot succeed
	 * @return the call's result or the fallback's
	 */
	public <T> T call(String key, Callable<? extends T> work, Function<Throwable, ? extends T> fallback) {
		return run(key, work, (cause, refused) -> fallback.apply(cause));
	}

	/**
	 * Runs {@code work} on this function's threads and waits for it at most the time limit,
	 * without a fallback: a refused call throws a {@link FunctionRefusedException}, a call
	 * that threw has its own exception rethrown unchanged (a checked one too, although this
	 * method does not declare it, as through a proxied method that declares it).
	 * @param <T> the result type
	 * @param work the call
	 * @return the call's result
	 * @throws FunctionRefusedException if the circuit was open, the pool and its queue
	 * were full or the time limit passed
	 */
	public <T> T call(Callable<? extends T> work) {
		return call(null, work);
	}

	/**
	 * Runs {@code work} as {@link #call(Callable)} does, as a call of the given key in a
	 * partitioned function: a key that holds its share of the places is refused at once
	 * (reason {@code partition-full}).
	 * @param <T> the result type
	 * @param key the call's key; {@code null} for none, which is not limited
	 * @param work the call
	 * @return the call's result
	 */
	public <T> T call(String key, Callable<? extends T> work) {
		return run(key, work, this::refuseOrRethrow);
	}

	private <T> T run(String key, Callable<? extends T> work, Answer<? extends T> answer) {
		PendingCall<T> call = start(key, work);
		Throwable cause;
		try {
			// The caller's own wait enforces the limit: no timer needed on this path.
			return call.result.get(this.timeLimitNanos, TimeUnit.NANOSECONDS);
		}
		catch (TimeoutException ex) {
			call.expire();
			cause = call.failure();
			if (cause == null) {
				return call.result.join();
			}
		}
		catch (ExecutionException ex) {
			cause = ex.getCause();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			call.abandon(ex);
			cause = ex;
		}
		return answer.apply(cause, call.isRefusal(cause));
	}

	/**
	 * Runs {@code work} on this function's threads, without blocking the caller; when it
	 * cannot succeed, the returned stage follows the stage that {@code fallback} makes of
	 * the cause. The fallback is called with the caller's context on the thread that ends
	 * the call (the call's thread, or the time-limit thread), so it should be quick.
	 * @param <T> the result type
	 * @param work the call, returning a stage that the call's thread waits for
	 * @param fallback the answer when the call cannot succeed
	 * @return a stage with the call's result or the fallback's
	 */
	public <T> CompletableFuture<T> callAsync(Callable<? extends CompletionStage<T>> work,
			Function<Throwable, ? extends CompletionStage<T>> fallback) {
		return callAsync(null, work, fallback);
	}

	/**
	 * Runs {@code work} as {@link #callAsync(Callable, Function)} does, as a call of the
	 * given key in a partitioned function.
	 * @param <T> the result type
	 * @param key the call's key; {@code null} for none, which is not limited
	 * @param work the call, returning a stage that the call's thread waits for
	 * @param fallback the answer when the call cannot succeed
	 * @return a stage with the call's result or the fallback's
	 */
	public <T> CompletableFuture<T> callAsync(String key, Callable<? extends CompletionStage<T>> work,
			Function<Throwable, ? extends CompletionStage<T>> fallback) {
		return runAsync(key, work, (cause, refused) -> fallback.apply(cause));
	}

	/**
	 * Runs {@code work} on this function's threads, without blocking the caller and without a
	 * fallback: when the call is refused the returned stage completes with a
	 * {@link FunctionRefusedException}, when it threw, with what it threw.
	 * @param <T> the result type
	 * @param work the call, returning a stage that the call's thread waits for
	 * @return a stage with the call's result
	 */
	public <T> CompletableFuture<T> callAsync(Callable<? extends CompletionStage<T>> work) {
		return callAsync(null, work);
	}

	/**
	 * Runs {@code work} as {@link #callAsync(Callable)} does, as a call of the given key in
	 * a partitioned function.
	 * @param <T> the result type
	 * @param key the call's key; {@code null} for none, which is not limited
	 * @param work the call, returning a stage that the call's thread waits for
	 * @return a stage with the call's result
	 */
	public <T> CompletableFuture<T> callAsync(String key, Callable<? extends CompletionStage<T>> work) {
		return runAsync(key, work,
				(cause, refused) -> CompletableFuture.failedFuture(refused ? refusal(cause) : cause));
	}

	private <T> CompletableFuture<T> runAsync(String key, Callable<? extends CompletionStage<T>> work,
			Answer<? extends CompletionStage<T>> fallback) {
		ContextSnapshot snapshot = this.snapshots.captureAll();
		PendingCall<T> call = start(key, () -> awaitStage(work.call()));
		if (!call.result.isDone()) {
			call.deadline = this.timer.schedule(call::expire, this.timeLimitNanos, TimeUnit.NANOSECONDS);
		}
		return call.result.handle((value, failure) -> {
			if (failure == null) {
				return CompletableFuture.completedFuture(value);
			}
			Throwable cause = unwrap(failure);
			try (ContextSnapshot.Scope scope = snapshot.setThreadLocals()) {
				return fallback.apply(cause, call.isRefusal(cause));
			}
		}).thenCompose(Function.identity());
	}

	private static <T> T awaitStage(CompletionStage<T> stage) throws Exception {
		try {
			return stage.toCompletableFuture().get();
		}
		catch (ExecutionException ex) {
			Throwable cause = ex.getCause();
			if (cause instanceof Exception exception) {
				throw exception;
			}
			throw ex;
		}
	}

	private <T> PendingCall<T> start(String key, Callable<? extends T> work) {
		PendingCall<T> call = new PendingCall<>(new Attempt<>(this.snapshots.captureAll().wrap(work::call)));
		Partitions partitions = (key != null) ? this.partitions : null;
		// First the key's share: a flood of one key is turned away before the breaker
		// counts anything, as a full pool is.
		if (partitions != null && !partitions.tryAcquire(key)) {
			this.partitionRejectedCalls.increment();
			call.reject(new PartitionFullException(this.name, key, partitions.share(), partitions.places()));
			return call;
		}
		if (!this.circuitBreaker.tryAcquirePermission()) {
			release(partitions, key);
			call.reject(CallNotPermittedException.createCallNotPermittedException(this.circuitBreaker));
			return call;
		}
		call.start = this.circuitBreaker.getCurrentTimestamp();
		try {
			// The place is given back when the call has left its thread for good, before
			// its outcome is seen: a queued call whose time limit passed leaves then too.
			this.threads.submit(call.attempt).whenComplete((value, failure) -> {
				release(partitions, key);
				call.finish(value, failure);
			});
		}
		catch (BulkheadFullException ex) {
			release(partitions, key);
			this.circuitBreaker.releasePermission();
			this.rejectedCalls.increment();
			call.reject(ex);
		}
		return call;
	}

	private static void release(Partitions partitions, String key) {
		if (partitions != null) {
			partitions.release(key);
		}
	}

	/**
	 * One call between acceptance and its outcome. Whoever settles it first (the pool, the
	 * time limit, or the caller giving up) records it, before the caller can see the
	 * outcome, so the breaker's figures are current when it does.
	 */
	private final class PendingCall<T> {

		final CompletableFuture<T> result = new CompletableFuture<>();

		final Attempt<T> attempt;

		private final AtomicBoolean settled = new AtomicBoolean();

		long start;

		volatile ScheduledFuture<?> deadline;

		// Faultline's own exception when this function refused the call, so that an
		// exception of the same type thrown by the call itself is not taken for a refusal.
		private volatile Throwable refusal;

		PendingCall(Attempt<T> attempt) {
			this.attempt = attempt;
		}

		void reject(Throwable cause) {
			this.settled.set(true);
			this.refusal = cause;
			this.result.completeExceptionally(cause);
		}

		void finish(T value, Throwable failure) {
			ScheduledFuture<?> timer = this.deadline;
			if (timer != null) {
				timer.cancel(false);
			}
			if (!this.settled.compareAndSet(false, true)) {
				return;
			}
			if (failure == null) {
				IsolatedFunction.this.circuitBreaker.onResult(elapsedSince(this.start),
						IsolatedFunction.this.circuitBreaker.getTimestampUnit(), value);
				IsolatedFunction.this.timeLimiter.onSuccess();
				this.result.complete(value);
			}
			else {
				Throwable cause = unwrap(failure);
				recordFailure(this.start, cause);
				this.result.completeExceptionally(cause);
			}
		}

		void expire() {
			if (this.settled.compareAndSet(false, true)) {
				TimeoutException timeout = TimeLimiter.createdTimeoutExceptionWithName(IsolatedFunction.this.name, null);
				this.attempt.cancel();
				recordFailure(this.start, timeout);
				this.refusal = timeout;
				this.result.completeExceptionally(timeout);
			}
		}

		// The caller stopped waiting (it was interrupted): no verdict on the downstream.
		void abandon(Throwable cause) {
			if (this.settled.compareAndSet(false, true)) {
				this.attempt.cancel();
				IsolatedFunction.this.circuitBreaker.releasePermission();
				this.result.completeExceptionally(cause);
			}
		}

		boolean isRefusal(Throwable cause) {
			return cause != null && cause == this.refusal;
		}

		Throwable failure() {
			try {
				this.result.join();
				return null;
			}
			catch (CompletionException ex) {
				return unwrap(ex);
			}
		}

	}

	private <T> T refuseOrRethrow(Throwable cause, boolean refused) {
		if (refused) {
			throw refusal(cause);
		}
		return sneakyThrow(cause);
	}

	/**
	 * The exception for a call this function refused. The suggested wait: for an open
	 * circuit, the breaker's configured wait in the open state, the longest the circuit
	 * can stay open on its own (resilience4j does not tell what is left of it), so a client
	 * that honours it does not come back to the same open circuit (one held open while its
	 * peer is suspected may stay open longer); for a full pool, a reached concurrency
	 * limit or a passed time limit, one second: a burst passes, and the next call may find
	 * room.
	 */
	private FunctionRefusedException refusal(Throwable cause) {
		return refusal(cause, fullReason());
	}

	// Also for reactive calls, whose limit is always a concurrency limit.
	FunctionRefusedException refusal(Throwable cause, Reason whenFull) {
		if (cause instanceof CallNotPermittedException) {
			return new FunctionRefusedException(this.name, Reason.CIRCUIT_OPEN, waitInOpenState(), cause);
		}
		Reason reason = (cause instanceof BulkheadFullException) ? whenFull
				: (cause instanceof PartitionFullException) ? Reason.PARTITION_FULL : Reason.TIME_LIMIT;
		return new FunctionRefusedException(this.name, reason, ONE_SECOND, cause);
	}

	void countRejected() {
		this.rejectedCalls.increment();
	}

	private Reason fullReason() {
		return (this.threads.kind() == Threads.VIRTUAL) ? Reason.CONCURRENCY_LIMIT : Reason.POOL_FULL;
	}

	private Duration waitInOpenState() {
		Long millis = this.circuitBreaker.getCircuitBreakerConfig().getWaitIntervalFunctionInOpenState().apply(1);
		if (millis == null || millis <= 0) {
			return ONE_SECOND;
		}
		// Whole seconds, rounded up: what an HTTP Retry-After can say.
		return Duration.ofSeconds(Math.max(1, (millis + 999) / 1000));
	}

	// Lets the call's own checked exception reach the caller unchanged.
	@SuppressWarnings("unchecked")
	private static <T, E extends Throwable> T sneakyThrow(Throwable ex) throws E {
		throw (E) ex;
	}

	private void recordFailure(long start, Throwable cause) {
		this.circuitBreaker.onError(elapsedSince(start), this.circuitBreaker.getTimestampUnit(), cause);
		this.timeLimiter.onError(cause);
	}

	private long elapsedSince(long start) {
		return this.circuitBreaker.getCurrentTimestamp() - start;
	}

	private static Throwable unwrap(Throwable failure) {
		Throwable cause = failure;
		while ((cause instanceof CompletionException || cause instanceof ExecutionException)
				&& cause.getCause() != null) {
			cause = cause.getCause();
		}
		return cause;
	}

	public String getName() {
		return this.name;
	}

	/**
	 * Returns the thread-pool bulkhead this function's calls run on.
	 * @return the pool, or {@code null} when the calls run on virtual threads
	 */
	public ThreadPoolBulkhead getBulkhead() {
		return (this.threads instanceof PlatformPool pool) ? pool.bulkhead() : null;
	}

	/**
	 * Returns the semaphore bulkhead that limits how many calls run at once on virtual
	 * threads.
	 * @return the limit, or {@code null} when the calls run on the platform pool
	 */
	public Bulkhead getConcurrencyLimit() {
		return (this.threads instanceof VirtualThreads virtual) ? virtual.limit() : null;
	}

	/**
	 * Shares this function out by key: from now on no key has more calls in it, running or
	 * queued, than the given fraction of its pool's threads (or of its concurrency limit),
	 * and calls of a key beyond it are turned away. Threads, not threads and queue: a key
	 * allowed more calls than it leaves threads to the others would queue its surplus
	 * ahead of their calls, and their waits would grow with its flood. Set once, when the
	 * function is built.
	 * @param share the fraction one key may hold, above 0 and at most 1
	 * @throws IllegalStateException if the function is partitioned already
	 */
	public void partitionBy(double share) {
		if (this.partitions != null) {
			throw new IllegalStateException(this + " is partitioned already");
		}
		ThreadPoolBulkhead pool = getBulkhead();
		int places = (pool != null) ? pool.getBulkheadConfig().getMaxThreadPoolSize()
				: getConcurrencyLimit().getBulkheadConfig().getMaxConcurrentCalls();
		this.partitions = new Partitions(places, share);
	}

	/**
	 * Returns how this function's places are shared out by key.
	 * @return the partitions, or {@code null} when the function is not partitioned
	 */
	public Partitions getPartitions() {
		return this.partitions;
	}

	/**
	 * Returns how many calls were turned away because their key held its share.
	 * @return the count
	 */
	public long partitionRejectedCalls() {
		return this.partitionRejectedCalls.sum();
	}

	/**
	 * Returns the semaphore bulkhead that limits this function's {@code Mono} and
	 * {@code Flux} calls in flight, once it has had one.
	 * @return the limit, or {@code null} before the first reactive call
	 */
	public Bulkhead getReactiveConcurrencyLimit() {
		return this.reactiveConcurrencyLimit;
	}

	// Told by the reactive calls when they are created: they run without a thread hop,
	// under this limit rather than the pool.
	void reactiveCallsLimitedBy(Bulkhead limit) {
		this.reactiveConcurrencyLimit = limit;
	}

	/**
	 * Returns where this function's calls run.
	 * @return platform pool or virtual threads
	 */
	public Threads getThreads() {
		return this.threads.kind();
	}

	/**
	 * Releases this function's threads: its pool's, or nothing for virtual threads, which
	 * end with their calls.
	 */
	public void close() {
		this.threads.close();
	}

	public CircuitBreaker getCircuitBreaker() {
		return this.circuitBreaker;
	}

	public TimeLimiter getTimeLimiter() {
		return this.timeLimiter;
	}

	/**
	 * Returns the name of the peer this function calls, if one is linked.
	 * @return the peer's name, or {@code null}
	 */
	public String getPeer() {
		return this.peer;
	}

	/**
	 * Returns the longest a caller waits for a call.
	 * @return the time limit
	 */
	public Duration timeLimit() {
		return this.timeLimiter.getTimeLimiterConfig().getTimeoutDuration();
	}

	/**
	 * Returns how many calls were turned away because the pool and its queue were full, or
	 * on virtual threads because the concurrency limit was reached, or, for {@code Mono}
	 * and {@code Flux} calls, their concurrency limit.
	 * @return the count
	 */
	public long rejectedCalls() {
		return this.rejectedCalls.sum();
	}

	@Override
	public String toString() {
		return "Business function '" + this.name + "'";
	}

	/**
	 * What becomes of a call that could not succeed: its cause, and whether this function
	 * refused it (open circuit, full pool or concurrency limit, time limit) rather than
	 * the call throwing.
	 */
	@FunctionalInterface
	private interface Answer<T> {

		T apply(Throwable cause, boolean refused);

	}

}
