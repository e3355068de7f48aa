package dev.faultline.sample.payment.fault;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import dev.faultline.sample.payment.fault.FaultInjector.Outcome;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.awaitility.Awaitility.await;

/**
 * {@link FaultInjector} without a server: hangs, their release and their bound, and the
 * checks on values.
 */
class FaultInjectorTests {

	private final ExecutorService requests = Executors.newCachedThreadPool();

	@AfterEach
	void stopRequests() {
		this.requests.shutdownNow();
	}

	@Test
	void injectWithoutFaultsProceeds() throws Exception {
		assertThat(new FaultInjector(Duration.ofMinutes(1)).inject()).isEqualTo(Outcome.PROCEED);
	}

	@Test
	void injectWithErrorRateOfOneFailsEveryRequest() throws Exception {
		FaultInjector injector = new FaultInjector(Duration.ofMinutes(1));
		injector.update(null, 1.0, null);

		for (int i = 0; i < 100; i++) {
			assertThat(injector.inject()).isEqualTo(Outcome.FAIL);
		}
	}

	@Test
	void releasingHangLetsEveryHeldRequestProceed() throws Exception {
		FaultInjector injector = new FaultInjector(Duration.ofMinutes(1));
		injector.update(null, null, true);
		CompletableFuture<Outcome> first = CompletableFuture.supplyAsync(() -> inject(injector), this.requests);
		CompletableFuture<Outcome> second = CompletableFuture.supplyAsync(() -> inject(injector), this.requests);
		await().atMost(Duration.ofSeconds(10)).until(() -> injector.hungRequests() == 2);

		injector.update(null, null, false);

		assertThat(first.get(10, TimeUnit.SECONDS)).isEqualTo(Outcome.PROCEED);
		assertThat(second.get(10, TimeUnit.SECONDS)).isEqualTo(Outcome.PROCEED);
		assertThat(injector.hungRequests()).isZero();
	}

	@Test
	void heldRequestAppliesFaultsInForceWhenReleased() throws Exception {
		FaultInjector injector = new FaultInjector(Duration.ofMinutes(1));
		injector.update(null, null, true);
		CompletableFuture<Outcome> held = CompletableFuture.supplyAsync(() -> inject(injector), this.requests);
		await().atMost(Duration.ofSeconds(10)).until(() -> injector.hungRequests() == 1);

		injector.update(null, 1.0, false);

		assertThat(held.get(10, TimeUnit.SECONDS)).isEqualTo(Outcome.FAIL);
	}

	@Test
	void hangNobodyReleasesGivesUpAfterMaxHang() throws Exception {
		FaultInjector injector = new FaultInjector(Duration.ofMillis(200));
		injector.update(null, null, true);

		CompletableFuture<Outcome> held = CompletableFuture.supplyAsync(() -> inject(injector), this.requests);

		assertThat(held.get(10, TimeUnit.SECONDS)).isEqualTo(Outcome.HANG_EXPIRED);
		assertThat(injector.hungRequests()).isZero();
		assertThat(injector.settings().hang()).isTrue();
	}

	@Test
	void hangTurnedOnAgainHoldsNewRequests() throws Exception {
		FaultInjector injector = new FaultInjector(Duration.ofMinutes(1));
		injector.update(null, null, true);
		injector.update(null, null, false);
		injector.update(null, null, true);

		CompletableFuture<Outcome> held = CompletableFuture.supplyAsync(() -> inject(injector), this.requests);
		await().atMost(Duration.ofSeconds(10)).until(() -> injector.hungRequests() == 1);

		assertThat(held).isNotDone();
		injector.clear();
		assertThat(held.get(10, TimeUnit.SECONDS)).isEqualTo(Outcome.PROCEED);
	}

	@Test
	void updateWithValueOutOfRangeChangesNothing() {
		FaultInjector injector = new FaultInjector(Duration.ofMinutes(1));
		injector.update(Duration.ofMillis(10), 0.5, null);

		assertThatIllegalArgumentException().isThrownBy(() -> injector.update(null, 2.0, true))
			.withMessage("errorRate must be from 0.0 to 1.0 (was 2.0)");
		assertThatIllegalArgumentException().isThrownBy(() -> injector.update(null, Double.NaN, null))
			.withMessageContaining("errorRate");
		assertThatIllegalArgumentException().isThrownBy(() -> injector.update(Duration.ofMillis(-1), null, null))
			.withMessageContaining("latency must be zero or a positive duration");
		assertThatIllegalArgumentException().isThrownBy(() -> injector.update(Duration.ofMinutes(2), null, null))
			.withMessage("latency must be at most maxHang PT1M (was PT2M)");
		assertThat(injector.settings()).isEqualTo(new FaultSettings(Duration.ofMillis(10), 0.5, false));
	}

	@Test
	void createWithoutPositiveMaxHangIsRejected() {
		assertThatIllegalArgumentException().isThrownBy(() -> new FaultInjector(Duration.ZERO))
			.withMessageContaining("maxHang must be a positive duration");
	}

	private static Outcome inject(FaultInjector injector) {
		try {
			return injector.inject();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

}
