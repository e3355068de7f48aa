package dev.faultline.function;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import dev.faultline.function.FunctionRefusedException.Reason;
import io.github.resilience4j.bulkhead.BulkheadFullException;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.aop.framework.ProxyFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * A call without a fallback that the function refused ends in a
 * {@link FunctionRefusedException}; one that threw ends in what it threw.
 */
class FunctionRefusedTests {

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
	void fullPoolWithoutFallbackThrowsARefusalNamingTheFunctionWithRetryAfterOneSecond() {
		IsolatedFunction order = fullFunction("order");

		assertThatExceptionOfType(FunctionRefusedException.class).isThrownBy(() -> order.call(() -> "ran"))
			.withMessage("Business function 'order' refused the call: its pool and queue are full")
			.withCauseInstanceOf(BulkheadFullException.class)
			.satisfies((refusal) -> {
				assertThat(refusal.getFunction()).isEqualTo("order");
				assertThat(refusal.getReason()).isEqualTo(Reason.POOL_FULL);
				assertThat(refusal.getReason().id()).isEqualTo("pool-full");
				assertThat(refusal.getRetryAfter()).isEqualTo(Duration.ofSeconds(1));
			});
	}

	@Test
	void openCircuitWithoutFallbackThrowsARefusalWithTheWaitInOpenStateRoundedUpToSeconds() {
		IsolatedFunction payment = this.fixtures.function("payment", 1, 1, LONG_LIMIT,
				CircuitBreakerConfig.custom().waitDurationInOpenState(Duration.ofMillis(7200)).build());
		payment.getCircuitBreaker().transitionToOpenState();

		assertThatExceptionOfType(FunctionRefusedException.class).isThrownBy(() -> payment.call(() -> "ran"))
			.withCauseInstanceOf(CallNotPermittedException.class)
			.satisfies((refusal) -> {
				assertThat(refusal.getReason()).isEqualTo(Reason.CIRCUIT_OPEN);
				assertThat(refusal.getReason().id()).isEqualTo("circuit-open");
				assertThat(refusal.getRetryAfter()).isEqualTo(Duration.ofSeconds(8));
			});
	}

	@Test
	void passedTimeLimitWithoutFallbackThrowsARefusalWithRetryAfterOneSecond() {
		IsolatedFunction payment = this.fixtures.function("payment", 1, 1, Duration.ofMillis(200));

		assertThatExceptionOfType(FunctionRefusedException.class)
			.isThrownBy(() -> payment.call(() -> this.release.await(30, TimeUnit.SECONDS)))
			.withCauseInstanceOf(TimeoutException.class)
			.satisfies((refusal) -> {
				assertThat(refusal.getReason()).isEqualTo(Reason.TIME_LIMIT);
				assertThat(refusal.getReason().id()).isEqualTo("time-limit");
				assertThat(refusal.getRetryAfter()).isEqualTo(Duration.ofSeconds(1));
			});
	}

	@Test
	void resilience4jExceptionsThrownByTheCallItselfAreRethrownNotTakenForRefusals() {
		IsolatedFunction payment = this.fixtures.function("payment", 1, 1, LONG_LIMIT);
		CircuitBreaker other = CircuitBreaker.ofDefaults("other");
		List<Exception> thrownByTheCall = List.of(new TimeoutException("the call's own"),
				CallNotPermittedException.createCallNotPermittedException(other),
				BulkheadFullException.createBulkheadFullException(fullFunction("other").getBulkhead()));

		for (Exception thrown : thrownByTheCall) {
			assertThatException().isThrownBy(() -> payment.call(() -> {
				throw thrown;
			})).isSameAs(thrown);
		}
	}

	@Test
	void fallbackStillGetsResilience4jsExceptionOfTheRefusal() {
		IsolatedFunction order = fullFunction("order");

		Object answer = order.<Object>call(() -> "ran", (cause) -> cause);

		assertThat(answer).isInstanceOf(BulkheadFullException.class);
	}

	@Test
	void asynchronousCallWithoutFallbackPastItsTimeLimitCompletesWithARefusal() {
		IsolatedFunction payment = this.fixtures.function("payment", 1, 1, Duration.ofMillis(200));

		CompletableFuture<String> result = payment.callAsync(CompletableFuture::new);

		assertThatExceptionOfType(ExecutionException.class).isThrownBy(() -> result.get(10, TimeUnit.SECONDS))
			.havingCause()
			.isInstanceOfSatisfying(FunctionRefusedException.class,
					(refusal) -> assertThat(refusal.getReason()).isEqualTo(Reason.TIME_LIMIT));
	}

	@Test
	void asynchronousCallWithoutFallbackThatFailsCompletesWithItsOwnException() {
		IsolatedFunction payment = this.fixtures.function("payment", 1, 1, LONG_LIMIT);
		IllegalStateException failure = new IllegalStateException("card declined");

		CompletableFuture<String> result = payment.callAsync(() -> CompletableFuture.failedFuture(failure));

		assertThatExceptionOfType(ExecutionException.class).isThrownBy(() -> result.get(10, TimeUnit.SECONDS))
			.withCause(failure);
	}

	@Test
	void annotatedMethodWithoutFallbackPastItsTimeLimitThrowsARefusalNotAnUndeclaredThrowable() {
		IsolatedFunction payment = this.fixtures.function("payment", 1, 1, Duration.ofMillis(200));
		BusinessFunctions functions = new BusinessFunctions(List.of(payment));
		ProxyFactory factory = new ProxyFactory(new HangingPaymentClient(this.release));
		factory.addInterface(PaymentClient.class);
		factory.addAdvice(new BusinessFunctionInterceptor(() -> functions));
		PaymentClient client = (PaymentClient) factory.getProxy();

		assertThatExceptionOfType(FunctionRefusedException.class).isThrownBy(client::charge)
			.satisfies((refusal) -> assertThat(refusal.getReason()).isEqualTo(Reason.TIME_LIMIT));
	}

	private IsolatedFunction fullFunction(String name) {
		IsolatedFunction function = this.fixtures.function(name, 1, 1, LONG_LIMIT);
		CountDownLatch running = new CountDownLatch(1);
		this.callers.submit(() -> function.call(() -> {
			running.countDown();
			return this.release.await(30, TimeUnit.SECONDS);
		}, (cause) -> false));
		await().until(() -> running.getCount() == 0);
		this.callers.submit(() -> function.call(() -> this.release.await(30, TimeUnit.SECONDS), (cause) -> false));
		await().until(() -> function.getBulkhead().getMetrics().getQueueDepth() == 1);
		return function;
	}

	interface PaymentClient {

		String charge();

	}

	static class HangingPaymentClient implements PaymentClient {

		private final CountDownLatch release;

		HangingPaymentClient(CountDownLatch release) {
			this.release = release;
		}

		@Override
		@BusinessFunction("payment")
		public String charge() {
			try {
				this.release.await(30, TimeUnit.SECONDS);
				return "paid";
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return "interrupted";
			}
		}

	}

}
