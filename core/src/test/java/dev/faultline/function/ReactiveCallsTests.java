package dev.faultline.function;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import dev.faultline.function.FunctionRefusedException.Reason;
import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadConfig;
import io.github.resilience4j.bulkhead.BulkheadFullException;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.util.context.Context;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

class ReactiveCallsTests {

	private static final Duration LIMIT = Duration.ofMillis(200);

	private static final Duration WAIT = Duration.ofSeconds(5);

	private final FunctionFixtures fixtures = new FunctionFixtures();

	private final IsolatedFunction payment = this.fixtures.function("payment", 1, 1, LIMIT);

	private final ReactiveCalls calls = new ReactiveCalls(this.payment,
			Bulkhead.of("payment", BulkheadConfig.custom().maxConcurrentCalls(1).maxWaitDuration(Duration.ZERO).build()));

	@AfterEach
	void close() {
		this.fixtures.close();
	}

	@Test
	void functionOnThePoolShowsTheLimitOfItsReactiveCallsOnceItHasThem() {
		Bulkhead limit = Bulkhead.ofDefaults("payment");
		ReactiveFunctions functions = new ReactiveFunctions(new BusinessFunctions(List.of(this.payment)),
				(name) -> limit);
		assertThat(this.payment.getReactiveConcurrencyLimit()).isNull();

		assertThat(functions.mono("payment", () -> Mono.just("paid"), null).block(WAIT)).isEqualTo("paid");

		assertThat(this.payment.getReactiveConcurrencyLimit()).isSameAs(limit);
	}

	@Test
	void blockingMonoOfAFunctionOnItsPoolRunsOnAPoolThread() {
		ReactiveCalls onPool = ReactiveCalls.onPool(this.payment);

		String thread = onPool.mono(() -> Mono.fromCallable(() -> Thread.currentThread().getName()), null).block(WAIT);

		assertThat(thread).contains("payment");
		assertThat(this.payment.getCircuitBreaker().getMetrics().getNumberOfSuccessfulCalls()).isEqualTo(1);
	}

	@Test
	void blockingMonoOnThePoolPastItsTimeLimitHasItsThreadInterruptedAndGetsTheFallback() {
		ReactiveCalls onPool = ReactiveCalls.onPool(this.payment);
		AtomicBoolean interrupted = new AtomicBoolean();

		String answer = onPool.mono(() -> Mono.fromCallable(() -> {
			try {
				Thread.sleep(WAIT.toMillis());
				return "paid";
			}
			catch (InterruptedException ex) {
				interrupted.set(true);
				throw ex;
			}
		}), (cause) -> Mono.just(name(cause))).block(WAIT);

		assertThat(answer).isEqualTo("TimeoutException");
		await().atMost(WAIT).untilTrue(interrupted);
		assertThat(this.payment.getCircuitBreaker().getMetrics().getNumberOfFailedCalls()).isEqualTo(1);
	}

	@Test
	void blockingMonoOnAFullPoolGetsTheFallbackWithTheBulkheadsCause() {
		ReactiveCalls onPool = ReactiveCalls.onPool(this.payment);
		CountDownLatch release = new CountDownLatch(1);
		// One thread and a queue of one: two calls hold the pool.
		for (int i = 0; i < 2; i++) {
			onPool.mono(() -> Mono.fromCallable(() -> release.await(5, TimeUnit.SECONDS)), null).subscribe();
		}
		await().atMost(WAIT).until(() -> this.payment.getBulkhead().getMetrics().getQueueDepth() == 1);

		String answer = onPool.mono(() -> Mono.just("paid"), (cause) -> Mono.just(name(cause))).block(WAIT);
		release.countDown();

		assertThat(answer).isEqualTo("BulkheadFullException");
	}

	@Test
	void blockingFunctionRefusesAFlux() {
		assertThatExceptionOfType(UnsupportedOperationException.class)
			.isThrownBy(() -> ReactiveCalls.onPool(this.payment).flux(() -> Flux.just("a"), null))
			.withMessageContaining("Mono of a list");
	}

	@Test
	void hungMonoGetsItsFallbackAtItsTimeLimitIsCancelledAndCountsAsAFailure() {
		AtomicBoolean cancelled = new AtomicBoolean();

		String answer = this.calls
			.mono(() -> Mono.<String>never().doOnCancel(() -> cancelled.set(true)), (cause) -> Mono.just(name(cause)))
			.block(WAIT);

		assertThat(answer).isEqualTo("TimeLimitPassed");
		assertThat(cancelled).isTrue();
		assertThat(this.payment.getCircuitBreaker().getMetrics().getNumberOfFailedCalls()).isEqualTo(1);
	}

	@Test
	void monoThatErrsGetsItsFallbackWithTheErrorAndCountsAsAFailure() {
		String answer = this.calls
			.mono(() -> Mono.<String>error(new IllegalStateException("declined")), (cause) -> Mono.just(cause.getMessage()))
			.block(WAIT);

		assertThat(answer).isEqualTo("declined");
		assertThat(this.payment.getCircuitBreaker().getMetrics().getNumberOfFailedCalls()).isEqualTo(1);
	}

	@Test
	void monoThatSucceedsIsCountedAsASuccessWithoutAThreadHop() {
		Thread caller = Thread.currentThread();
		AtomicBoolean sameThread = new AtomicBoolean();

		String answer = this.calls.mono(() -> Mono.fromSupplier(() -> {
			sameThread.set(Thread.currentThread() == caller);
			return "paid";
		}), null).block(WAIT);

		assertThat(answer).isEqualTo("paid");
		assertThat(sameThread).isTrue();
		assertThat(this.payment.getCircuitBreaker().getMetrics().getNumberOfSuccessfulCalls()).isEqualTo(1);
	}

	@Test
	void openCircuitAnswersTheFallbackAtOnceWithoutSubscribingToTheWork() {
		this.payment.getCircuitBreaker().transitionToOpenState();
		AtomicInteger subscribed = new AtomicInteger();

		String answer = this.calls.mono(() -> {
			subscribed.incrementAndGet();
			return Mono.just("paid");
		}, (cause) -> Mono.just(name(cause))).block(WAIT);

		assertThat(answer).isEqualTo(CallNotPermittedException.class.getSimpleName());
		assertThat(subscribed).hasValue(0);
	}

	@Test
	void callBeyondTheConcurrencyLimitIsRefusedWithoutTouchingTheBreaker() {
		Sinks.One<String> first = Sinks.one();
		this.calls.mono(first::asMono, null).subscribe();

		assertThatExceptionOfType(FunctionRefusedException.class)
			.isThrownBy(() -> this.calls.mono(() -> Mono.just("second"), null).block(WAIT))
			.satisfies((ex) -> assertThat(ex.getReason()).isEqualTo(Reason.CONCURRENCY_LIMIT))
			.withCauseInstanceOf(BulkheadFullException.class);
		assertThat(this.payment.rejectedCalls()).isEqualTo(1);
		assertThat(this.payment.getCircuitBreaker().getMetrics().getNumberOfBufferedCalls()).isZero();
		first.tryEmitValue("first");
	}

	@Test
	void withoutAFallbackATimeLimitIsARefusalAndTheWorksOwnErrorIsPassedOnUnchanged() {
		assertThatExceptionOfType(FunctionRefusedException.class)
			.isThrownBy(() -> this.calls.mono(Mono::never, null).block(WAIT))
			.satisfies((ex) -> assertThat(ex.getReason()).isEqualTo(Reason.TIME_LIMIT))
			.withCauseInstanceOf(TimeoutException.class);
		IllegalStateException declined = new IllegalStateException("declined");
		assertThatExceptionOfType(IllegalStateException.class)
			.isThrownBy(() -> this.calls.mono(() -> Mono.error(declined), null).block(WAIT))
			.isSameAs(declined);
	}

	@Test
	void fallbackSeesTheCallersReactorContext() {
		String answer = this.calls
			.mono(() -> Mono.<String>error(new IllegalStateException("declined")),
					(cause) -> Mono.deferContextual((context) -> Mono.just(context.get("tenant"))))
			.contextWrite(Context.of("tenant", "acme"))
			.block(WAIT);

		assertThat(answer).isEqualTo("acme");
	}

	@Test
	void fluxWaitsAtMostTheTimeLimitForEachElementThenItsFallbackContinues() {
		List<String> elements = this.calls
			.flux(() -> Flux.concat(Flux.just("a", "b"), Flux.never()), (cause) -> Flux.just(name(cause)))
			.collectList()
			.block(WAIT);

		assertThat(elements).containsExactly("a", "b", "TimeLimitPassed");
		assertThat(this.payment.getCircuitBreaker().getMetrics().getNumberOfFailedCalls()).isEqualTo(1);
	}

	@Test
	void fluxSlowerOverallThanTheTimeLimitButSteadyIsNotCut() {
		// A 1 s limit and an element every 100 ms: ten times the margin a loaded machine needs.
		ReactiveCalls steady = new ReactiveCalls(this.fixtures.function("stream", 1, 1, Duration.ofSeconds(1)),
				Bulkhead.of("stream", BulkheadConfig.ofDefaults()));

		List<Long> elements = steady.flux(() -> Flux.interval(Duration.ofMillis(100)).take(15), null)
			.collectList()
			.block(WAIT);

		// 1.5 s in all, past the limit as a whole.
		assertThat(elements).hasSize(15);
	}

	private static String name(Throwable cause) {
		return cause.getClass().getSimpleName();
	}

}
