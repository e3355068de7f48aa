package dev.faultline.sample.payment.fault;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.awaitility.Awaitility.await;

class ResourceFaultsTests {

	private final ResourceFaults faults = new ResourceFaults(2);

	@AfterEach
	void clear() {
		this.faults.clear();
	}

	@Test
	void burnSpinsItsThreadsForTheDurationThenEnds() {
		this.faults.burnCpu(Duration.ofMillis(700));

		assertThat(this.faults.isBurning()).isTrue();
		await().atMost(Duration.ofSeconds(5)).until(() -> burnThreadCpu() > Duration.ofMillis(200).toNanos());
		await().atMost(Duration.ofSeconds(5)).until(() -> !this.faults.isBurning() && burnThreads() == 0);
	}

	@Test
	void clearStopsABurn() {
		this.faults.burnCpu(Duration.ofMinutes(5));
		await().atMost(Duration.ofSeconds(5)).until(() -> burnThreads() == 2);

		this.faults.clear();

		assertThat(this.faults.isBurning()).isFalse();
		await().atMost(Duration.ofSeconds(5)).until(() -> burnThreads() == 0);
	}

	@Test
	void leakHoldsMoreAndMoreHeapUntilCleared() {
		this.faults.leakMemory();
		await().atMost(Duration.ofSeconds(10)).until(() -> this.faults.heldMemoryMb() >= 20);

		this.faults.clear();

		assertThat(this.faults.heldMemoryMb()).isZero();
	}

	@Test
	void negativeBurnIsRefused() {
		assertThatIllegalArgumentException().isThrownBy(() -> this.faults.burnCpu(Duration.ofSeconds(-1)))
			.withMessageContaining("cpuBurn must be zero or a positive duration");
	}

	private static long burnThreads() {
		return Thread.getAllStackTraces().keySet().stream().filter((t) -> t.getName().startsWith("cpu-burn-")).count();
	}

	private static long burnThreadCpu() {
		ThreadMXBean threads = ManagementFactory.getThreadMXBean();
		return Thread.getAllStackTraces()
			.keySet()
			.stream()
			.filter((t) -> t.getName().startsWith("cpu-burn-"))
			.mapToLong((t) -> Math.max(0, threads.getThreadCpuTime(t.getId())))
			.sum();
	}

}
