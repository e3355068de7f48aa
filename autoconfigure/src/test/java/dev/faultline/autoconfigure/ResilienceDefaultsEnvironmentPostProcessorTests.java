package dev.faultline.autoconfigure;

import java.time.Duration;

import dev.faultline.function.BusinessFunctions;
import dev.faultline.function.IsolatedFunction;
import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThat;

class ResilienceDefaultsEnvironmentPostProcessorTests {

	private final ResilienceDefaultsEnvironmentPostProcessor postProcessor = new ResilienceDefaultsEnvironmentPostProcessor();

	@Test
	void defaultsGoUnderResilience4jsOwnKeysWithTheLowestPrecedence() {
		MockEnvironment environment = new MockEnvironment()
			.withProperty("resilience4j.timelimiter.configs.default.timeout-duration", "750ms");

		this.postProcessor.postProcessEnvironment(environment, new SpringApplication());

		assertThat(environment.getProperty("resilience4j.timelimiter.configs.default.timeout-duration"))
			.isEqualTo("750ms");
		assertThat(environment.getProperty("resilience4j.circuitbreaker.configs.default.minimum-number-of-calls"))
			.isEqualTo("10");
		assertThat(environment.getPropertySources().stream().reduce((first, second) -> second).orElseThrow().getName())
			.isEqualTo(ResilienceDefaultsEnvironmentPostProcessor.PROPERTY_SOURCE_NAME);
	}

	@Test
	void defaultsAreNotAddedWhenFaultlineIsDisabled() {
		MockEnvironment environment = new MockEnvironment().withProperty("faultline.enabled", "false");

		this.postProcessor.postProcessEnvironment(environment, new SpringApplication());

		assertThat(environment.getPropertySources().contains(ResilienceDefaultsEnvironmentPostProcessor.PROPERTY_SOURCE_NAME))
			.isFalse();
	}

	@Test
	void functionsInAnApplicationGetFaultlinesDefaultsAndTheUsersValuesKeyByKey() {
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(App.class)
			.web(WebApplicationType.NONE)
			.properties("faultline.functions.payment.peer=", "faultline.functions.delivery.peer=",
					"resilience4j.thread-pool-bulkhead.instances.delivery.queue-capacity=2",
					"resilience4j.circuitbreaker.configs.default.minimum-number-of-calls=4")
			.run()) {
			BusinessFunctions functions = context.getBean(BusinessFunctions.class);
			IsolatedFunction payment = functions.get("payment");
			IsolatedFunction delivery = functions.get("delivery");

			assertThat(payment.timeLimit()).isEqualTo(Duration.ofSeconds(2));
			assertThat(payment.getBulkhead().getBulkheadConfig().getCoreThreadPoolSize()).isEqualTo(4);
			assertThat(payment.getBulkhead().getBulkheadConfig().getMaxThreadPoolSize()).isEqualTo(8);
			assertThat(payment.getBulkhead().getBulkheadConfig().getQueueCapacity()).isEqualTo(16);
			assertThat(payment.getCircuitBreaker().getCircuitBreakerConfig().getSlidingWindowSize()).isEqualTo(20);
			assertThat(payment.getCircuitBreaker().getCircuitBreakerConfig().getMinimumNumberOfCalls()).isEqualTo(4);
			assertThat(delivery.getBulkhead().getBulkheadConfig().getQueueCapacity()).isEqualTo(2);
			assertThat(delivery.getBulkhead().getBulkheadConfig().getMaxThreadPoolSize()).isEqualTo(8);
		}
	}

	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class App {

	}

}
