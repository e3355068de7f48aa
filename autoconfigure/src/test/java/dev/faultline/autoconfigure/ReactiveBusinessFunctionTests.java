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
		.withPropertyValues("faultline.functions.payment=",
				"resilience4j.timelimiter.instances.payment.timeout-duration=200ms");

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
