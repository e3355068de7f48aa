package dev.faultline.autoconfigure;

import java.time.Duration;
import java.util.concurrent.Flow;

import dev.faultline.function.BusinessFunction;
import dev.faultline.function.BusinessFunctionDeclarationException;
import dev.faultline.function.BusinessFunctions;
import dev.faultline.function.FunctionRefusedException;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * {@code @BusinessFunction} methods returning Reactor's {@code Mono} and {@code Flux}
 * (tests that run with Reactor and resilience4j-reactor on the classpath).
 */
class ReactiveBusinessFunctionTests {

	private static final Duration WAIT = Duration.ofSeconds(5);

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(AopAutoConfiguration.class, BootAutoConfigurations.BULKHEADS,
				BootAutoConfigurations.CIRCUIT_BREAKERS, BootAutoConfigurations.TIME_LIMITERS, PeerAutoConfiguration.class,
				BusinessFunctionAutoConfiguration.class))
		.withPropertyValues("faultline.functions.payment.peer=", "faultline.functions.ledger.peer=",
				"resilience4j.timelimiter.instances.payment.timeout-duration=200ms",
				"resilience4j.timelimiter.instances.ledger.timeout-duration=200ms");

	@Test
	void hungMonoAnswersItsFallbackAtTheTimeLimitAndTheBreakerCountsIt() {
		this.contextRunner.withUserConfiguration(PaymentsConfiguration.class).run((context) -> {
			Payments payments = context.getBean(Payments.class);
			long start = System.nanoTime();
			assertThat(payments.charge(Mono.never()).block(WAIT)).isEqualTo("pending after TimeLimitPassed");
			assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(WAIT);
			assertThat(context.getBean(BusinessFunctions.class).get("payment").getCircuitBreaker().getMetrics()
				.getNumberOfFailedCalls()).isEqualTo(1);
		});
	}

	@Test
	void monoThatErrsAnswersItsFallbackAndTheBreakerCountsIt() {
		this.contextRunner.withUserConfiguration(PaymentsConfiguration.class).run((context) -> {
			Payments payments = context.getBean(Payments.class);
			assertThat(payments.charge(Mono.error(new IllegalStateException("declined"))).block(WAIT))
				.isEqualTo("pending after IllegalStateException");
			assertThat(context.getBean(BusinessFunctions.class).get("payment").getCircuitBreaker().getMetrics()
				.getNumberOfFailedCalls()).isEqualTo(1);
		});
	}

	@Test
	void fluxWithoutAFallbackIsRefusedAtItsTimeLimit() {
		this.contextRunner.withUserConfiguration(PaymentsConfiguration.class).run((context) -> {
			Payments payments = context.getBean(Payments.class);
			assertThat(payments.receipts(Flux.just("r1", "r2")).collectList().block(WAIT)).containsExactly("r1", "r2");
			assertThatExceptionOfType(FunctionRefusedException.class)
				.isThrownBy(() -> payments.receipts(Flux.never()).blockLast(WAIT));
		});
	}

	@Test
	void otherReactiveReturnTypeStopsStartupNamingTheMethodAndWhatIsSupported() {
		this.contextRunner.withUserConfiguration(PublisherConfiguration.class)
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.isInstanceOf(BusinessFunctionDeclarationException.class)
				.hasMessageContaining("Publishers.charge()")
				.hasMessageContaining("java.util.concurrent.Flow$Publisher")
				.hasMessageContaining("Mono and Flux"));
	}

	@Test
	void blockingFunctionsMonoRunsOnItsPoolAndItsTimeLimitInterruptsTheBlockedThread() {
		this.contextRunner.withPropertyValues("faultline.functions.ledger.blocking=true")
			.withBean(Ledger.class)
			.run((context) -> {
				Ledger ledger = context.getBean(Ledger.class);
				assertThat(ledger.threadOf(Duration.ZERO).block(WAIT)).contains("ledger");
				assertThat(ledger.threadOf(WAIT).block(WAIT)).isEqualTo("unknown after TimeoutException");
			});
	}

	@Test
	void fluxOfABlockingFunctionStopsStartupNamingTheMethod() {
		this.contextRunner.withPropertyValues("faultline.functions.payment.blocking=true")
			.withUserConfiguration(PaymentsConfiguration.class)
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("Payments.receipts(Flux)")
				.hasMessageContaining("faultline.functions.payment.blocking=true"));
	}

	/** Blocking work in a Mono, such as JDBC behind Mono.fromCallable. */
	static class Ledger {

		@BusinessFunction(value = "ledger", fallbackMethod = "unknown")
		public Mono<String> threadOf(Duration work) {
			return Mono.fromCallable(() -> {
				Thread.sleep(work.toMillis());
				return Thread.currentThread().getName();
			});
		}

		Mono<String> unknown(Duration work, Throwable cause) {
			return Mono.just("unknown after " + cause.getClass().getSimpleName());
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class PaymentsConfiguration {

		@Bean
		Payments payments() {
			return new Payments();
		}

	}

	static class Payments {

		@BusinessFunction(value = "payment", fallbackMethod = "pending")
		public Mono<String> charge(Mono<String> answer) {
			return answer;
		}

		Mono<String> pending(Mono<String> answer, Throwable cause) {
			return Mono.just("pending after " + cause.getClass().getSimpleName());
		}

		@BusinessFunction("payment")
		public Flux<String> receipts(Flux<String> answer) {
			return answer;
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class PublisherConfiguration {

		@Bean
		Publishers publishers() {
			return new Publishers();
		}

	}

	static class Publishers {

		@BusinessFunction("payment")
		public Flow.Publisher<String> charge() {
			return (subscriber) -> {
			};
		}

	}

}
