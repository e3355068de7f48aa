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
import java.util.function.Supplier;

import dev.faultline.e2e.support.Customers;
import dev.faultline.e2e.support.Customers.Sent;
import dev.faultline.e2e.support.Order;
import dev.faultline.e2e.support.OrderRequest;
import dev.faultline.e2e.support.Placement;
import dev.faultline.e2e.support.ReplicaShop;
import dev.faultline.e2e.support.ReplicaShop.InstanceView;
import dev.faultline.e2e.support.ReplicaShop.Replica;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The replica fault matrix: three payment replicas behind a Eureka registry, each in a
 * container of half a CPU and 256 MiB, and order-service discovering them with
 * {@code routing: balanced}. One replica hangs, crashes, burns its CPU quota or is killed
 * at its memory limit, two or all three crash, and a fourth is added, each from a healthy
 * steady state while customers keep placing orders. For each fault: {@code POST /orders}
 * never answers 5xx, no accepted order is lost, every one is paid once the fault is undone,
 * and a dead replica gets no more traffic within a
 * generous bound (an added one gets traffic within it once ready), read from the
 * {@code requests} of each instance on order-service's {@code /actuator/faultline}. Each
 * test adds a row to {@code target/replica-matrix.md}, also when a promise is broken.
 * <p>
 * Every order is paid exactly once under every fault. The replicas share one database, so
 * an idempotency key is known to all of them: a payment whose answer order-service never
 * got (its time limit passed on a hung, burning or cold replica, or the replica died before
 * answering) and that the recovery sends again to another replica is answered there as a
 * replay of the first charge, and when two replicas charge one key at once the database's
 * unique key lets one through and the other replays it. The registry and the database are
 * infrastructure, not faults: they stay up.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ReplicaFaultMatrixIT {

	/** How long a faulty replica may still get traffic after the fault began. */
	private static final Duration TRAFFIC_BOUND = Duration.ofSeconds(10);

	/** How long traffic is watched after a fault begins: past the bound. */
	private static final Duration WATCH_TIME = Duration.ofSeconds(12);

	private static final Duration CUSTOMER_PACE = Duration.ofMillis(250);

	private static final Duration RECOVERY_BOUND = Duration.ofSeconds(90);

	private static final Duration STEADY_STATE_BOUND = Duration.ofSeconds(60);

	/** How long an added replica may take to start and get its first request. */
	private static final Duration ADDED_BOUND = Duration.ofSeconds(120);

	private static final List<String> rows = Collections.synchronizedList(new ArrayList<>());

	/** The p99 of the healthy run, which the faults' rows are compared against. */
	private static volatile Duration healthyP99;

	@RegisterExtension
	static final ReplicaShop shop = new ReplicaShop();

	@Test
	@org.junit.jupiter.api.Order(0)
	void healthy() {
		Row row = run(new Fault("healthy (no fault; every replica watched)", shop::replicas, () -> {
		}, () -> {
		}));
		healthyP99 = row.p99;
		// Balanced: each replica still gets requests in the second half of the watch. At a
		// few requests a second each, a quiet spell of three seconds is chance (it failed a
		// run); one of half the watch is not.
		assertThat(row.stoppedAfter).as("replicas watched while healthy").hasSize(ReplicaShop.REPLICAS);
		row.stoppedAfter.forEach((id, last) -> assertThat(last).as("last request to %s while healthy", id)
			.isGreaterThan(WATCH_TIME.dividedBy(2)));
	}

	@Test
	@org.junit.jupiter.api.Order(1)
	void oneReplicaHangs() {
		Replica hung = shop.replica(0);
		Row row = run(new Fault("one replica hangs (pause, then unpause)", () -> List.of(hung),
				() -> hung.container().pause(), () -> hung.container().unpause()));
		assertNoTrafficAfterBound(row);
	}

	@Test
	@org.junit.jupiter.api.Order(2)
	void oneReplicaCrashes() {
		Replica killed = shop.replica(1);
		Row row = run(new Fault("one replica crashes (kill), then starts again", () -> List.of(killed),
				() -> killed.container().kill(), () -> killed.container().start()));
		assertNoTrafficAfterBound(row);
	}

	@Test
	@org.junit.jupiter.api.Order(3)
	void twoOfThreeCrash() {
		List<Replica> killed = List.of(shop.replica(0), shop.replica(2));
		Row row = run(new Fault("two of three crash (kill), then start again", () -> killed,
				() -> killed.forEach((replica) -> replica.container().kill()), () -> startSideBySide(killed)));
		assertNoTrafficAfterBound(row);
	}

	@Test
	@org.junit.jupiter.api.Order(4)
	void allThreeCrashThenStartAgain() {
		List<Replica> killed = shop.replicas();
		Row row = run(new Fault("all three crash (kill), then start again", () -> killed,
				() -> killed.forEach((replica) -> replica.container().kill()), () -> startSideBySide(killed)));
		assertNoTrafficAfterBound(row);
	}

	@Test
	@org.junit.jupiter.api.Order(5)
	void oneReplicaBurnsItsCpuQuota() {
		Replica burning = shop.replica(1);
		Row row = run(new Fault("one replica burns its whole CPU quota (" + WATCH_TIME.toSeconds() + " s)",
				() -> List.of(burning), () -> {
					Map<String, Object> faults = burning.payments()
						.switchFaults(Map.of("cpuBurn", WATCH_TIME.toMillis()));
					assertThat(faults).as("the replica's faults after a CPU burn").containsEntry("cpuBurning", true);
				}, () -> burning.payments().clearFaults()));
		// Slow, not dead: it answers its heartbeats late and holds its requests longer, so
		// balanced routing sends it less; whether it is left out entirely is measured, not
		// promised.
		assertThat(row.stoppedAfter).as("replicas watched").containsKey(burning.id());
	}

	@Test
	@org.junit.jupiter.api.Order(6)
	void oneReplicaIsKilledAtItsMemoryLimit() {
		Replica leaking = shop.replica(2);
		Row row = run(new Fault("one replica killed at its memory limit (leak, -Xmx400m in 256 MiB)",
				() -> List.of(leaking), () -> leaking.payments().switchFaults(Map.of("memoryLeak", true)), () -> {
					assertThat(leaking.container().isRunning()).as(leaking.id() + " still running after its leak")
						.isFalse();
					assertThat(leaking.container().wasKilledAtMemoryLimit())
						.as(leaking.id() + " killed by the kernel at its memory limit")
						.isTrue();
					leaking.container().start();
				}));
		assertNoTrafficAfterBound(row);
	}

	@Test
	@org.junit.jupiter.api.Order(7)
	void aReplicaIsAddedDuringLoad() {
		Row row = run(new Fault("a fourth replica is added during load", List::of, () -> {
		}, () -> {
		}) {

			private volatile Replica added;

			private volatile long readyAt;

			@Override
			void watch(Row row, long injectedAt, Watch watch) {
				CompletableFuture<Void> starting = CompletableFuture.runAsync(() -> {
					this.added = shop.addReplica();
					this.readyAt = System.nanoTime();
				});
				long until = System.nanoTime() + ADDED_BOUND.toNanos();
				long firstTraffic = 0;
				while (System.nanoTime() < until && firstTraffic == 0) {
					if (this.added != null) {
						InstanceView view = watch.views().get(this.added.id());
						if (view != null && view.requests() > 0) {
							firstTraffic = System.nanoTime();
						}
					}
					watch.sleepAndPoll();
				}
				starting.join();
				row.faulty = List.of(this.added.id());
				if (firstTraffic != 0) {
					row.firstTraffic = Duration.ofNanos(firstTraffic - injectedAt);
					row.firstTrafficAfterReady = Duration.ofNanos(firstTraffic - this.readyAt);
				}
			}
		});
		assertThat(row.firstTrafficAfterReady).as("time for the added replica to get traffic once ready")
			.isNotNull()
			.isLessThan(TRAFFIC_BOUND);
	}

	@AfterAll
	static void writeTable() throws IOException {
		if (rows.isEmpty()) {
			return;
		}
		StringBuilder table = new StringBuilder();
		table.append("| fault | faulty replicas | last request to them after | orders placed | 5xx seen ")
			.append("| orders lost | orders unpaid | orders paid twice | p99 of orders (healthy: ")
			.append((healthyP99 != null) ? healthyP99.toMillis() + " ms" : "?")
			.append(") |")
			.append(System.lineSeparator())
			.append("|---|---|---|---:|---:|---:|---:|---:|---:|")
			.append(System.lineSeparator());
		rows.forEach((row) -> table.append(row).append(System.lineSeparator()));
		Path file = Path.of(System.getProperty("faultline.e2e.replica-matrix-file", "target/replica-matrix.md"));
		Files.createDirectories(file.getParent());
		Files.writeString(file, table);
		System.out.println("Replica fault matrix (" + file.toAbsolutePath() + "):");
		System.out.print(table);
	}

	/**
	 * Runs one fault while customers place orders and adds its row, then checks the
	 * promises every fault keeps. The row is written from what was measured before any
	 * promise is checked, and from whatever was measured when the run ends early.
	 */
	private Row run(Fault fault) {
		// From a healthy steady state: every replica listed and trusted.
		shop.awaitAllAvailable(STEADY_STATE_BOUND);
		Row row = new Row(fault.name);
		Map<String, String> notRetrievable = new LinkedHashMap<>();
		List<Sent> placements;
		Customers customers = new Customers(CUSTOMER_PACE, () -> shop.orders().place(OrderRequest.ofACustomer()));
		customers.start();
		try {
			sleep(Duration.ofSeconds(1));
			long injectedAt = System.nanoTime();
			fault.watch(row, injectedAt, new Watch());
			long healedAt = System.nanoTime();
			// Customers go on for a while after the fault is undone.
			sleep(Duration.ofSeconds(2));
			placements = customers.stop();
			row.placed(placements, injectedAt, healedAt);
			List<String> accepted = placements.stream()
				.map(Sent::placement)
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
			row.unpaid = 0;
			row.paidTwice = 0;
			for (String id : accepted) {
				int payments = shop.paymentsOf(id).size();
				if (payments == 0) {
					row.unpaid++;
				}
				else if (payments > 1) {
					row.paidTwice++;
					row.paidTwiceOrders.put(id, payments);
				}
			}
		}
		finally {
			customers.stop();
			rows.add(row.toString());
		}
		assertThat(placements).as("orders placed during: " + fault.name).isNotEmpty();
		assertThat(placements).as("placements answered during: " + fault.name)
			.allMatch((timed) -> timed.placement().isAnswered());
		assertThat(row.serverErrors).as("5xx answers during: " + fault.name).isZero();
		assertThat(notRetrievable).as("accepted orders not stored, right after: " + fault.name).isEmpty();
		assertThat(row.notScheduled).as("accepted orders not paid and scheduled by the recovery after: " + fault.name)
			.isZero();
		assertThat(row.unpaid).as("accepted orders without a payment on any replica after: " + fault.name).isZero();
		assertThat(row.paidTwiceOrders).as("orders paid more than once (payments by order) after: " + fault.name)
			.isEmpty();
		return row;
	}

	private static void assertNoTrafficAfterBound(Row row) {
		assertThat(row.stoppedAfter).as("faulty replicas watched in: " + row.fault).isNotEmpty();
		row.stoppedAfter.forEach((id, last) -> assertThat(last)
			.as("time until %s got no more traffic in: %s", id, row.fault)
			.isLessThan(TRAFFIC_BOUND));
	}

	private static void startSideBySide(List<Replica> replicas) {
		CompletableFuture.allOf(replicas.stream()
			.map((replica) -> CompletableFuture.runAsync(replica.container()::start))
			.toArray(CompletableFuture[]::new)).join();
	}

	private static Optional<String> retrievalProblem(String id) {
		try {
			return shop.orders().find(id).isPresent() ? Optional.empty() : Optional.of("404 Not Found");
		}
		catch (RuntimeException ex) {
			return Optional.of(String.valueOf(ex.getMessage()));
		}
	}

	private static void awaitRecovery(List<String> stored) {
		try {
			await("every accepted order paid and scheduled").atMost(RECOVERY_BOUND)
				.pollInterval(Duration.ofSeconds(1))
				.ignoreExceptions()
				.until(() -> stored.stream().allMatch(ReplicaFaultMatrixIT::isScheduled));
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

	private static Duration p99(List<Duration> values) {
		if (values.isEmpty()) {
			return null;
		}
		List<Duration> sorted = new ArrayList<>(values);
		Collections.sort(sorted);
		return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(sorted.size() * 0.99) - 1));
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
	 * A fault: which replicas it hits, how it is done and undone, and how its traffic is
	 * watched meanwhile (by default for {@link #WATCH_TIME}: when each faulty replica last
	 * got a request).
	 */
	private static class Fault {

		final String name;

		private final Supplier<List<Replica>> faulty;

		private final Runnable inject;

		private final Runnable heal;

		Fault(String name, Supplier<List<Replica>> faulty, Runnable inject, Runnable heal) {
			this.name = name;
			this.faulty = faulty;
			this.inject = inject;
			this.heal = heal;
		}

		void watch(Row row, long injectedAt, Watch watch) {
			List<String> ids = this.faulty.get().stream().map(Replica::id).toList();
			row.faulty = ids;
			Map<String, Long> requests = new LinkedHashMap<>();
			Map<String, Long> lastIncrease = new LinkedHashMap<>();
			watch.views().forEach((id, view) -> requests.put(id, view.requests()));
			this.inject.run();
			long until = injectedAt + WATCH_TIME.toNanos();
			while (System.nanoTime() < until) {
				watch.sleepAndPoll();
				long now = System.nanoTime();
				watch.views().forEach((id, view) -> {
					Long before = requests.put(id, view.requests());
					if (before != null && view.requests() > before) {
						lastIncrease.put(id, now);
					}
				});
			}
			for (String id : ids) {
				Long last = lastIncrease.get(id);
				row.stoppedAfter.put(id, (last != null) ? Duration.ofNanos(last - injectedAt) : Duration.ZERO);
			}
			this.heal.run();
		}

	}

	/**
	 * Order-service's view of the payment instances, polled as the fault goes on.
	 */
	private static final class Watch {

		private Map<String, InstanceView> last = Map.of();

		Map<String, InstanceView> views() {
			try {
				this.last = shop.instances();
			}
			catch (RuntimeException ex) {
				// The endpoint did not answer this once: the last view stands.
			}
			return this.last;
		}

		void sleepAndPoll() {
			sleep(Duration.ofMillis(200));
		}

	}

	/**
	 * One fault's row of the table; what the run did not reach shows as "?".
	 */
	private static final class Row {

		private final String fault;

		private List<String> faulty = List.of();

		private final Map<String, Duration> stoppedAfter = new LinkedHashMap<>();

		private Duration firstTraffic;

		private Duration firstTrafficAfterReady;

		private Duration p99;

		private long placed = -1;

		private long serverErrors = -1;

		private long unanswered = -1;

		private long lost = -1;

		private long notScheduled = -1;

		private long unpaid = -1;

		private long paidTwice = -1;

		private final Map<String, Integer> paidTwiceOrders = new LinkedHashMap<>();

		Row(String fault) {
			this.fault = fault;
		}

		void placed(List<Sent> placements, long from, long to) {
			this.placed = placements.size();
			this.serverErrors = placements.stream().filter((timed) -> timed.placement().isServerError()).count();
			this.unanswered = placements.stream().filter((timed) -> !timed.placement().isAnswered()).count();
			this.p99 = p99(placements.stream()
				.filter((timed) -> timed.sentAt() >= from && timed.sentAt() <= to)
				.map((timed) -> timed.placement().elapsed())
				.toList());
		}

		@Override
		public String toString() {
			String traffic;
			if (this.firstTraffic != null) {
				traffic = "first request " + seconds(this.firstTraffic) + " after it was started ("
						+ seconds(this.firstTrafficAfterReady) + " after it was ready)";
			}
			else if (!this.stoppedAfter.isEmpty()) {
				List<String> each = new ArrayList<>();
				this.stoppedAfter.forEach((id, last) -> each
					.add(id + " " + (last.isZero() ? "none after the fault began" : seconds(last))));
				traffic = String.join(", ", each);
			}
			else {
				traffic = this.faulty.isEmpty() ? "-" : "?";
			}
			String errors = count(this.serverErrors)
					+ ((this.unanswered > 0) ? ", " + this.unanswered + " unanswered" : "");
			String unpaidLeft = count(this.unpaid)
					+ ((this.notScheduled > 0) ? ", " + this.notScheduled + " not scheduled" : "");
			String paidTwiceText = count(this.paidTwice)
					+ (this.paidTwiceOrders.isEmpty() ? "" : " (payments by order: " + this.paidTwiceOrders + ")");
			return String.format("| %s | %s | %s | %s | %s | %s | %s | %s | %s |", this.fault,
					this.faulty.isEmpty() ? "-" : String.join(", ", this.faulty), traffic, count(this.placed), errors,
					count(this.lost), unpaidLeft, paidTwiceText,
					(this.p99 != null) ? this.p99.toMillis() + " ms" : "?");
		}

		private static String seconds(Duration duration) {
			return String.format(java.util.Locale.ROOT, "%.1f s", duration.toMillis() / 1000.0);
		}

		private static String count(long value) {
			return (value < 0) ? "?" : String.valueOf(value);
		}

	}

}
