package dev.faultline.autoconfigure;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import dev.faultline.actuate.FaultlineEndpoint;
import dev.faultline.actuate.FaultlineEndpoint.FunctionDescriptor;
import dev.faultline.function.BusinessFunctions;
import dev.faultline.function.IsolatedFunction;
import dev.faultline.function.Threads;
import io.github.resilience4j.bulkhead.BulkheadConfig;
import io.github.resilience4j.bulkhead.BulkheadRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledForJreRange;
import org.junit.jupiter.api.condition.JRE;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.actuate.autoconfigure.endpoint.EndpointAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;
import static org.awaitility.Awaitility.await;

/**
 * Business functions on virtual threads: chosen per function or with Spring Boot's
 * {@code spring.threads.virtual.enabled}, limited by a resilience4j bulkhead of the
 * function's name, shown by the endpoint, and refused clearly where Java has none.
 */
@ExtendWith(OutputCaptureExtension.class)
class VirtualThreadFunctionsTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(AopAutoConfiguration.class, EndpointAutoConfiguration.class,
				BootAutoConfigurations.BULKHEADS, BootAutoConfigurations.CIRCUIT_BREAKERS,
				BootAutoConfigurations.TIME_LIMITERS, PeerAutoConfiguration.class,
				BusinessFunctionAutoConfiguration.class, FaultlineEndpointAutoConfiguration.class))
		.withPropertyValues("management.endpoints.web.exposure.include=faultline", "faultline.functions.payment.peer=",
				"faultline.functions.delivery.peer=");

	@Test
	@EnabledForJreRange(min = JRE.JAVA_21, disabledReason = "virtual threads need Java 21 or later")
	void withVirtualThreadsEnabledFunctionsRunOnThemUnlessOneSaysPlatform() {
		this.contextRunner
			.withPropertyValues("spring.threads.virtual.enabled=true", "faultline.functions.delivery.threads=platform",
					"resilience4j.bulkhead.instances.payment.max-concurrent-calls=3")
			.run((context) -> {
				BusinessFunctions functions = context.getBean(BusinessFunctions.class);
				IsolatedFunction payment = functions.get("payment");
				assertThat(payment.getThreads()).isEqualTo(Threads.VIRTUAL);
				assertThat(payment.getConcurrencyLimit())
					.isSameAs(context.getBean(BulkheadRegistry.class).bulkhead("payment"));
				assertThat(payment.getConcurrencyLimit().getBulkheadConfig().getMaxConcurrentCalls()).isEqualTo(3);
				assertThat(functions.get("delivery").getThreads()).isEqualTo(Threads.PLATFORM);
				assertThat(functions.get("delivery").getBulkhead()).isNotNull();
			});
	}

	@Test
	@EnabledForJreRange(min = JRE.JAVA_21, disabledReason = "virtual threads need Java 21 or later")
	void functionSayingVirtualRunsOnVirtualThreadsWithoutSpringsSwitch() {
		this.contextRunner.withPropertyValues("faultline.functions.payment.threads=virtual").run((context) -> {
			BusinessFunctions functions = context.getBean(BusinessFunctions.class);
			assertThat(functions.get("payment").getThreads()).isEqualTo(Threads.VIRTUAL);
			assertThat(functions.get("delivery").getThreads()).isEqualTo(Threads.PLATFORM);
		});
	}

	@Test
	void withoutEitherSwitchFunctionsRunOnTheirPools() {
		this.contextRunner.run((context) -> assertThat(context.getBean(BusinessFunctions.class).getFunctions().values())
			.extracting(IsolatedFunction::getThreads)
			.containsOnly(Threads.PLATFORM));
	}

	@Test
	@EnabledForJreRange(min = JRE.JAVA_21, disabledReason = "virtual threads need Java 21 or later")
	void endpointShowsWhichThreadsEachFunctionRunsOnAndTheLimitAndInFlightOnVirtualThreads() {
		this.contextRunner
			.withPropertyValues("faultline.functions.payment.threads=virtual",
					"resilience4j.bulkhead.instances.payment.max-concurrent-calls=3")
			.run((context) -> {
				CountDownLatch running = new CountDownLatch(1);
				CountDownLatch release = new CountDownLatch(1);
				context.getBean(BusinessFunctions.class).callAsync("payment", () -> {
					running.countDown();
					release.await(10, TimeUnit.SECONDS);
					return java.util.concurrent.CompletableFuture.completedFuture("paid");
				});
				try {
					assertThat(running.await(10, TimeUnit.SECONDS)).isTrue();
					Map<String, FunctionDescriptor> described = context.getBean(FaultlineEndpoint.class)
						.faultline()
						.functions();
					FunctionDescriptor payment = described.get("payment");
					assertThat(payment.threads()).isEqualTo("virtual");
					assertThat(payment.pool()).isNull();
					assertThat(payment.concurrencyLimit().maxConcurrentCalls()).isEqualTo(3);
					assertThat(payment.concurrencyLimit().inFlight()).isEqualTo(1);
					assertThat(payment.concurrencyLimit().rejectedCalls()).isZero();
					assertThat(described.get("delivery").threads()).isEqualTo("platform");
					assertThat(described.get("delivery").pool()).isNotNull();
					assertThat(described.get("delivery").concurrencyLimit()).isNull();
				}
				finally {
					release.countDown();
				}
				await().until(() -> context.getBean(FaultlineEndpoint.class)
					.faultline()
					.functions()
					.get("payment")
					.concurrencyLimit()
					.inFlight() == 0);
			});
	}

	@Test
	@EnabledForJreRange(min = JRE.JAVA_21, disabledReason = "virtual threads need Java 21 or later")
	void functionOnVirtualThreadsGetsFaultlinesLimitRefusingAtOnce() {
		run((context) -> {
			BulkheadConfig limit = context.getBean(BusinessFunctions.class)
				.get("payment")
				.getConcurrencyLimit()
				.getBulkheadConfig();
			assertThat(limit.getMaxConcurrentCalls()).isEqualTo(25);
			assertThat(limit.getMaxWaitDuration()).isEqualTo(Duration.ZERO);
		}, "--faultline.functions.payment.threads=virtual");
	}

	@Test
	void onlyFunctionsOnVirtualThreadsGetBulkheadDefaults() {
		Binder binder = new Binder(new MapConfigurationPropertySource(Map.of("faultline.functions.payment.threads",
				"virtual", "faultline.functions.delivery.threads", "platform", "faultline.functions.stock", "")));

		assertThat(ResilienceDefaults.defaultsFor(binder))
			.containsEntry("resilience4j.bulkhead.instances.payment.max-concurrent-calls", "25")
			.containsEntry("resilience4j.bulkhead.instances.payment.max-wait-duration", "0")
			.doesNotContainKey("resilience4j.bulkhead.instances.delivery.max-concurrent-calls")
			.doesNotContainKey("resilience4j.bulkhead.instances.stock.max-concurrent-calls")
			.containsKey("resilience4j.thread-pool-bulkhead.instances.delivery.queue-capacity");
	}

	@Test
	@EnabledForJreRange(max = JRE.JAVA_20, disabledReason = "from Java 21 on, virtual threads are there")
	void askingForVirtualThreadsBelowJava21FailsStartupNamingThePropertyTheValueAndTheJavaNeeded(
			CapturedOutput output) {
		assertThatException().isThrownBy(() -> new SpringApplicationBuilder(App.class).web(WebApplicationType.NONE)
			.properties("faultline.functions.payment.threads=virtual")
			.run());

		assertThat(output).contains("Property: faultline.functions.payment.threads")
			.contains("Value: \"virtual\"")
			.contains("Reason: needs Java 21 or later for virtual threads, and this is Java "
					+ Runtime.version().feature() + "; set 'platform' or leave it unset");
	}

	@Test
	@EnabledForJreRange(max = JRE.JAVA_20, disabledReason = "from Java 21 on, virtual threads are there")
	void springsVirtualThreadsSwitchBelowJava21LeavesFunctionsOnTheirPools() {
		this.contextRunner.withPropertyValues("spring.threads.virtual.enabled=true")
			.run((context) -> assertThat(context.getBean(BusinessFunctions.class).get("payment").getThreads())
				.isEqualTo(Threads.PLATFORM));
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
			PeerAutoConfiguration.class, BusinessFunctionAutoConfiguration.class })
	static class App {

	}

}
