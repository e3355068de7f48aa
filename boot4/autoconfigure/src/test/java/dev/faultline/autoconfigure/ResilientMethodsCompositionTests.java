package dev.faultline.autoconfigure;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.faultline.function.BusinessFunction;
import dev.faultline.function.BusinessFunctionDeclarationException;
import dev.faultline.function.BusinessFunctions;
import dev.faultline.function.FunctionRefusedException;
import dev.faultline.function.FunctionRefusedException.Reason;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.resilience.annotation.ConcurrencyLimit;
import org.springframework.resilience.annotation.EnableResilientMethods;
import org.springframework.resilience.annotation.Retryable;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Spring Framework 7's {@code @Retryable} and {@code @ConcurrencyLimit} on
 * {@code @BusinessFunction} methods: fallback outermost, then the concurrency limit, then
 * the retry, then one function call per attempt.
 */
class ResilientMethodsCompositionTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(AopAutoConfiguration.class, BootAutoConfigurations.BULKHEADS,
				BootAutoConfigurations.CIRCUIT_BREAKERS, BootAutoConfigurations.TIME_LIMITERS, PeerAutoConfiguration.class,
				BusinessFunctionAutoConfiguration.class))
		.withPropertyValues("faultline.functions.payment=", "faultline.functions.delivery=",
				"resilience4j.timelimiter.instances.payment.timeout-duration=300ms",
				"resilience4j.thread-pool-bulkhead.instances.payment.core-thread-pool-size=1",
				"resilience4j.thread-pool-bulkhead.instances.payment.max-thread-pool-size=1",
				"resilience4j.thread-pool-bulkhead.instances.payment.queue-capacity=1")
		.withUserConfiguration(PaymentsConfiguration.class);

	@Test
	void eachRetryIsAFunctionCallThatTheBreakerCounts() {
		this.contextRunner.run((context) -> {
			Payments payments = context.getBean(Payments.class);
			payments.fail(2);
			assertThat(payments.charge("order-1")).startsWith("charged order-1 on bulkhead-payment");
			assertThat(payments.attempts()).isEqualTo(3);
			CircuitBreaker.Metrics metrics = breaker(context).getMetrics();
			assertThat(metrics.getNumberOfFailedCalls()).isEqualTo(2);
			assertThat(metrics.getNumberOfSuccessfulCalls()).isEqualTo(1);
		});
	}

	@Test
	void fallbackAnswersOnlyOnceTheRetriesHaveGivenUp() {
		this.contextRunner.run((context) -> {
			Payments payments = context.getBean(Payments.class);
			payments.fail(Integer.MAX_VALUE);
			assertThat(payments.chargeOrDefer("order-2")).isEqualTo("deferred order-2 after IllegalStateException");
			assertThat(payments.attempts()).isEqualTo(3);
			assertThat(breaker(context).getMetrics().getNumberOfFailedCalls()).isEqualTo(3);
		});
	}

	@Test
	void callPastItsTimeLimitIsRetriedAndCounted() {
		this.contextRunner.run((context) -> {
			Payments payments = context.getBean(Payments.class);
			payments.hang(1);
			assertThat(payments.charge("order-3")).startsWith("charged order-3");
			assertThat(payments.attempts()).isEqualTo(2);
			assertThat(breaker(context).getMetrics().getNumberOfFailedCalls()).isEqualTo(1);
		});
	}

	@Test
	void openCircuitIsNotRetriedAndGetsTheFallbackWithItsCause() {
		this.contextRunner.run((context) -> {
			Payments payments = context.getBean(Payments.class);
			breaker(context).transitionToOpenState();
			assertThat(payments.chargeOrDefer("order-4")).isEqualTo("deferred order-4 after CallNotPermittedException");
			assertThat(payments.attempts()).isEqualTo(0);
			assertThat(breaker(context).getMetrics().getNumberOfNotPermittedCalls()).isEqualTo(1);
		});
	}

	@Test
	void openCircuitWithoutAFallbackIsRefusedOnceAndNotRetried() {
		this.contextRunner.run((context) -> {
			Payments payments = context.getBean(Payments.class);
			breaker(context).transitionToOpenState();
			assertThatExceptionOfType(FunctionRefusedException.class).isThrownBy(() -> payments.charge("order-5"))
				.satisfies((ex) -> assertThat(ex.getReason()).isEqualTo(Reason.CIRCUIT_OPEN))
				.withCauseInstanceOf(CallNotPermittedException.class);
			assertThat(breaker(context).getMetrics().getNumberOfNotPermittedCalls()).isEqualTo(1);
		});
	}

	@Test
	void fullPoolIsNotRetried() {
		this.contextRunner.run((context) -> {
			Payments payments = context.getBean(Payments.class);
			BusinessFunctions functions = context.getBean(BusinessFunctions.class);
			CountDownLatch release = new CountDownLatch(1);
			// One call on the pool's only thread and one in its queue fill it.
			CompletableFuture<?> first = CompletableFuture.runAsync(() -> functions.call("payment", () -> hold(release)));
			await().until(() -> functions.get("payment").getBulkhead().getMetrics().getActiveThreadCount() == 1);
			CompletableFuture<?> second = CompletableFuture.runAsync(() -> functions.call("payment", () -> hold(release)));
			await().until(() -> functions.get("payment").getBulkhead().getMetrics().getRemainingQueueCapacity() == 0);
			try {
				assertThatExceptionOfType(FunctionRefusedException.class).isThrownBy(() -> payments.charge("order-6"))
					.satisfies((ex) -> assertThat(ex.getReason()).isEqualTo(Reason.POOL_FULL));
				assertThat(functions.get("payment").rejectedCalls()).isEqualTo(1);
				assertThat(payments.attempts()).isEqualTo(0);
			}
			finally {
				release.countDown();
				CompletableFuture.allOf(first, second).join();
			}
		});
	}

	@Test
	void concurrencyLimitRejectionGetsTheFallback() {
		this.contextRunner.run((context) -> {
			Shipments shipments = context.getBean(Shipments.class);
			CountDownLatch release = new CountDownLatch(1);
			CompletableFuture<String> first = CompletableFuture.supplyAsync(() -> shipments.ship(release));
			await().until(() -> shipments.inside() == 1);
			try {
				assertThat(shipments.ship(release)).isEqualTo("not shipped: InvocationRejectedException");
			}
			finally {
				release.countDown();
			}
			assertThat(first.join()).isEqualTo("shipped");
		});
	}

	@Test
	void beanWithoutResilientMethodsKeepsOneFaultlineAdvisor() {
		this.contextRunner.run((context) -> {
			org.springframework.aop.framework.Advised plain = (org.springframework.aop.framework.Advised) context
				.getBean(Plain.class);
			assertThat(plain.getAdvisors()).hasAtLeastOneElementOfType(dev.faultline.function.BusinessFunctionAdvisor.class);
			assertThat(context.getBean(Plain.class).pay()).startsWith("paid on bulkhead-payment");
		});
	}

	@Test
	void retryOnAFunctionReturningAFutureStopsStartupNamingTheMethod() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(AopAutoConfiguration.class, BootAutoConfigurations.BULKHEADS,
					BootAutoConfigurations.CIRCUIT_BREAKERS, BootAutoConfigurations.TIME_LIMITERS,
					PeerAutoConfiguration.class, BusinessFunctionAutoConfiguration.class))
			.withPropertyValues("faultline.functions.payment=")
			.withUserConfiguration(FutureConfiguration.class)
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.isInstanceOf(BusinessFunctionDeclarationException.class)
				.hasMessageContaining("FuturePayments.charge(String)")
				.hasMessageContaining("@Retryable"));
	}

	private static CircuitBreaker breaker(AssertableApplicationContext context) {
		return context.getBean(BusinessFunctions.class).get("payment").getCircuitBreaker();
	}

	private static Object hold(CountDownLatch latch) {
		try {
			return latch.await(10, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	@Configuration(proxyBeanMethods = false)
	@EnableResilientMethods
	static class PaymentsConfiguration {

		@Bean
		Payments payments() {
			return new Payments();
		}

		@Bean
		Shipments shipments() {
			return new Shipments();
		}

		@Bean
		Plain plain() {
			return new Plain();
		}

	}

	static class Payments {

		final AtomicInteger attempts = new AtomicInteger();

		final AtomicInteger failures = new AtomicInteger();

		final AtomicInteger hangs = new AtomicInteger();

		@BusinessFunction("payment")
		@Retryable(maxRetries = 2, delay = 10)
		public String charge(String order) {
			return attempt(order);
		}

		@BusinessFunction(value = "payment", fallbackMethod = "defer")
		@Retryable(maxRetries = 2, delay = 10)
		public String chargeOrDefer(String order) {
			return attempt(order);
		}

		String defer(String order, Throwable cause) {
			return "deferred " + order + " after " + cause.getClass().getSimpleName();
		}

		// The bean is a class-based proxy: state is read and set through its methods.
		public int attempts() {
			return this.attempts.get();
		}

		public void fail(int times) {
			this.failures.set(times);
		}

		public void hang(int times) {
			this.hangs.set(times);
		}

		private String attempt(String order) {
			this.attempts.incrementAndGet();
			if (this.hangs.getAndDecrement() > 0) {
				hold(new CountDownLatch(1));
			}
			if (this.failures.getAndDecrement() > 0) {
				throw new IllegalStateException("payment failed");
			}
			return "charged " + order + " on " + Thread.currentThread().getName();
		}

	}

	static class Shipments {

		final AtomicInteger inside = new AtomicInteger();

		@BusinessFunction(value = "delivery", fallbackMethod = "notShipped")
		@ConcurrencyLimit(limit = 1, policy = ConcurrencyLimit.ThrottlePolicy.REJECT)
		public String ship(CountDownLatch release) {
			this.inside.incrementAndGet();
			hold(release);
			return "shipped";
		}

		public int inside() {
			return this.inside.get();
		}

		String notShipped(CountDownLatch release, Throwable cause) {
			return "not shipped: " + cause.getClass().getSimpleName();
		}

	}

	static class Plain {

		@BusinessFunction("payment")
		public String pay() {
			return "paid on " + Thread.currentThread().getName();
		}

	}

	@Configuration(proxyBeanMethods = false)
	@EnableResilientMethods
	static class FutureConfiguration {

		@Bean
		FuturePayments futurePayments() {
			return new FuturePayments();
		}

	}

	static class FuturePayments {

		@BusinessFunction("payment")
		@Retryable
		public CompletableFuture<String> charge(String order) {
			return CompletableFuture.completedFuture(order);
		}

	}

}
