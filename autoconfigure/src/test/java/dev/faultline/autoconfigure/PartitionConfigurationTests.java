package dev.faultline.autoconfigure;

import dev.faultline.function.BusinessFunction;
import dev.faultline.function.BusinessFunctions;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A partitioned function's configuration: its share in places, and every mistake stops
 * startup naming the property or the method.
 */
class PartitionConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(AopAutoConfiguration.class, BootAutoConfigurations.BULKHEADS,
				BootAutoConfigurations.CIRCUIT_BREAKERS, BootAutoConfigurations.TIME_LIMITERS, PeerAutoConfiguration.class,
				BusinessFunctionAutoConfiguration.class))
		.withPropertyValues("faultline.functions.payment.peer=",
				"resilience4j.thread-pool-bulkhead.instances.payment.max-thread-pool-size=8",
				"resilience4j.thread-pool-bulkhead.instances.payment.core-thread-pool-size=4",
				"resilience4j.thread-pool-bulkhead.instances.payment.queue-capacity=16");

	@Test
	void shareOfAFunctionIsItsFractionOfThePoolsThreads() {
		this.contextRunner.withPropertyValues("faultline.functions.payment.partition.share=0.25").run((context) -> {
			var partitions = context.getBean(BusinessFunctions.class).get("payment").getPartitions();
			// Of the pool's eight threads, not its queue: a key never queues ahead of others.
			assertThat(partitions.places()).isEqualTo(8);
			assertThat(partitions.share()).isEqualTo(2);
		});
	}

	@Test
	void functionWithoutAShareIsNotPartitioned() {
		this.contextRunner
			.run((context) -> assertThat(context.getBean(BusinessFunctions.class).get("payment").getPartitions())
				.isNull());
	}

	@Test
	void shareAboveOneStopsStartupNamingThePropertyAndWhatIsAllowed() {
		this.contextRunner.withPropertyValues("faultline.functions.payment.partition.share=50")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("faultline.functions.payment.partition.share")
				.hasMessageContaining("above 0 and at most 1"));
	}

	@Test
	void headerWithoutAShareStopsStartupSayingToSetTheShare() {
		this.contextRunner.withPropertyValues("faultline.functions.payment.partition.header=X-Customer")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("faultline.functions.payment.partition.header")
				.hasMessageContaining("partition.share"));
	}

	@Test
	void partitionKeyOnAFunctionThatIsNotPartitionedStopsStartupNamingTheMethod() {
		this.contextRunner.withBean(Payments.class)
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("Payments.pay(String)")
				.hasMessageContaining("faultline.functions.payment.partition.share"));
	}

	@Test
	void partitionKeyThatIsNoExpressionStopsStartupNamingTheMethod() {
		this.contextRunner.withPropertyValues("faultline.functions.payment.partition.share=0.5")
			.withBean(BrokenPayments.class)
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("BrokenPayments.pay(String)")
				.hasMessageContaining("not a Spring expression"));
	}

	static class Payments {

		@BusinessFunction(value = "payment", partitionKey = "#customer")
		public String pay(String customer) {
			return "paid";
		}

	}

	static class BrokenPayments {

		@BusinessFunction(value = "payment", partitionKey = "#customer +")
		public String pay(String customer) {
			return "paid";
		}

	}

}
