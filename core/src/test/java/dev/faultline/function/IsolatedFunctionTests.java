package dev.faultline.function;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import io.github.resilience4j.bulkhead.BulkheadFullException;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.awaitility.Awaitility.await;

class IsolatedFunctionTests {

	private static final Duration LONG_LIMIT = Duration.ofSeconds(10);

	private final FunctionFixtures fixtures = new FunctionFixtures();

	private final ExecutorService callers = Executors.newCachedThreadPool();

	private final CountDownLatch release = new CountDownLatch(1);

	@AfterEach
	void cleanUp() {
		this.release.countDown();
		this.callers.shutdownNow();
		this.fixtures.close();
	}

	@Test
	void callRunsOnTheFunctionsPoolAndReturnsItsResult() {
		IsolatedFunction payment = this.fixtures.function("payment", 2, 2, LONG_LIMIT);

		String thread = payment.call(() -> Thread.currentThread().getName(), (cause) -> "fallback");

		assertThat(thread).isNotEqualTo(Thread.currentThread().getName()).contains("payment");
		assertThat(payment.getCircuitBreaker().getMetrics().getNumberOfSuccessfulCalls()).isEqualTo(1);
	}

	@Test
	void poolAndQueueFullAnswersTheFallbackAtOnceWithoutCountingAFailure() throws Exception {
		IsolatedFunction payment = this.fixtures.function("payment", 1, 1, LONG_LIMIT);
		CountDownLatch running = new CountDownLatch(1);
		this.callers.submit(() -> payment.call(() -> {
			running.countDown();
			return this.release.await(30, TimeUnit.SECONDS);
		}, (cause) -> false));
		running.await(10, TimeUnit.SECONDS);
		this.callers.submit(() -> payment.call(() -> this.release.await(30, TimeUnit.SECONDS), (cause) -> false));
		await().until(() -> payment.getBulkhead().getMetrics().getQueueDepth() == 1);

		long start = System.nanoTime();
		Object answer = payment.call(() -> "ran", (cause) -> cause);

		// Had it waited, it would have waited for the ten-second limit.
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(LONG_LIMIT.dividedBy(2));
		assertThat(answer).isInstanceOf(BulkheadFullException.class);
		assertThat(payment.rejectedCalls()).isEqualTo(1);
		assertThat(payment.getCircuitBreaker().getMetrics().getNumberOfFailedCalls()).isZero();
	}

	@Test
	void timeLimitPassedAnswersTheFallbackAndInterruptsTheWorker() throws Exception {
		IsolatedFunction payment = this.fixtures.function("payment", 1, 1, Duration.ofMillis(200));
		CountDownLatch interrupted = new CountDownLatch(1);

		Object answer = payment.call(() -> {
			try {
				this.release.await();
				return "released";
			}
			catch (InterruptedException ex) {
				interrupted.countDown();
				throw ex;
			}
		}, (cause) -> cause);

		assertThat(answer).isInstanceOf(TimeoutException.class);
		assertThat(interrupted.await(10, TimeUnit.SECONDS)).as("worker interrupted").isTrue();
		assertThat(payment.getCircuitBreaker().getMetrics().getNumberOfFailedCalls()).isEqualTo(1);
	}

	@Test
	void interruptOfATimedOutCallDoesNotReachTheNextCallOnTheSameThread() {
		IsolatedFunction payment = this.fixtures.function("payment", 1, 1, Duration.ofMillis(100),
				CircuitBreakerConfig.custom().slidingWindowSize(1000).minimumNumberOfCalls(1000).build());
		for (int i = 0; i < 20; i++) {
			payment.call(() -> {
				// Busy, not blocked: the interrupt lands while the call is still running.
				long until = System.nanoTime() + Duration.ofMillis(150).toNanos();
				while (System.nanoTime() < until) {
					Thread.onSpinWait();
				}
				return "late";
			}, (cause) -> "fallback");
			await().until(() -> payment.getBulkhead().getMetrics().getActiveThreadCount() == 0);
			Boolean interrupted = null;
			// The probe has the same 100 ms limit; on a loaded machine it may pass it, which
			// says nothing about the interrupt: probe again.
			for (int attempt = 0; interrupted == null && attempt < 10; attempt++) {
				interrupted = payment.call(() -> Thread.currentThread().isInterrupted(), (cause) -> {
					if (cause instanceof TimeoutException) {
						return null;
					}
					throw new AssertionError("the probing call itself must not fail", cause);
				});
			}
			assertThat(interrupted).as("interrupt status of the next call, round %d", i).isNotNull().isFalse();
		}
	}

	@Test
	void callStillQueuedWhenItsTimeLimitPassesNeverRuns() throws Exception {
		IsolatedFunction payment = this.fixtures.function("payment", 1, 4, Duration.ofMillis(200));
		CountDownLatch running = new CountDownLatch(1);
		this.callers.submit(() -> payment.call(() -> {
			running.countDown();
			// Ignores interrupts, so the only thread stays busy past the queued call's limit.
			long until = System.nanoTime() + Duration.ofMillis(600).toNanos();
			while (System.nanoTime() < until) {
				Thread.onSpinWait();
			}
			return "first";
		}, (cause) -> "fallback"));
		running.await(10, TimeUnit.SECONDS);
		AtomicBoolean queuedRan = new AtomicBoolean();

		Object answer = payment.call(() -> queuedRan.getAndSet(true), (cause) -> cause);

		assertThat(answer).isInstanceOf(TimeoutException.class);
		await().until(() -> payment.getBulkhead().getMetrics().getActiveThreadCount() == 0
				&& payment.getBulkhead().getMetrics().getQueueDepth() == 0);
		assertThat(queuedRan).isFalse();
	}

	@Test
	void openCircuitAnswersTheFallbackWithoutTouchingThePool() {
		IsolatedFunction payment = this.fixtures.function("payment", 1, 1, LONG_LIMIT);
		payment.getCircuitBreaker().transitionToOpenState();
		AtomicBoolean ran = new AtomicBoolean();

		Object answer = payment.call(() -> ran.getAndSet(true), (cause) -> cause);

		assertThat(answer).isInstanceOf(CallNotPermittedException.class);
		assertThat(ran).isFalse();
		assertThat(payment.getBulkhead().getMetrics().getThreadPoolSize()).isZero();
	}

	@Test
	void exceptionFromTheCallIsCountedThenGivenToTheFallback() {
		IsolatedFunction payment = this.fixtures.function("payment", 1, 1, LONG_LIMIT);
		IllegalStateException failure = new IllegalStateException("card declined");

		Object answer = payment.call(() -> {
			throw failure;
		}, (cause) -> cause);

		assertThat(answer).isSameAs(failure);
		assertThat(payment.getCircuitBreaker().getMetrics().getNumberOfFailedCalls()).isEqualTo(1);
	}

	@Test
	void failuresBeyondTheThresholdOpenTheCircuit() {
		IsolatedFunction payment = this.fixtures.function("payment", 1, 1, LONG_LIMIT);
		for (int i = 0; i < 5; i++) {
			payment.call(() -> {
				throw new IllegalStateException("down");
			}, (cause) -> "fallback");
		}

		assertThat(payment.getCircuitBreaker().getState()).isEqualTo(CircuitBreaker.State.OPEN);
	}

	@Test
	void failingFallbackPropagatesItsOwnException() {
		IsolatedFunction payment = this.fixtures.function("payment", 1, 1, LONG_LIMIT);

		assertThatIllegalStateException().isThrownBy(() -> payment.call(() -> {
			throw new IllegalArgumentException("call failed");
		}, (cause) -> {
			throw new IllegalStateException("fallback failed too", cause);
		})).withMessage("fallback failed too").withCauseInstanceOf(IllegalArgumentException.class);
	}

	@Test
	void asynchronousCallReturnsAtOnceAndCompletesWithTheResult() throws Exception {
		IsolatedFunction payment = this.fixtures.function("payment", 1, 1, LONG_LIMIT);
		CountDownLatch started = new CountDownLatch(1);

		CompletableFuture<String> result = payment.callAsync(() -> {
			started.countDown();
			this.release.await();
			return CompletableFuture.completedFuture("paid");
		}, (cause) -> CompletableFuture.completedFuture("pending"));

		assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
		assertThat(result).isNotDone();
		this.release.countDown();
		assertThat(result.get(10, TimeUnit.SECONDS)).isEqualTo("paid");
	}

	@Test
	void asynchronousCallPastItsTimeLimitCompletesWithTheFallback() throws Exception {
		IsolatedFunction payment = this.fixtures.function("payment", 1, 1, Duration.ofMillis(200));
		AtomicReference<Throwable> cause = new AtomicReference<>();

		CompletableFuture<String> result = payment.callAsync(() -> new CompletableFuture<String>(), (failure) -> {
			cause.set(failure);
			return CompletableFuture.completedFuture("pending");
		});

		assertThat(result.get(10, TimeUnit.SECONDS)).isEqualTo("pending");
		assertThat(cause.get()).isInstanceOf(TimeoutException.class);
	}

	@Test
	void repeatedTimeoutsLeaveNoThreadsBehind() throws Exception {
		IsolatedFunction payment = this.fixtures.function("payment", 4, 4, Duration.ofMillis(50));
		List<Future<?>> calls = new ArrayList<>();
		AtomicInteger fallbacks = new AtomicInteger();
		for (int i = 0; i < 200; i++) {
			calls.add(this.callers.submit(() -> payment.call(() -> {
				this.release.await();
				return "never";
			}, (cause) -> fallbacks.incrementAndGet())));
		}
		for (Future<?> call : calls) {
			call.get(30, TimeUnit.SECONDS);
		}

		assertThat(fallbacks).hasValue(200);
		assertThat(payment.getBulkhead().getMetrics().getThreadPoolSize()).isLessThanOrEqualTo(4);
		await().until(() -> payment.getBulkhead().getMetrics().getActiveThreadCount() == 0);
	}

}
