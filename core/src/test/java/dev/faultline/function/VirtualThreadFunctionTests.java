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

import dev.faultline.function.FunctionRefusedException.Reason;
import io.github.resilience4j.bulkhead.BulkheadFullException;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledForJreRange;
import org.junit.jupiter.api.condition.JRE;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * The key isolation and time-limit behaviours of {@link IsolatedFunctionTests}, on virtual
 * threads under a concurrency limit instead of a platform pool.
 */
@EnabledForJreRange(min = JRE.JAVA_21, disabledReason = "virtual threads need Java 21 or later")
class VirtualThreadFunctionTests {

	private static final Duration LONG_LIMIT = Duration.ofSeconds(10);

	private final FunctionFixtures fixtures = new FunctionFixtures();

	private final ExecutorService callers = Executors.newCachedThreadPool();

	private final CountDownLatch release = new CountDownLatch(1);

	@AfterEach
	void cleanUp() {
		FunctionFixtures.CALLER.remove();
		this.release.countDown();
		this.callers.shutdownNow();
		this.fixtures.close();
	}

	@Test
	void callRunsOnAVirtualThreadOfItsOwnAndReturnsItsResult() {
		IsolatedFunction payment = this.fixtures.virtualFunction("payment", 2, LONG_LIMIT);

		Thread thread = payment.call(Thread::currentThread, (cause) -> null);

		assertThat(payment.getThreads()).isEqualTo(Threads.VIRTUAL);
		assertThat(FunctionFixtures.isVirtual(thread)).as("virtual thread").isTrue();
		assertThat(thread).isNotSameAs(Thread.currentThread());
		assertThat(thread.getName()).startsWith("payment-virtual-");
		assertThat(payment.getBulkhead()).isNull();
		assertThat(payment.getCircuitBreaker().getMetrics().getNumberOfSuccessfulCalls()).isEqualTo(1);
	}

	@Test
	void concurrencyLimitReachedAnswersTheFallbackAtOnceWithoutCountingAFailure() throws Exception {
		IsolatedFunction payment = this.fixtures.virtualFunction("payment", 1, LONG_LIMIT);
		holdOneCall(payment);
		AtomicBoolean ran = new AtomicBoolean();

		long start = System.nanoTime();
		Object answer = payment.call(() -> ran.getAndSet(true), (cause) -> cause);

		// Had it waited, it would have waited for the ten-second limit.
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(LONG_LIMIT.dividedBy(2));
		assertThat(answer).isInstanceOf(BulkheadFullException.class);
		assertThat(ran).isFalse();
		assertThat(payment.rejectedCalls()).isEqualTo(1);
		assertThat(payment.getCircuitBreaker().getMetrics().getNumberOfFailedCalls()).isZero();
	}

	@Test
	void concurrencyLimitReachedWithoutFallbackThrowsARefusalOfTheConcurrencyLimit() throws Exception {
		IsolatedFunction payment = this.fixtures.virtualFunction("payment", 1, LONG_LIMIT);
		holdOneCall(payment);

		assertThatExceptionOfType(FunctionRefusedException.class).isThrownBy(() -> payment.call(() -> "ran"))
			.withMessage("Business function 'payment' refused the call: its concurrency limit is reached")
			.withCauseInstanceOf(BulkheadFullException.class)
			.satisfies((refusal) -> {
				assertThat(refusal.getReason()).isEqualTo(Reason.CONCURRENCY_LIMIT);
				assertThat(refusal.getReason().id()).isEqualTo("concurrency-limit");
				assertThat(refusal.getRetryAfter()).isEqualTo(Duration.ofSeconds(1));
			});
	}

	@Test
	void timeLimitPassedAnswersTheFallbackInterruptsTheVirtualThreadAndGivesBackItsPermit() throws Exception {
		IsolatedFunction payment = this.fixtures.virtualFunction("payment", 1, Duration.ofMillis(200));
		CountDownLatch interrupted = new CountDownLatch(1);
		AtomicReference<Thread> worker = new AtomicReference<>();

		Object answer = payment.call(() -> {
			worker.set(Thread.currentThread());
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
		assertThat(interrupted.await(10, TimeUnit.SECONDS)).as("virtual thread interrupted").isTrue();
		assertThat(FunctionFixtures.isVirtual(worker.get())).isTrue();
		await().until(() -> !worker.get().isAlive());
		assertThat(payment.getConcurrencyLimit().getMetrics().getAvailableConcurrentCalls()).isEqualTo(1);
		assertThat(payment.getCircuitBreaker().getMetrics().getNumberOfFailedCalls()).isEqualTo(1);
	}

	@Test
	void interruptOfATimedOutCallReachesNeitherTheCallerNorTheNextCall() {
		IsolatedFunction payment = this.fixtures.virtualFunction("payment", 1, Duration.ofMillis(100),
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
			assertThat(Thread.currentThread().isInterrupted()).as("caller interrupted, round %d", i).isFalse();
			await().until(() -> payment.getConcurrencyLimit().getMetrics().getAvailableConcurrentCalls() == 1);
			boolean interrupted = payment.call(() -> Thread.currentThread().isInterrupted(), (cause) -> {
				throw new AssertionError("the probing call itself must not fail", cause);
			});
			assertThat(interrupted).as("interrupt status of the next call, round %d", i).isFalse();
		}
	}

	@Test
	void callersContextReachesTheCallAndTheFallback() throws Exception {
		IsolatedFunction payment = this.fixtures.virtualFunction("payment", 1, Duration.ofMillis(200));
		FunctionFixtures.CALLER.set("order-42");
		AtomicReference<String> inFallback = new AtomicReference<>();

		String inCall = payment.call(FunctionFixtures.CALLER::get, (cause) -> "fallback");
		CompletableFuture<String> late = payment.callAsync(CompletableFuture::new, (cause) -> {
			inFallback.set(FunctionFixtures.CALLER.get());
			return CompletableFuture.completedFuture("pending");
		});

		assertThat(inCall).isEqualTo("order-42");
		assertThat(late.get(10, TimeUnit.SECONDS)).isEqualTo("pending");
		// That fallback ran on the time-limit thread, where the caller's context is not.
		assertThat(inFallback).hasValue("order-42");
	}

	@Test
	void openCircuitAnswersTheFallbackWithoutStartingAThread() {
		IsolatedFunction payment = this.fixtures.virtualFunction("payment", 1, LONG_LIMIT);
		payment.getCircuitBreaker().transitionToOpenState();
		AtomicBoolean ran = new AtomicBoolean();

		Object answer = payment.call(() -> ran.getAndSet(true), (cause) -> cause);

		assertThat(answer).isInstanceOf(CallNotPermittedException.class);
		assertThat(ran).isFalse();
		assertThat(payment.rejectedCalls()).isZero();
	}

	@Test
	void exceptionFromTheCallIsCountedThenGivenToTheFallback() {
		IsolatedFunction payment = this.fixtures.virtualFunction("payment", 1, LONG_LIMIT);
		IllegalStateException failure = new IllegalStateException("card declined");

		Object answer = payment.call(() -> {
			throw failure;
		}, (cause) -> cause);

		assertThat(answer).isSameAs(failure);
		assertThat(payment.getCircuitBreaker().getMetrics().getNumberOfFailedCalls()).isEqualTo(1);
		assertThat(payment.getConcurrencyLimit().getMetrics().getAvailableConcurrentCalls()).isEqualTo(1);
	}

	@Test
	void asynchronousCallReturnsAtOnceAndCompletesWithTheResult() throws Exception {
		IsolatedFunction payment = this.fixtures.virtualFunction("payment", 1, LONG_LIMIT);
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
	void repeatedTimeoutsLeaveNoPermitsBehind() throws Exception {
		IsolatedFunction payment = this.fixtures.virtualFunction("payment", 4, Duration.ofMillis(50));
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
		await().until(() -> payment.getConcurrencyLimit().getMetrics().getAvailableConcurrentCalls() == 4);
	}

	private void holdOneCall(IsolatedFunction function) throws InterruptedException {
		CountDownLatch running = new CountDownLatch(1);
		this.callers.submit(() -> function.call(() -> {
			running.countDown();
			return this.release.await(30, TimeUnit.SECONDS);
		}, (cause) -> false));
		assertThat(running.await(10, TimeUnit.SECONDS)).isTrue();
	}

}
