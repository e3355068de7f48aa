package dev.faultline.autoconfigure;

import java.time.Duration;
import java.util.Map;

import dev.faultline.actuate.FaultlineEndpoint;
import dev.faultline.actuate.FaultlineEndpoint.FaultlineDescriptor;
import dev.faultline.actuate.FaultlineEndpoint.FunctionDescriptor;
import dev.faultline.function.BusinessFunctions;
import org.junit.jupiter.api.Test;

import org.springframework.boot.actuate.autoconfigure.endpoint.EndpointAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class FaultlineEndpointTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(EndpointAutoConfiguration.class, BootAutoConfigurations.BULKHEADS,
				BootAutoConfigurations.CIRCUIT_BREAKERS, BootAutoConfigurations.TIME_LIMITERS, PeerAutoConfiguration.class,
				BusinessFunctionAutoConfiguration.class, FaultlineEndpointAutoConfiguration.class))
		.withPropertyValues("management.endpoints.web.exposure.include=faultline",
				"faultline.peers.payment-service.instances[0]=http://user:secret@127.0.0.1:9/?key=abc",
				"faultline.functions.payment.peer=payment-service", "faultline.functions.delivery.peer=",
				"resilience4j.thread-pool-bulkhead.instances.payment.core-thread-pool-size=2",
				"resilience4j.thread-pool-bulkhead.instances.payment.max-thread-pool-size=3",
				"resilience4j.thread-pool-bulkhead.instances.payment.queue-capacity=5",
				"resilience4j.timelimiter.instances.payment.timeout-duration=1500ms");

	@Test
	void endpointDescribesEveryFunctionsPoolBreakerTimeLimitAndPeer() {
		this.contextRunner.run((context) -> {
			context.getBean(BusinessFunctions.class).call("payment", () -> "paid", (cause) -> "pending");
			context.getBean(BusinessFunctions.class).get("payment").getCircuitBreaker().transitionToOpenState();

			FaultlineDescriptor descriptor = context.getBean(FaultlineEndpoint.class).faultline();

			assertThat(descriptor.functions()).containsOnlyKeys("payment", "delivery");
			FunctionDescriptor payment = descriptor.functions().get("payment");
			assertThat(payment.pool().coreSize()).isEqualTo(2);
			assertThat(payment.pool().maxSize()).isEqualTo(3);
			assertThat(payment.pool().queueCapacity()).isEqualTo(5);
			assertThat(payment.pool().rejectedCalls()).isZero();
			assertThat(payment.circuitBreaker().state()).isEqualTo("OPEN");
			assertThat(payment.timeLimitMs()).isEqualTo(1500);
			assertThat(payment.peer()).isEqualTo("payment-service");
			assertThat(descriptor.functions().get("delivery").peer()).isNull();
			assertThat(descriptor.peers()).containsOnlyKeys("payment-service");
			assertThat(descriptor.peers().get("payment-service").instances()).containsOnlyKeys("primary");
			assertThat(descriptor.peers().get("payment-service").instances().get("primary").url())
				.isEqualTo("http://127.0.0.1:9/");
		});
	}

	@Test
	void endpointShowsWhatTheLatestProbeOfEachInstanceGot() {
		// nothing listens on port 9: the monitor's probes are refused
		this.contextRunner.run((context) -> await().atMost(Duration.ofSeconds(10))
			.until(() -> "connection refused".equals(context.getBean(FaultlineEndpoint.class)
				.faultline()
				.peers()
				.get("payment-service")
				.instances()
				.get("primary")
				.lastProbe())));
	}

	@Test
	void partitionedFunctionShowsItsShareAndItsBusiestKeysButNotEveryKey() {
		this.contextRunner.withPropertyValues("faultline.functions.payment.partition.share=0.5").run((context) -> {
			BusinessFunctions functions = context.getBean(BusinessFunctions.class);
			functions.get("payment").call("customer-1", () -> "paid", (cause) -> "pending");

			FunctionDescriptor payment = context.getBean(FaultlineEndpoint.class).faultline().functions().get("payment");

			// Three threads: one per key at a half, the queue left to all keys together.
			assertThat(payment.partitions().places()).isEqualTo(3);
			assertThat(payment.partitions().share()).isEqualTo(1);
			assertThat(payment.partitions().activeKeys()).isZero();
			assertThat(payment.partitions().busiest()).isEmpty();
			assertThat(context.getBean(FaultlineEndpoint.class).faultline().functions().get("delivery").partitions())
				.isNull();
		});
	}

	@Test
	void endpointNotExposedIsNotCreated() {
		this.contextRunner.withPropertyValues("management.endpoints.web.exposure.include=health")
			.run((context) -> assertThat(context).doesNotHaveBean(FaultlineEndpoint.class));
	}

	@Test
	void endpointWhenUserDefinesOneShouldBackOff() {
		this.contextRunner.withBean("userEndpoint", FaultlineEndpoint.class,
				() -> new FaultlineEndpoint(new BusinessFunctions(java.util.List.of()),
						new dev.faultline.peer.PeerRegistry(java.util.List.of())))
			.run((context) -> assertThat(context).getBean(FaultlineEndpoint.class)
				.isSameAs(context.getBean("userEndpoint")));
	}

	@Test
	void functionsDescribeAsReadableJson() throws Exception {
		this.contextRunner.run((context) -> {
			String json = new com.fasterxml.jackson.databind.ObjectMapper()
				.writeValueAsString(context.getBean(FaultlineEndpoint.class).faultline());
			assertThat(json).contains("\"timeLimitMs\":1500").contains("\"state\":\"CLOSED\"")
				.doesNotContain("secret")
				.doesNotContain("key=abc");
			assertThat(new com.fasterxml.jackson.databind.ObjectMapper().readValue(json, Map.class))
				.containsOnlyKeys("functions", "peers");
		});
	}

}
