package dev.faultline.autoconfigure;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import dev.faultline.function.BusinessFunction;
import dev.faultline.function.BusinessFunctionDeclarationException;
import dev.faultline.function.BusinessFunctions;
import dev.faultline.function.TimeLimitScheduler;
import io.github.resilience4j.bulkhead.ThreadPoolBulkhead;
import io.github.resilience4j.bulkhead.ThreadPoolBulkheadRegistry;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.micrometer.context.ContextSnapshotFactory;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

class BusinessFunctionAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(AopAutoConfiguration.class, BootAutoConfigurations.BULKHEADS,
				BootAutoConfigurations.CIRCUIT_BREAKERS, BootAutoConfigurations.TIME_LIMITERS, PeerAutoConfiguration.class,
				BusinessFunctionAutoConfiguration.class))
		.withPropertyValues("faultline.functions.payment.peer=payment-service",
				"faultline.functions.delivery.peer=", "faultline.peers.payment-service.instances[0]=http://127.0.0.1:9",
				"resilience4j.timelimiter.instances.payment.timeout-duration=300ms");

	@Test
	void declaredFunctionsGetResilience4jPartsOfTheirOwnNameFromTheRegistries() {
		this.contextRunner.run((context) -> {
			BusinessFunctions functions = context.getBean(BusinessFunctions.class);
			assertThat(functions.getFunctions()).containsOnlyKeys("payment", "delivery");
			assertThat(functions.get("payment").getBulkhead())
				.isSameAs(context.getBean(ThreadPoolBulkheadRegistry.class).bulkhead("payment"));
			assertThat(functions.get("payment").getCircuitBreaker())
				.isSameAs(context.getBean(CircuitBreakerRegistry.class).circuitBreaker("payment"));
			assertThat(functions.get("payment").timeLimit()).isEqualTo(Duration.ofMillis(300));
			assertThat(functions.get("payment").getPeer()).isEqualTo("payment-service");
		});
	}

	@Test
	void functionDeclaredWithAnEmptyYamlMapIsDeclared() {
		// YAML 'stock: {}' reaches the binder as an empty string.
		this.contextRunner.withPropertyValues("faultline.functions.stock=")
			.run((context) -> assertThat(context.getBean(BusinessFunctions.class).getFunctions())
				.containsOnlyKeys("payment", "delivery", "stock"));
	}

	@Test
	void programmaticCallToAnUndeclaredFunctionNamesTheDeclaredOnes() {
		this.contextRunner.run((context) -> assertThatIllegalArgumentException()
			.isThrownBy(() -> context.getBean(BusinessFunctions.class).call("stock", () -> 1, (cause) -> 0))
			.withMessageContaining("'stock'")
			.withMessageContaining("[payment, delivery]"));
	}

	@Test
	void annotatedMethodRunsOnTheFunctionsPool() {
		this.contextRunner.withUserConfiguration(PaymentClientConfiguration.class).run((context) -> {
			PaymentClient client = context.getBean(PaymentClient.class);
			assertThat(client.charge("order-1")).startsWith("charged order-1 on bulkhead-payment");
		});
	}

	@Test
	void annotatedMethodPastItsTimeLimitAnswersItsFallbackWithTheCause() {
		this.contextRunner.withUserConfiguration(PaymentClientConfiguration.class).run((context) -> {
			PaymentClient client = context.getBean(PaymentClient.class);
			assertThat(client.hang("order-2")).isEqualTo("pending order-2 after TimeoutException");
		});
	}

	@Test
	void annotatedAsynchronousMethodReturnsAStageThatFallsBack() {
		this.contextRunner.withUserConfiguration(PaymentClientConfiguration.class).run((context) -> {
			PaymentClient client = context.getBean(PaymentClient.class);
			assertThat(client.chargeLater("order-3").toCompletableFuture().get(10, TimeUnit.SECONDS))
				.isEqualTo("pending order-3 after IllegalStateException");
		});
	}

	@Test
	void annotatedMethodWithoutFallbackThrowsTheCause() {
		this.contextRunner.withUserConfiguration(PaymentClientConfiguration.class).run((context) -> {
			PaymentClient client = context.getBean(PaymentClient.class);
			assertThatIllegalStateException().isThrownBy(client::refuse).withMessage("refused");
		});
	}

	@Test
	void annotatedMethodOfAnUndeclaredFunctionStopsStartup() {
		this.contextRunner.withUserConfiguration(UndeclaredFunctionConfiguration.class)
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.isInstanceOf(BusinessFunctionDeclarationException.class)
				.hasMessageContaining("UndeclaredFunction.reserve(String)")
				.hasMessageContaining("'stock', which is not declared")
				.hasMessageContaining("faultline.functions.stock"));
	}

	@Test
	void fallbackWithTheWrongSignatureStopsStartupShowingTheExpectedOne() {
		this.contextRunner.withUserConfiguration(WrongFallbackConfiguration.class)
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.isInstanceOf(BusinessFunctionDeclarationException.class)
				.hasMessageContaining("Fallback method 'pending'")
				.hasMessageContaining("not compatible")
				.hasMessageContaining("String pending(String, Throwable cause)"));
	}

	@Test
	void undeclaredFunctionIsExplainedWithTheDeclarationToAdd() {
		this.contextRunner.withUserConfiguration(UndeclaredFunctionConfiguration.class).run((context) -> {
			FailureAnalysis analysis = new BusinessFunctionDeclarationFailureAnalyzer()
				.analyze(context.getStartupFailure());
			assertThat(analysis.getDescription()).contains("'stock', which is not declared");
			assertThat(analysis.getAction()).startsWith("Declare the function under 'faultline.functions.<name>'")
				.doesNotContain("fallback");
		});
	}

	@Test
	void fallbackWithTheWrongSignatureIsExplainedWithTheSignatureToWrite() {
		this.contextRunner.withUserConfiguration(WrongFallbackConfiguration.class).run((context) -> {
			FailureAnalysis analysis = new BusinessFunctionDeclarationFailureAnalyzer()
				.analyze(context.getStartupFailure());
			assertThat(analysis.getDescription()).contains("String pending(String, Throwable cause)");
			assertThat(analysis.getAction()).startsWith("Write the fallback method")
				.contains("signature shown above")
				.doesNotContain("faultline.functions");
		});
	}

	@Test
	void missingFallbackStopsStartup() {
		this.contextRunner.withUserConfiguration(MissingFallbackConfiguration.class)
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("Fallback method 'nowhere'")
				.hasMessageContaining("is missing"));
	}

	@Test
	void functionLinkedToAnUndeclaredPeerStopsStartup() {
		this.contextRunner.withPropertyValues("faultline.functions.stock.peer=warehouse")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("functions.stock.peer")
				.hasMessageContaining("must name a peer declared under faultline.peers [payment-service]"));
	}

	@Test
	void businessFunctionsWhenUserDefinesThemShouldBackOff() {
		this.contextRunner.withUserConfiguration(UserFunctions.class)
			.run((context) -> assertThat(context).getBean(BusinessFunctions.class).isSameAs(UserFunctions.FUNCTIONS));
	}

	@Test
	void timeLimitSchedulerWhenUserDefinesOneShouldBackOff() {
		this.contextRunner.withUserConfiguration(UserScheduler.class)
			.run((context) -> assertThat(context).getBean(TimeLimitScheduler.class)
				.isSameAs(context.getBean("userScheduler")));
	}

	@Test
	void contextSnapshotFactoryWhenUserDefinesOneShouldBackOff() {
		this.contextRunner.withUserConfiguration(UserSnapshots.class)
			.run((context) -> assertThat(context).getBean("faultlineContextSnapshotFactory")
				.isSameAs(UserSnapshots.SNAPSHOTS));
	}

	@Test
	void functionsWithoutResilience4jAreNotConfigured() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(ThreadPoolBulkhead.class))
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(BusinessFunctions.class));
	}

	static class PaymentClient {

		@BusinessFunction(value = "payment", fallbackMethod = "pending")
		String charge(String order) {
			return "charged " + order + " on " + Thread.currentThread().getName();
		}

		@BusinessFunction(value = "payment", fallbackMethod = "pending")
		String hang(String order) throws InterruptedException {
			Thread.sleep(10_000);
			return "charged " + order;
		}

		@BusinessFunction(value = "payment", fallbackMethod = "pendingLater")
		CompletionStage<String> chargeLater(String order) {
			return CompletableFuture.failedFuture(new IllegalStateException("declined"));
		}

		@BusinessFunction("delivery")
		String refuse() {
			throw new IllegalStateException("refused");
		}

		String pending(String order, Throwable cause) {
			assertThat(cause).isNotNull();
			return "pending " + order + " after " + ((cause instanceof TimeoutException) ? "TimeoutException"
					: cause.getClass().getSimpleName());
		}

		CompletionStage<String> pendingLater(String order, Throwable cause) {
			return CompletableFuture.completedFuture("pending " + order + " after " + cause.getClass().getSimpleName());
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class PaymentClientConfiguration {

		@Bean
		PaymentClient paymentClient() {
			return new PaymentClient();
		}

	}

	static class UndeclaredFunction {

		@BusinessFunction("stock")
		String reserve(String item) {
			return item;
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UndeclaredFunctionConfiguration {

		@Bean
		UndeclaredFunction undeclaredFunction() {
			return new UndeclaredFunction();
		}

	}

	static class WrongFallback {

		@BusinessFunction(value = "payment", fallbackMethod = "pending")
		String charge(String order) {
			return order;
		}

		String pending(Long order, Throwable cause) {
			return "pending";
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class WrongFallbackConfiguration {

		@Bean
		WrongFallback wrongFallback() {
			return new WrongFallback();
		}

	}

	static class MissingFallback {

		@BusinessFunction(value = "payment", fallbackMethod = "nowhere")
		String charge(String order) {
			return order;
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class MissingFallbackConfiguration {

		@Bean
		MissingFallback missingFallback() {
			return new MissingFallback();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UserFunctions {

		static final BusinessFunctions FUNCTIONS = new BusinessFunctions(java.util.List.of());

		@Bean
		BusinessFunctions userFunctions() {
			return FUNCTIONS;
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UserScheduler {

		@Bean(destroyMethod = "close")
		TimeLimitScheduler userScheduler() {
			return new TimeLimitScheduler();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UserSnapshots {

		static final ContextSnapshotFactory SNAPSHOTS = ContextSnapshotFactory.builder().build();

		@Bean
		ContextSnapshotFactory faultlineContextSnapshotFactory() {
			return SNAPSHOTS;
		}

	}

}
