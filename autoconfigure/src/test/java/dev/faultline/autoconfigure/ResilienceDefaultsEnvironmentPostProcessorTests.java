package dev.faultline.autoconfigure;

import java.time.Duration;
import java.util.function.Consumer;

import dev.faultline.function.BusinessFunctions;
import dev.faultline.function.IsolatedFunction;
import io.github.resilience4j.bulkhead.ThreadPoolBulkheadConfig;
import io.github.resilience4j.bulkhead.ThreadPoolBulkheadRegistry;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.timelimiter.TimeLimiterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.PropertySource;
import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Faultline's resilience4j defaults reach Faultline's functions and nothing else, below
 * whatever the user sets for them.
 */
class ResilienceDefaultsEnvironmentPostProcessorTests {

	private static final CircuitBreakerConfig RESILIENCE4J_BREAKER = CircuitBreakerConfig.ofDefaults();

	private static final ThreadPoolBulkheadConfig RESILIENCE4J_POOL = ThreadPoolBulkheadConfig.ofDefaults();

	private final ResilienceDefaultsEnvironmentPostProcessor postProcessor = new ResilienceDefaultsEnvironmentPostProcessor();

	@Test
	void defaultsGoUnderTheFunctionsOwnInstanceKeysAmongTheDefaultProperties() {
		MockEnvironment environment = new MockEnvironment().withProperty("faultline.functions.payment.peer", "payment")
			.withProperty("faultline.functions.delivery", "")
			.withProperty("resilience4j.timelimiter.instances.payment.timeout-duration", "750ms");

		this.postProcessor.postProcessEnvironment(environment, new SpringApplication());

		assertThat(environment.getProperty("resilience4j.timelimiter.instances.payment.timeout-duration"))
			.isEqualTo("750ms");
		assertThat(environment.getProperty("resilience4j.circuitbreaker.instances.payment.minimum-number-of-calls"))
			.isEqualTo("10");
		assertThat(environment.getProperty("resilience4j.timelimiter.instances.delivery.timeout-duration"))
			.isEqualTo("2s");
		assertThat(environment.getProperty("resilience4j.circuitbreaker.configs.default.minimum-number-of-calls"))
			.isNull();
		assertThat(environment.getPropertySources().get(ResilienceDefaultsEnvironmentPostProcessor.DEFAULT_PROPERTIES).getSource())
			.asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP)
			.containsEntry("resilience4j.thread-pool-bulkhead.instances.delivery.queue-capacity", "16")
			.doesNotContainKey("resilience4j.timelimiter.instances.payment.timeout-duration");
	}

	@Test
	void nothingIsAddedWithoutFunctions() {
		MockEnvironment environment = new MockEnvironment();

		this.postProcessor.postProcessEnvironment(environment, new SpringApplication());

		assertThat(environment.getPropertySources().contains(ResilienceDefaultsEnvironmentPostProcessor.DEFAULT_PROPERTIES)).isFalse();
		assertThat(environment.getPropertySources().get(ResilienceDefaultsEnvironmentPostProcessor.PROPERTY_SOURCE_NAME)
			.getSource()).asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP).isEmpty();
	}

	@Test
	void defaultsAreNotAddedWhenFaultlineIsDisabled() {
		MockEnvironment environment = new MockEnvironment().withProperty("faultline.enabled", "false")
			.withProperty("faultline.functions.payment", "");

		this.postProcessor.postProcessEnvironment(environment, new SpringApplication());

		assertThat(environment.getPropertySources().contains(ResilienceDefaultsEnvironmentPostProcessor.PROPERTY_SOURCE_NAME))
			.isFalse();
		assertThat(environment.getProperty("resilience4j.circuitbreaker.instances.payment.sliding-window-size")).isNull();
	}

	@Test
	void functionsGetFaultlinesDefaults() {
		run((context) -> {
			BusinessFunctions functions = context.getBean(BusinessFunctions.class);
			for (String name : new String[] { "payment", "delivery", "Stock_v2" }) {
				IsolatedFunction function = functions.get(name);
				assertThat(function.timeLimit()).as(name).isEqualTo(Duration.ofSeconds(2));
				ThreadPoolBulkheadConfig pool = function.getBulkhead().getBulkheadConfig();
				assertThat(pool.getCoreThreadPoolSize()).as(name).isEqualTo(4);
				assertThat(pool.getMaxThreadPoolSize()).as(name).isEqualTo(8);
				assertThat(pool.getQueueCapacity()).as(name).isEqualTo(16);
				CircuitBreakerConfig breaker = function.getCircuitBreaker().getCircuitBreakerConfig();
				assertThat(breaker.getSlidingWindowSize()).as(name).isEqualTo(20);
				assertThat(breaker.getMinimumNumberOfCalls()).as(name).isEqualTo(10);
				assertThat(breaker.getFailureRateThreshold()).as(name).isEqualTo(50);
				assertThat(breaker.getWaitIntervalFunctionInOpenState().apply(1)).as(name).isEqualTo(5000);
				assertThat(breaker.getPermittedNumberOfCallsInHalfOpenState()).as(name).isEqualTo(3);
				assertThat(breaker.isAutomaticTransitionFromOpenToHalfOpenEnabled()).as(name).isTrue();
			}
		}, "--faultline.functions.payment.peer=", "--faultline.functions.delivery=", "--faultline.functions.Stock_v2=");
	}

	@Test
	void usersOwnInstancesKeepResilience4jsDefaults() {
		run((context) -> {
			CircuitBreakerConfig breaker = context.getBean(CircuitBreakerRegistry.class)
				.circuitBreaker("inventory")
				.getCircuitBreakerConfig();
			assertThat(breaker.getFailureRateThreshold()).isEqualTo(40);
			assertResilience4jsOwnBreaker(breaker);
			ThreadPoolBulkheadConfig pool = context.getBean(ThreadPoolBulkheadRegistry.class)
				.bulkhead("inventory")
				.getBulkheadConfig();
			assertThat(pool.getQueueCapacity()).isEqualTo(3);
			assertThat(pool.getCoreThreadPoolSize()).isEqualTo(RESILIENCE4J_POOL.getCoreThreadPoolSize());
			assertThat(pool.getMaxThreadPoolSize()).isEqualTo(RESILIENCE4J_POOL.getMaxThreadPoolSize());
			assertThat(context.getBean(TimeLimiterRegistry.class)
				.timeLimiter("inventory")
				.getTimeLimiterConfig()
				.getTimeoutDuration()).isEqualTo(Duration.ofSeconds(1));
		}, "--faultline.functions.payment=", "--resilience4j.circuitbreaker.instances.inventory.failure-rate-threshold=40",
				"--resilience4j.thread-pool-bulkhead.instances.inventory.queue-capacity=3",
				"--resilience4j.timelimiter.instances.inventory.cancel-running-future=false");
	}

	@Test
	void instancesCreatedOnDemandKeepResilience4jsDefaults() {
		run((context) -> {
			assertResilience4jsOwnBreaker(
					context.getBean(CircuitBreakerRegistry.class).circuitBreaker("recommendations").getCircuitBreakerConfig());
			ThreadPoolBulkheadConfig pool = context.getBean(ThreadPoolBulkheadRegistry.class)
				.bulkhead("recommendations")
				.getBulkheadConfig();
			assertThat(pool.getQueueCapacity()).isEqualTo(RESILIENCE4J_POOL.getQueueCapacity());
			assertThat(pool.getMaxThreadPoolSize()).isEqualTo(RESILIENCE4J_POOL.getMaxThreadPoolSize());
			assertThat(context.getBean(TimeLimiterRegistry.class)
				.timeLimiter("recommendations")
				.getTimeLimiterConfig()
				.getTimeoutDuration()).isEqualTo(Duration.ofSeconds(1));
		}, "--faultline.functions.payment=");
	}

	@Test
	void usersConfigsDefaultKeysWinOnFunctionsAndReachTheUsersInstancesWithoutFaultlines() {
		run((context) -> {
			IsolatedFunction payment = context.getBean(BusinessFunctions.class).get("payment");
			CircuitBreakerConfig breaker = payment.getCircuitBreaker().getCircuitBreakerConfig();
			assertThat(breaker.getFailureRateThreshold()).isEqualTo(30);
			assertThat(breaker.getSlidingWindowSize()).isEqualTo(20);
			assertThat(payment.timeLimit()).isEqualTo(Duration.ofMillis(750));
			assertThat(payment.getBulkhead().getBulkheadConfig().getQueueCapacity()).isEqualTo(5);
			assertThat(payment.getBulkhead().getBulkheadConfig().getCoreThreadPoolSize()).isEqualTo(4);

			CircuitBreakerConfig inventory = context.getBean(CircuitBreakerRegistry.class)
				.circuitBreaker("inventory")
				.getCircuitBreakerConfig();
			assertThat(inventory.getMinimumNumberOfCalls()).isEqualTo(7);
			assertThat(inventory.getFailureRateThreshold()).isEqualTo(30);
			assertThat(inventory.getSlidingWindowSize()).isEqualTo(RESILIENCE4J_BREAKER.getSlidingWindowSize());
			assertThat(context.getBean(CircuitBreakerRegistry.class)
				.circuitBreaker("recommendations")
				.getCircuitBreakerConfig()
				.getSlidingWindowSize()).isEqualTo(RESILIENCE4J_BREAKER.getSlidingWindowSize());
		}, "--faultline.functions.payment=", "--resilience4j.circuitbreaker.configs.default.failureRateThreshold=30",
				"--resilience4j.timelimiter.configs.default.timeout-duration=750ms",
				"--resilience4j.thread-pool-bulkhead.configs.default.queue_capacity=5",
				"--resilience4j.circuitbreaker.instances.inventory.minimum-number-of-calls=7");
	}

	@Test
	void usersInstanceKeysWinOnAFunction() {
		run((context) -> {
			IsolatedFunction payment = context.getBean(BusinessFunctions.class).get("payment");
			CircuitBreakerConfig breaker = payment.getCircuitBreaker().getCircuitBreakerConfig();
			assertThat(breaker.getSlidingWindowSize()).isEqualTo(7);
			assertThat(breaker.getMinimumNumberOfCalls()).isEqualTo(10);
			assertThat(payment.getBulkhead().getBulkheadConfig().getQueueCapacity()).isEqualTo(2);
			assertThat(payment.getBulkhead().getBulkheadConfig().getMaxThreadPoolSize()).isEqualTo(8);
			assertThat(payment.timeLimit()).isEqualTo(Duration.ofMillis(300));
			assertThat(context.getEnvironment().getPropertySources().get(ResilienceDefaultsEnvironmentPostProcessor.DEFAULT_PROPERTIES).getSource())
				.asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP)
				.doesNotContainKey("resilience4j.circuitbreaker.instances.payment.sliding-window-size")
				.containsKey("resilience4j.circuitbreaker.instances.payment.minimum-number-of-calls");
		}, "--faultline.functions.payment=", "--resilience4j.circuitbreaker.instances.payment.slidingWindowSize=7",
				"--resilience4j.thread-pool-bulkhead.instances.payment.queue-capacity=2",
				"--resilience4j.timelimiter.instances.payment.timeout-duration=300ms");
	}

	@Test
	void usersBaseConfigWinsOnAFunctionAndFaultlineFillsInTheKeysItLeavesOut() {
		run((context) -> {
			IsolatedFunction payment = context.getBean(BusinessFunctions.class).get("payment");
			CircuitBreakerConfig breaker = payment.getCircuitBreaker().getCircuitBreakerConfig();
			assertThat(breaker.getSlidingWindowSize()).isEqualTo(50);
			assertThat(breaker.getWaitIntervalFunctionInOpenState().apply(1)).isEqualTo(30_000);
			assertThat(breaker.getMinimumNumberOfCalls()).isEqualTo(10);
			assertThat(breaker.isAutomaticTransitionFromOpenToHalfOpenEnabled()).isTrue();
			ThreadPoolBulkheadConfig pool = payment.getBulkhead().getBulkheadConfig();
			assertThat(pool.getCoreThreadPoolSize()).isEqualTo(1);
			assertThat(pool.getMaxThreadPoolSize()).isEqualTo(2);
			// resilience4j builds a pool's base config on configs.default.
			assertThat(pool.getQueueCapacity()).isEqualTo(5);
			assertThat(payment.timeLimit()).isEqualTo(Duration.ofMillis(400));

			// A config of the function's name is its circuit breaker's base.
			CircuitBreakerConfig delivery = context.getBean(BusinessFunctions.class)
				.get("delivery")
				.getCircuitBreaker()
				.getCircuitBreakerConfig();
			assertThat(delivery.getSlidingWindowSize()).isEqualTo(40);
			assertThat(delivery.getMinimumNumberOfCalls()).isEqualTo(10);
		}, "--faultline.functions.payment=", "--faultline.functions.delivery=",
				"--resilience4j.circuitbreaker.instances.payment.base-config=shared",
				"--resilience4j.circuitbreaker.configs.shared.sliding-window-size=50",
				"--resilience4j.circuitbreaker.configs.shared.wait-duration-in-open-state=30s",
				"--resilience4j.circuitbreaker.configs.delivery.sliding-window-size=40",
				"--resilience4j.thread-pool-bulkhead.instances.payment.baseConfig=small",
				"--resilience4j.thread-pool-bulkhead.configs.small.core-thread-pool-size=1",
				"--resilience4j.thread-pool-bulkhead.configs.small.max-thread-pool-size=2",
				"--resilience4j.thread-pool-bulkhead.configs.default.queue-capacity=5",
				"--resilience4j.timelimiter.instances.payment.base-config=quick",
				"--resilience4j.timelimiter.configs.quick.timeout-duration=400ms");
	}

	@Test
	void usersMaxBelowFaultlinesCoreLowersTheCoreDefaultToIt() {
		run((context) -> {
			ThreadPoolBulkheadConfig pool = context.getBean(BusinessFunctions.class)
				.get("pricing")
				.getBulkhead()
				.getBulkheadConfig();
			assertThat(pool.getCoreThreadPoolSize()).isEqualTo(2);
			assertThat(pool.getMaxThreadPoolSize()).isEqualTo(2);
			assertThat(pool.getQueueCapacity()).isEqualTo(16);
		}, "--faultline.functions.pricing=", "--resilience4j.thread-pool-bulkhead.instances.pricing.max-thread-pool-size=2");
	}

	@Test
	void usersMaxBelowFaultlinesCoreInABaseConfigLowersTheCoreDefaultToIt() {
		run((context) -> {
			BusinessFunctions functions = context.getBean(BusinessFunctions.class);
			ThreadPoolBulkheadConfig pricing = functions.get("pricing").getBulkhead().getBulkheadConfig();
			assertThat(pricing.getCoreThreadPoolSize()).isEqualTo(3);
			assertThat(pricing.getMaxThreadPoolSize()).isEqualTo(3);
			ThreadPoolBulkheadConfig shipping = functions.get("shipping").getBulkhead().getBulkheadConfig();
			assertThat(shipping.getCoreThreadPoolSize()).isEqualTo(1);
			assertThat(shipping.getMaxThreadPoolSize()).isEqualTo(1);
		}, "--faultline.functions.pricing=", "--faultline.functions.shipping=",
				"--resilience4j.thread-pool-bulkhead.configs.default.maxThreadPoolSize=3",
				"--resilience4j.thread-pool-bulkhead.instances.shipping.base-config=single",
				"--resilience4j.thread-pool-bulkhead.configs.single.max-thread-pool-size=1");
	}

	// A core alone in a config is refused by resilience4j itself, which builds every
	// config on its own max (one thread per processor): only an instance's core is tried.
	@Test
	void usersCoreAboveFaultlinesMaxRaisesTheMaxDefaultToIt() {
		run((context) -> {
			ThreadPoolBulkheadConfig pool = context.getBean(BusinessFunctions.class)
				.get("pricing")
				.getBulkhead()
				.getBulkheadConfig();
			assertThat(pool.getCoreThreadPoolSize()).isEqualTo(12);
			assertThat(pool.getMaxThreadPoolSize()).isEqualTo(12);
		}, "--faultline.functions.pricing=",
				"--resilience4j.thread-pool-bulkhead.instances.pricing.core-thread-pool-size=12");
	}

	@Test
	void usersSizesWithinFaultlinesDefaultsOrBothSetAreKeptAsTheyAre() {
		run((context) -> {
			BusinessFunctions functions = context.getBean(BusinessFunctions.class);
			ThreadPoolBulkheadConfig pricing = functions.get("pricing").getBulkhead().getBulkheadConfig();
			assertThat(pricing.getCoreThreadPoolSize()).isEqualTo(4);
			assertThat(pricing.getMaxThreadPoolSize()).isEqualTo(6);
			ThreadPoolBulkheadConfig shipping = functions.get("shipping").getBulkhead().getBulkheadConfig();
			assertThat(shipping.getCoreThreadPoolSize()).isEqualTo(1);
			assertThat(shipping.getMaxThreadPoolSize()).isEqualTo(2);
		}, "--faultline.functions.pricing=", "--faultline.functions.shipping=",
				"--resilience4j.thread-pool-bulkhead.instances.pricing.max-thread-pool-size=6",
				"--resilience4j.thread-pool-bulkhead.instances.shipping.core-thread-pool-size=1",
				"--resilience4j.thread-pool-bulkhead.instances.shipping.max-thread-pool-size=2");
	}

	@Test
	void applicationDefaultPropertiesWinOverFaultlinesKeyByKey() {
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

	@Test
	void propertySourceOfTheApplicationWinsOverFaultlinesForTheSameKey() {
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(AppWithPropertySource.class)
			.web(WebApplicationType.NONE)
			.run("--faultline.functions.payment=")) {
			CircuitBreakerConfig breaker = context.getBean(BusinessFunctions.class)
				.get("payment")
				.getCircuitBreaker()
				.getCircuitBreakerConfig();
			assertThat(breaker.getSlidingWindowSize()).isEqualTo(9);
			assertThat(breaker.getMinimumNumberOfCalls()).isEqualTo(10);
		}
	}

	private static void assertResilience4jsOwnBreaker(CircuitBreakerConfig breaker) {
		assertThat(breaker.getSlidingWindowSize()).isEqualTo(RESILIENCE4J_BREAKER.getSlidingWindowSize());
		assertThat(breaker.getMinimumNumberOfCalls()).isEqualTo(RESILIENCE4J_BREAKER.getMinimumNumberOfCalls());
		assertThat(breaker.getWaitIntervalFunctionInOpenState().apply(1)).isEqualTo(60_000);
		assertThat(breaker.getPermittedNumberOfCallsInHalfOpenState())
			.isEqualTo(RESILIENCE4J_BREAKER.getPermittedNumberOfCallsInHalfOpenState());
		assertThat(breaker.isAutomaticTransitionFromOpenToHalfOpenEnabled()).isFalse();
	}

	private static void run(Consumer<ConfigurableApplicationContext> assertions, String... args) {
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(App.class)
			.web(WebApplicationType.NONE)
			.run(args)) {
			assertions.accept(context);
		}
	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration({ AopAutoConfiguration.class, BootAutoConfigurations.Resilience4j.class,
			PeerAutoConfiguration.class,
			BusinessFunctionAutoConfiguration.class })
	static class App {

	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration({ AopAutoConfiguration.class, BootAutoConfigurations.Resilience4j.class,
			PeerAutoConfiguration.class,
			BusinessFunctionAutoConfiguration.class })
	@PropertySource("classpath:dev/faultline/autoconfigure/payment-breaker.properties")
	static class AppWithPropertySource {

	}

}
