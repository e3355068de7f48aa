package dev.faultline.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import dev.faultline.e2e.support.Order;
import dev.faultline.e2e.support.OrderRequest;
import dev.faultline.e2e.support.Placement;
import dev.faultline.e2e.support.SampleShop;
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
 * bounded. Each test adds a row to the table written to {@code target/fault-matrix.md}.
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
		table.append("| fault | time to detect | fallbacks served | 5xx seen | orders lost | orders paid twice |")
			.append(System.lineSeparator())
			.append("|---|---:|---:|---:|---:|---:|")
			.append(System.lineSeparator());
		rows.forEach((row) -> table.append(row).append(System.lineSeparator()));
		Path file = Path.of("target", "fault-matrix.md");
		Files.createDirectories(file.getParent());
		Files.writeString(file, table);
		System.out.println("Fault matrix (" + file.toAbsolutePath() + "):");
		System.out.print(table);
	}

	/**
	 * Runs one fault while customers place orders, checks every promise, adds a row.
	 * @param fault the row's name
	 * @param detectable whether payment must be suspected within the bound (a hang or a
	 * crash; a slow or failing payment still answers its probes or its traffic)
	 * @param inject what breaks payment
	 * @param heal what brings it back
	 */
	private void run(String fault, boolean detectable, Runnable inject, Runnable heal) {
		long threadsBefore = liveThreads();
		Duration deliveryBaseline = deliveryLatency();
		Customers customers = new Customers();
		customers.start();
		try {
			sleep(Duration.ofSeconds(1));
			long injectedAt = System.nanoTime();
			// On its own thread: a flapping fault goes on while the loop below watches.
			CompletableFuture<Void> injecting = CompletableFuture.runAsync(inject);
			AtomicLong detectedAt = new AtomicLong();
			List<Duration> deliveryWhileFaulty = new ArrayList<>();
			long until = System.nanoTime() + FAULT_TIME.toNanos();
			while (System.nanoTime() < until) {
				if (detectedAt.get() == 0 && !"UP".equals(shop.orders().health("peers/payment-service").status())) {
					detectedAt.set(System.nanoTime());
				}
				deliveryWhileFaulty.add(deliveryCall());
				assertThat(shop.orders().health("liveness").isUp()).as("order-service live during: " + fault).isTrue();
				assertThat(shop.orders().health("readiness").isUp()).as("order-service ready during: " + fault)
					.isTrue();
				sleep(Duration.ofMillis(200));
			}
			injecting.join();
			heal.run();
			Duration detection = (detectedAt.get() != 0) ? Duration.ofNanos(detectedAt.get() - injectedAt) : null;
			if (detectable) {
				assertThat(detection).as("time for order-service to suspect payment after: " + fault)
					.isNotNull()
					.isLessThan(DETECTION_BOUND);
			}
			if (detectable) {
				// While payment is hung or down, delivery keeps its speed.
				assertThat(median(deliveryWhileFaulty)).as("delivery latency during: " + fault)
					.isLessThanOrEqualTo(deliveryBaseline.multipliedBy(2).plusMillis(20));
			}
			sleep(Duration.ofSeconds(2));
			List<Placement> placements = customers.stop();
			check(fault, detection, placements, threadsBefore);
		}
		finally {
			customers.stop();
		}
	}

	private void check(String fault, Duration detection, List<Placement> placements, long threadsBefore) {
		long serverErrors = placements.stream().filter(Placement::isServerError).count();
		long fallbacks = placements.stream()
			.filter((placement) -> placement.order() != null && Order.PAYMENT_PENDING.equals(placement.order().status()))
			.count();
		List<String> accepted = placements.stream()
			.filter((placement) -> placement.status() == 201)
			.map((placement) -> placement.order().id())
			.toList();
		await("every accepted order paid and scheduled after: " + fault).atMost(Duration.ofSeconds(90))
			.pollInterval(Duration.ofSeconds(1))
			.ignoreExceptions()
			.untilAsserted(() -> {
				for (String id : accepted) {
					assertThat(shop.orders().order(id).status()).as("order " + id)
						.isEqualTo(Order.DELIVERY_SCHEDULED);
				}
			});
		long lost = accepted.stream().filter((id) -> shop.orders().order(id) == null).count();
		long paidTwice = accepted.stream().filter((id) -> shop.payments().ofOrder(id).size() > 1).count();
		long unpaid = accepted.stream().filter((id) -> shop.payments().ofOrder(id).isEmpty()).count();
		rows.add(String.format("| %s | %s | %d of %d | %d | %d | %d |", fault,
				(detection != null) ? detection.toMillis() + " ms" : "not suspected", fallbacks, placements.size(),
				serverErrors, lost + unpaid, paidTwice));

		assertThat(placements).as("orders placed during: " + fault).isNotEmpty();
		assertThat(serverErrors).as("5xx answers during: " + fault).isZero();
		assertThat(placements).as("placements answered in time during: " + fault)
			.allSatisfy((placement) -> assertThat(placement.elapsed()).isLessThan(PAYMENT_LIMIT.plus(MARGIN)));
		assertThat(lost + unpaid).as("accepted orders lost or unpaid after: " + fault).isZero();
		assertThat(paidTwice).as("orders paid twice after: " + fault).isZero();
		await("order-service threads back near where they were after: " + fault).atMost(Duration.ofSeconds(30))
			.pollInterval(Duration.ofSeconds(1))
			.untilAsserted(() -> assertThat(liveThreads()).isLessThan(threadsBefore + THREAD_GROWTH_BOUND));
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
	 * Customers placing an order at a steady pace on their own threads, whatever the
	 * answers.
	 */
	private static final class Customers {

		private final ExecutorService threads = Executors.newCachedThreadPool();

		private final List<Future<Placement>> placements = Collections.synchronizedList(new ArrayList<>());

		private final AtomicBoolean running = new AtomicBoolean();

		private Future<?> pacer;

		void start() {
			this.running.set(true);
			this.pacer = this.threads.submit(() -> {
				while (this.running.get()) {
					this.placements.add(this.threads.submit(() -> shop.orders().place(OrderRequest.of("customer"))));
					sleep(CUSTOMER_PACE);
				}
			});
		}

		List<Placement> stop() {
			if (!this.running.getAndSet(false)) {
				return List.of();
			}
			List<Placement> answers = new ArrayList<>();
			try {
				this.pacer.get(10, TimeUnit.SECONDS);
				synchronized (this.placements) {
					for (Future<Placement> placement : this.placements) {
						answers.add(placement.get(30, TimeUnit.SECONDS));
					}
				}
			}
			catch (Exception ex) {
				throw new IllegalStateException("A customer got no answer", ex);
			}
			finally {
				this.threads.shutdownNow();
			}
			return answers;
		}

	}

}
