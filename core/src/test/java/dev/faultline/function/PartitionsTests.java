package dev.faultline.function;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.awaitility.Awaitility.await;

/**
 * A partitioned function on a real pool: a noisy key is turned away at its share while a
 * quiet key keeps its calls, places are given back when calls leave their threads, and
 * only keys with calls in the function are remembered.
 */
class PartitionsTests {

	private static final Duration WAIT = Duration.ofSeconds(5);

	private final FunctionFixtures fixtures = new FunctionFixtures();

	// Four threads and a queue of one: four places, two per key at a share of one half,
	// and threads left for another key while one holds its two.
	private final IsolatedFunction payment = this.fixtures.function("payment", 4, 1, WAIT);

	private final CountDownLatch release = new CountDownLatch(1);

	private final List<CompletableFuture<String>> noisyCalls = new ArrayList<>();

	// Threads of their own for calls that block: the common pool may have one thread on a
	// small machine, and would run them one after the other.
	private final ExecutorService callers = Executors.newCachedThreadPool();

	@AfterEach
	void close() {
		this.release.countDown();
		this.callers.shutdownNow();
		this.fixtures.close();
	}

	@Test
	void noisyKeyOverItsShareGetsTheFallbackAtOnceWhileAQuietKeyKeepsItsCalls() {
		this.payment.partitionBy(0.5);
		fillTheShareOf("noisy");

		String noisy = this.payment.call("noisy", () -> "paid", (cause) -> cause.getClass().getSimpleName());
		String quiet = this.payment.call("quiet", () -> "paid", (cause) -> cause.getClass().getSimpleName());

		assertThat(noisy).isEqualTo("PartitionFullException");
		assertThat(quiet).isEqualTo("paid");
		assertThat(this.payment.partitionRejectedCalls()).isEqualTo(1);
		// Turned away before the breaker: a flood of one key is no fault of the downstream.
		assertThat(this.payment.getCircuitBreaker().getMetrics().getNumberOfFailedCalls()).isZero();
		assertThat(this.payment.getPartitions().busiest(5)).containsExactly(Map.entry("noisy", 2));
	}

	@Test
	void noisyKeyWithoutAFallbackIsRefusedNamingThePartitionAsTheCause() {
		this.payment.partitionBy(0.5);
		fillTheShareOf("noisy");

		assertThatExceptionOfType(FunctionRefusedException.class)
			.isThrownBy(() -> this.payment.call("noisy", () -> "paid"))
			.satisfies((refusal) -> {
				assertThat(refusal.getReason()).isEqualTo(FunctionRefusedException.Reason.PARTITION_FULL);
				assertThat(refusal.getRetryAfter()).isEqualTo(Duration.ofSeconds(1));
				assertThat(refusal.getCause()).isInstanceOf(PartitionFullException.class)
					.hasMessageContaining("'noisy'")
					.hasMessageContaining("share of 2 of the function's 4 places");
				PartitionFullException full = (PartitionFullException) refusal.getCause();
				assertThat(full.getShare()).isEqualTo(2);
				assertThat(full.getPlaces()).isEqualTo(4);
			});
	}

	@Test
	void placesAreGivenBackWhenCallsEndAndForgottenKeysTakeNoMemory() {
		this.payment.partitionBy(0.5);
		fillTheShareOf("noisy");
		assertThat(this.payment.getPartitions().activeKeys()).isEqualTo(1);

		this.release.countDown();
		this.noisyCalls.forEach((call) -> assertThat(call.join()).isEqualTo("paid"));

		await().atMost(WAIT).until(() -> this.payment.getPartitions().activeKeys() == 0);
		assertThat(this.payment.call("noisy", () -> "paid again", (cause) -> "refused")).isEqualTo("paid again");
		for (int i = 0; i < 1000; i++) {
			this.payment.call("customer-" + i, () -> "paid", (cause) -> "refused");
		}
		assertThat(this.payment.getPartitions().activeKeys()).isZero();
	}

	@Test
	void queuedCallWhoseTimeLimitPassedGivesItsPlaceBackWhenItLeavesTheQueue() {
		IsolatedFunction quick = this.fixtures.function("quick", 2, 2, Duration.ofMillis(100));
		quick.partitionBy(1.0);
		CompletableFuture<String> other = CompletableFuture.supplyAsync(() -> quick.call("b", () -> {
			awaitReleaseUninterruptibly();
			return "late";
		}, (cause) -> "fallback"), this.callers);
		// A call that does not heed the time limit's interrupt: it holds the thread.
		CompletableFuture<String> running = CompletableFuture.supplyAsync(() -> quick.call("a", () -> {
			awaitReleaseUninterruptibly();
			return "late";
		}, (cause) -> "fallback"), this.callers);
		await().atMost(WAIT).until(() -> quick.getBulkhead().getMetrics().getActiveThreadCount() == 2);

		// Queued behind the running call, past its time limit, given up.
		assertThat(quick.call("a", () -> "queued", (cause) -> "timed out")).isEqualTo("timed out");
		this.release.countDown();
		running.join();
		other.join();

		await().atMost(WAIT).until(() -> quick.getPartitions().activeKeys() == 0);
	}

	@Test
	void callWithoutAKeyIsNotLimited() {
		this.payment.partitionBy(0.25);
		fillTheShareOf("noisy");

		assertThat(this.payment.call(() -> "paid", (cause) -> "refused")).isEqualTo("paid");
	}

	@Test
	void functionIsPartitionedOnceOnly() {
		this.payment.partitionBy(0.5);

		assertThatIllegalStateException().isThrownBy(() -> this.payment.partitionBy(0.25))
			.withMessageContaining("partitioned already");
	}

	@Test
	void shareOutsideZeroToOneIsRefused() {
		assertThatIllegalArgumentException().isThrownBy(() -> new Partitions(4, 0))
			.withMessageContaining("above 0 and at most 1");
		assertThatIllegalArgumentException().isThrownBy(() -> new Partitions(4, 1.5));
	}

	private void awaitReleaseUninterruptibly() {
		boolean interrupted = false;
		while (true) {
			try {
				this.release.await();
				break;
			}
			catch (InterruptedException ex) {
				interrupted = true;
			}
		}
		if (interrupted) {
			Thread.currentThread().interrupt();
		}
	}

	// The key's share of calls, each holding its place until released.
	private void fillTheShareOf(String key) {
		int share = this.payment.getPartitions().share();
		for (int i = 0; i < share; i++) {
			this.noisyCalls.add(this.payment.callAsync(key, () -> CompletableFuture.supplyAsync(() -> {
				try {
					this.release.await(5, TimeUnit.SECONDS);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
				return "paid";
			}, this.callers)));
		}
		await().atMost(WAIT).until(() -> this.payment.getPartitions().busiest(1).getOrDefault(key, 0) == share);
	}

}
