package dev.faultline.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import dev.faultline.e2e.support.Customers;
import dev.faultline.e2e.support.Health;
import dev.faultline.e2e.support.Order;
import dev.faultline.e2e.support.OrderRequest;
import dev.faultline.e2e.support.Placement;
import dev.faultline.e2e.support.SampleShop;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.core.ParameterizedTypeReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The fault matrix: payment-service crashes, hangs, is slow, fails, flaps and restarts,
 * each while customers keep placing orders, on real processes in containers. For each
 * fault, what a user is promised: order-service stays live and ready; {@code POST /orders}
 * never answers 5xx and answers within payment's time limit plus a margin; delivery keeps
 * its latency; a hung or crashed payment is suspected within a bounded time; once payment
 * is back every accepted order is paid exactly once; order-service's threads stay
 * bounded. Each test adds a row to the table written to {@code target/fault-matrix.md},
 * also when a promise is broken: "orders lost" counts accepted orders order-service cannot
 * show right after the fault is healed, before the recovery is waited for.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FaultMatrixIT {

	/** Order-service's payment time limit (its application.yml). */
	private static final Duration PAYMENT_LIMIT = Duration.ofSeconds(1);

	/** What a placement may take beyond the limit: storing, delivery, a loaded machine. */
	private static final Duration MARGIN = Duration.ofMillis(1500);

	private static final Duration DETECTION_BOUND = Duration.ofSeconds(10);

	private static final Duration CUSTOMER_PACE = Duration.ofMillis(250);

	private static final Duration FAULT_TIME = Duration.ofSeconds(8);

	private static final int THREAD_GROWTH_BOUND = 25;

	/** How long the recovery may take to pay and schedule every stored order. */
	private static final Duration RECOVERY_BOUND = Duration.ofSeconds(90);

	private static final List<String> rows = Collections.synchronizedList(new ArrayList<>());

	@RegisterExtension
	static final SampleShop shop = new SampleShop();

	@Test
	@org.junit.jupiter.api.Order(1)
	void paymentCrashes() {
		run("payment crashes (kill), then starts again", true, () -> shop.payment().kill(), () -> shop.payment().start());
	}

	@Test
	@org.junit.jupiter.api.Order(2)
	void paymentHangs() {
		run("payment hangs (pause, then unpause)", true, () -> shop.payment().pause(), () -> shop.payment().unpause());
	}

	@Test
	@org.junit.jupiter.api.Order(3)
	void paymentIsSlow() {
		run("payment is slow (1.5 s latency, limit 1 s)", false,
				() -> shop.payments().injectLatency(Duration.ofMillis(1500)), () -> shop.payments().clearFaults());
	}

	@Test
	@org.junit.jupiter.api.Order(4)
	void paymentErrors() {
		run("payment errors (half its answers 503)", false, () -> shop.payments().injectErrorRate(0.5),
				() -> shop.payments().clearFaults());
	}

	@Test
	@org.junit.jupiter.api.Order(5)
	void paymentFlaps() {
		run("payment flaps (three 2 s hangs, 2 s apart)", false, () -> {
			for (int i = 0; i < 3; i++) {
				shop.payment().pause();
				sleep(Duration.ofSeconds(2));
				shop.payment().unpause();
				sleep(Duration.ofSeconds(2));
			}
		}, () -> {
		});
	}

	@Test
	@org.junit.jupiter.api.Order(6)
	void paymentRestartsWithItsData() {
		run("payment restarts with its data (stop, start)", true, () -> shop.payment().stop(),
				() -> shop.payment().start());
	}

	@AfterAll
	static void writeTable() throws IOException {
		if (rows.isEmpty()) {
			return;
		}
		StringBuilder table = new StringBuilder();
		table.append("| fault | time to detect | fallbacks served | 5xx seen ")
			.append("| orders lost | orders unpaid | orders paid twice |")
			.append(System.lineSeparator())
			.append("|---|---:|---:|---:|---:|---:|---:|")
			.append(System.lineSeparator());
		rows.forEach((row) -> table.append(row).append(System.lineSeparator()));
		Path file = Path.of(System.getProperty("faultline.e2e.matrix-file", "target/fault-matrix.md"));
		Files.createDirectories(file.getParent());
		Files.writeString(file, table);
		System.out.println("Fault matrix (" + file.toAbsolutePath() + "):");
		System.out.print(table);
	}

	/**
	 * Runs one fault while customers place orders, adds its row, then checks every promise.
	 * The row is written from what was measured before any promise is checked, and from
	 * whatever was measured when the run ends early, so a broken promise shows in the
	 * table, not only in the failure.
	 * @param fault the row's name
	 * @param detectable whether payment must be suspected within the bound (a hang or a
	 * crash; a slow or failing payment still answers its probes or its traffic)
	 * @param inject what breaks payment
	 * @param heal what brings it back
	 */
	private void run(String fault, boolean detectable, Runnable inject, Runnable heal) {
		long threadsBefore = liveThreads();
		Duration deliveryBaseline = deliveryLatency();
		Row row = new Row(fault);
		List<Duration> deliveryWhileFaulty = new ArrayList<>();
		List<String> unhealthy = new ArrayList<>();
		Map<String, String> notRetrievable = new LinkedHashMap<>();
		List<Placement> placements;
		Customers customers = new Customers(CUSTOMER_PACE, () -> shop.orders().place(OrderRequest.ofACustomer()));
		customers.start();
		try {
			sleep(Duration.ofSeconds(1));
			long injectedAt = System.nanoTime();
			// On its own thread: a flapping fault goes on while the loop below watches.
			CompletableFuture<Void> injecting = CompletableFuture.runAsync(inject);
			long detectedAt = 0;
			long until = System.nanoTime() + FAULT_TIME.toNanos();
			while (System.nanoTime() < until) {
				if (detectedAt == 0 && !"UP".equals(shop.orders().health("peers/payment-service").status())) {
					detectedAt = System.nanoTime();
				}
				deliveryWhileFaulty.add(deliveryCall());
				long at = Duration.ofNanos(System.nanoTime() - injectedAt).toMillis();
				Health liveness = shop.orders().health("liveness");
				if (!liveness.isUp()) {
					unhealthy.add("liveness " + liveness + " at " + at + " ms");
				}
				Health readiness = shop.orders().health("readiness");
				if (!readiness.isUp()) {
					unhealthy.add("readiness " + readiness + " at " + at + " ms");
				}
				sleep(Duration.ofMillis(200));
			}
			injecting.join();
			heal.run();
			row.detection = (detectedAt != 0) ? Duration.ofNanos(detectedAt - injectedAt) : null;
			row.watched = true;
			// Customers go on for a while after the fault is healed.
			sleep(Duration.ofSeconds(2));
			placements = customers.stop().stream().map(Customers.Sent::placement).toList();
			row.placed(placements);
			List<String> accepted = placements.stream()
				.filter(Placement::isAccepted)
				.map((placement) -> placement.order().id())
				.toList();
			// Before any waiting for the recovery: every accepted order is stored.
			for (String id : accepted) {
				retrievalProblem(id).ifPresent((problem) -> notRetrievable.put(id, problem));
			}
			row.lost = notRetrievable.size();
			List<String> stored = accepted.stream().filter((id) -> !notRetrievable.containsKey(id)).toList();
			awaitRecovery(stored);
			row.notScheduled = stored.stream().filter((id) -> !isScheduled(id)).count();
			row.unpaid = accepted.stream().filter((id) -> shop.payments().ofOrder(id).isEmpty()).count();
			row.paidTwice = accepted.stream().filter((id) -> shop.payments().ofOrder(id).size() > 1).count();
		}
		finally {
			customers.stop();
			rows.add(row.toString());
		}

		if (detectable) {
			assertThat(row.detection).as("time for order-service to suspect payment after: " + fault)
				.isNotNull()
				.isLessThan(DETECTION_BOUND);
			// While payment is hung or down, delivery keeps its speed.
			assertThat(median(deliveryWhileFaulty)).as("delivery latency during: " + fault)
				.isLessThanOrEqualTo(deliveryBaseline.multipliedBy(2).plusMillis(20));
		}
		assertThat(unhealthy).as("order-service live and ready during: " + fault).isEmpty();
		assertThat(placements).as("orders placed during: " + fault).isNotEmpty();
		assertThat(placements).as("placements answered during: " + fault).allMatch(Placement::isAnswered);
		assertThat(row.serverErrors).as("5xx answers during: " + fault).isZero();
		assertThat(placements).as("placements answered in time during: " + fault)
			.allSatisfy((placement) -> assertThat(placement.elapsed()).isLessThan(PAYMENT_LIMIT.plus(MARGIN)));
		assertThat(notRetrievable).as("accepted orders not stored, right after: " + fault).isEmpty();
		assertThat(row.notScheduled).as("accepted orders not paid and scheduled by the recovery after: " + fault)
			.isZero();
		assertThat(row.unpaid).as("accepted orders without a payment after: " + fault).isZero();
		assertThat(row.paidTwice).as("orders paid twice after: " + fault).isZero();
		await("order-service threads back near where they were after: " + fault).atMost(Duration.ofSeconds(30))
			.pollInterval(Duration.ofSeconds(1))
			.untilAsserted(() -> assertThat(liveThreads()).isLessThan(threadsBefore + THREAD_GROWTH_BOUND));
	}

	/**
	 * Asks order-service for an accepted order once.
	 * @param id the order's id
	 * @return empty when it is stored, else what went wrong
	 */
	private static Optional<String> retrievalProblem(String id) {
		try {
			return shop.orders().find(id).isPresent() ? Optional.empty() : Optional.of("404 Not Found");
		}
		catch (RuntimeException ex) {
			return Optional.of(String.valueOf(ex.getMessage()));
		}
	}

	/**
	 * Waits, bounded, until the recovery has paid and scheduled every stored order; the
	 * caller counts what is left either way.
	 */
	private static void awaitRecovery(List<String> stored) {
		try {
			await("every accepted order paid and scheduled").atMost(RECOVERY_BOUND)
				.pollInterval(Duration.ofSeconds(1))
				.ignoreExceptions()
				.until(() -> stored.stream().allMatch(FaultMatrixIT::isScheduled));
		}
		catch (ConditionTimeoutException ex) {
			// Counted and asserted by the caller, after its row is written.
		}
	}

	private static boolean isScheduled(String id) {
		try {
			return shop.orders()
				.find(id)
				.map((order) -> Order.DELIVERY_SCHEDULED.equals(order.status()))
				.orElse(false);
		}
		catch (RuntimeException ex) {
			return false;
		}
	}

	private Duration deliveryLatency() {
		List<Duration> calls = new ArrayList<>();
		for (int i = 0; i < 10; i++) {
			calls.add(deliveryCall());
		}
		return median(calls);
	}

	private Duration deliveryCall() {
		long start = System.nanoTime();
		List<?> slots = shop.orders().rest().get().uri("/delivery/slots?postcode=1011").retrieve().body(List.class);
		assertThat(slots).as("delivery slots").isNotEmpty();
		return Duration.ofNanos(System.nanoTime() - start);
	}

	private static Duration median(List<Duration> values) {
		List<Duration> sorted = new ArrayList<>(values);
		Collections.sort(sorted);
		return sorted.get(sorted.size() / 2);
	}

	private long liveThreads() {
		Map<String, Object> metric = shop.orders()
			.rest()
			.get()
			.uri("/actuator/metrics/jvm.threads.live")
			.retrieve()
			.body(new ParameterizedTypeReference<Map<String, Object>>() {
			});
		List<?> measurements = (List<?>) metric.get("measurements");
		return Math.round(((Number) ((Map<?, ?>) measurements.get(0)).get("value")).doubleValue());
	}

	private static void sleep(Duration duration) {
		try {
			Thread.sleep(duration.toMillis());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * One fault's row of the table, filled in as the run measures; what it did not reach
	 * shows as "?".
	 */
	private static final class Row {

		private final String fault;

		private boolean watched;

		private Duration detection;

		private long placed = -1;

		private long fallbacks = -1;

		private long serverErrors = -1;

		private long unanswered = -1;

		private long lost = -1;

		private long notScheduled = -1;

		private long unpaid = -1;

		private long paidTwice = -1;

		Row(String fault) {
			this.fault = fault;
		}

		void placed(List<Placement> placements) {
			this.placed = placements.size();
			this.fallbacks = placements.stream()
				.filter((placement) -> placement.isAccepted()
						&& Order.PAYMENT_PENDING.equals(placement.order().status()))
				.count();
			this.serverErrors = placements.stream().filter(Placement::isServerError).count();
			this.unanswered = placements.stream().filter((placement) -> !placement.isAnswered()).count();
		}

		@Override
		public String toString() {
			String detected = !this.watched ? "?"
					: (this.detection != null) ? this.detection.toMillis() + " ms" : "not suspected";
			String fallbacksServed = (this.placed < 0) ? "?" : this.fallbacks + " of " + this.placed;
			String errors = count(this.serverErrors)
					+ ((this.unanswered > 0) ? ", " + this.unanswered + " unanswered" : "");
			String unpaidLeft = count(this.unpaid)
					+ ((this.notScheduled > 0) ? ", " + this.notScheduled + " not scheduled" : "");
			return String.format("| %s | %s | %s | %s | %s | %s | %s |", this.fault, detected, fallbacksServed, errors,
					count(this.lost), unpaidLeft, count(this.paidTwice));
		}

		private static String count(long value) {
			return (value < 0) ? "?" : String.valueOf(value);
		}

	}

}
