package dev.faultline.sample.order;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.faultline.function.BusinessFunctions;
import dev.faultline.function.IsolatedFunction;
import dev.faultline.function.Partitions;
import io.github.resilience4j.circuitbreaker.CircuitBreaker.State;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The order service beyond its capacity, over real HTTP, against a real HTTP payment
 * server that takes its time: every order is either accepted (and then never lost, and
 * paid exactly once) or refused {@code 503} with {@code Retry-After}, never a
 * {@code 500}; one customer's flood leaves the others served; and a backlog of orders
 * waiting for payment drains at the payment function's pace once payment is back.
 *
 * <p>
 * The order pool is made small (two threads, two queued; one call in it per customer), so
 * that 64 clients overload it on any machine.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "faultline.peers.payment-service.heartbeat.interval=200ms",
				"faultline.peers.payment-service.heartbeat.timeout=100ms", "orders.recovery.interval=300ms",
				"orders.recovery.quiet-for=500ms",
				"resilience4j.circuitbreaker.instances.payment.wait-duration-in-open-state=1s",
				"resilience4j.thread-pool-bulkhead.instances.order.core-thread-pool-size=2",
				"resilience4j.thread-pool-bulkhead.instances.order.max-thread-pool-size=2",
				"resilience4j.thread-pool-bulkhead.instances.order.queue-capacity=2" })
class OverloadTests {

	private static final Pattern ID = Pattern.compile("\"id\"\\s*:\\s*\"([^\"]+)\"");

	private static final Pattern CAUSE = Pattern.compile("\"cause\"\\s*:\\s*\"([^\"]+)\"");

	private static final PaymentStub payment = PaymentStub.start();

	@TempDir
	static Path data;

	private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

	@LocalServerPort
	private int port;

	@Autowired
	private BusinessFunctions functions;

	@Autowired
	private OrderRepository orders;

	@Autowired
	private JdbcClient jdbc;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		registry.add("faultline.peers.payment-service.instances[0]", payment::url);
		registry.add("orders.data-dir", () -> data.toString());
	}

	@AfterEach
	void paymentBackAndCaughtUp() {
		payment.delay(Duration.ZERO);
		payment.restart();
		await().atMost(Duration.ofSeconds(30))
			.until(() -> count(OrderStatus.PAYMENT_PENDING) == 0 && count(OrderStatus.DELIVERY_DEFERRED) == 0);
	}

	@AfterAll
	static void stopPayment() {
		payment.close();
	}

	@Test
	void sixtyFourClientsBeyondCapacityGet201Or503WithRetryAfterNeverA500AndEveryAcceptedOrderIsPaidOnce()
			throws Exception {
		payment.delay(Duration.ofMillis(50));
		long storedBefore = this.jdbc.sql("SELECT COUNT(*) FROM orders").query(Long.class).single();
		Map<Integer, Integer> statuses = new ConcurrentHashMap<>();
		Map<String, Integer> refusals = new ConcurrentHashMap<>();
		Set<String> accepted = ConcurrentHashMap.newKeySet();
		List<String> problems = new ArrayList<>();
		AtomicBoolean offering = new AtomicBoolean(true);
		ExecutorService clients = Executors.newFixedThreadPool(64);
		try {
			List<Future<?>> running = new ArrayList<>();
			for (int i = 0; i < 64; i++) {
				String customer = "customer-" + (i % 8);
				running.add(clients.submit(() -> {
					// As fast as it can, Retry-After ignored: the worst a client can do.
					while (offering.get()) {
						HttpResponse<String> answer = place(customer);
						statuses.merge(answer.statusCode(), 1, Integer::sum);
						if (answer.statusCode() == 201) {
							accepted.add(id(answer.body()));
						}
						else if (answer.statusCode() == 503 && isRefusal(answer)) {
							refusals.merge(cause(answer.body()), 1, Integer::sum);
						}
						else {
							synchronized (problems) {
								problems.add(answer.statusCode() + " " + answer.body());
							}
						}
					}
					return null;
				}));
			}
			TimeUnit.SECONDS.sleep(3);
			offering.set(false);
			for (Future<?> client : running) {
				client.get(30, TimeUnit.SECONDS);
			}
		}
		finally {
			clients.shutdownNow();
		}
		System.out.printf("64 clients for 3 s: answers by status %s, refusals by cause %s%n", statuses, refusals);

		assertThat(problems).as("answers other than 201 or a 503 refusal").isEmpty();
		assertThat(statuses).containsOnlyKeys(201, 503);
		assertThat(refusals).isNotEmpty();
		assertThat(refusals.keySet()).isSubsetOf("pool-full", "partition-full");
		long stored = this.jdbc.sql("SELECT COUNT(*) FROM orders").query(Long.class).single() - storedBefore;
		assertThat(stored).as("orders stored: the accepted ones, no others").isEqualTo(accepted.size());

		payment.delay(Duration.ZERO);
		await().atMost(Duration.ofSeconds(30)).until(() -> count(OrderStatus.PAYMENT_PENDING) == 0);
		for (String id : accepted) {
			assertThat(this.orders.find(id)).as("order %s", id).isPresent();
			assertThat(payment.charges(id)).as("payments of order %s", id).isEqualTo(1);
		}
	}

	@Test
	void customerHoldingItsShareOfTheOrderPoolIsRefused503PartitionFullWhileAnotherCustomersOrderIsAccepted()
			throws Exception {
		IsolatedFunction desk = this.functions.get("order");
		Partitions partitions = desk.getPartitions();
		CompletableFuture<Boolean> gate = new CompletableFuture<>();
		try {
			for (int i = 0; i < partitions.share(); i++) {
				desk.callAsync("noisy-customer", () -> gate);
			}
			HttpResponse<String> noisy = place("noisy-customer");
			HttpResponse<String> quiet = place("quiet-customer");

			assertThat(noisy.statusCode()).isEqualTo(503);
			assertThat(noisy.headers().firstValue("Retry-After")).hasValue("1");
			assertThat(noisy.headers().firstValue("Content-Type")).hasValue("application/problem+json");
			assertThat(cause(noisy.body())).isEqualTo("partition-full");
			assertThat(quiet.statusCode()).isEqualTo(201);
			assertThat(quiet.body()).contains("\"status\":\"DELIVERY_SCHEDULED\"");
		}
		finally {
			gate.complete(true);
		}
	}

	@Test
	void customerFloodingASlowPaymentIsTurnedAwayOrLeftPendingWhileAnotherCustomersOrdersAreAccepted()
			throws Exception {
		payment.delay(Duration.ofMillis(100));
		AtomicBoolean flooding = new AtomicBoolean(true);
		Map<String, Integer> noisy = new ConcurrentHashMap<>();
		ExecutorService clients = Executors.newFixedThreadPool(32);
		try {
			List<Future<?>> running = new ArrayList<>();
			for (int i = 0; i < 32; i++) {
				running.add(clients.submit(() -> {
					while (flooding.get()) {
						noisy.merge(outcome(place("noisy-customer")), 1, Integer::sum);
					}
					return null;
				}));
			}
			IsolatedFunction payments = this.functions.get("payment");
			await().atMost(Duration.ofSeconds(10))
				.until(() -> payments.getPartitions().busiest(1).getOrDefault("noisy-customer", 0) == payments
					.getPartitions()
					.share());
			List<String> quiet = new ArrayList<>();
			for (int i = 0; i < 5; i++) {
				quiet.add(outcome(place("quiet-customer")));
			}
			flooding.set(false);
			for (Future<?> client : running) {
				client.get(30, TimeUnit.SECONDS);
			}
			System.out.printf("Noisy customer's answers: %s; quiet customer's: %s%n", noisy, quiet);

			assertThat(quiet).allMatch((outcome) -> outcome.startsWith("201 "));
			assertThat(noisy).containsKey("201 PAYMENT_PENDING");
			assertThat(noisy.keySet()).allMatch((outcome) -> outcome.startsWith("201 ")
					|| outcome.equals("503 partition-full") || outcome.equals("503 pool-full"));
			assertThat(payments.partitionRejectedCalls()).isPositive();
		}
		finally {
			flooding.set(false);
			clients.shutdownNow();
		}
	}

	@Test
	void backlogOfFiveHundredPendingOrdersIsPaidExactlyOnceSoonAfterPaymentIsBackWhileNewOrdersArePaidAtOnce() {
		payment.stop();
		IsolatedFunction payments = this.functions.get("payment");
		await().atMost(Duration.ofSeconds(10)).until(() -> payments.getCircuitBreaker().getState() == State.OPEN);
		List<String> backlog = new ArrayList<>();
		for (int i = 0; i < 500; i++) {
			backlog.add(this.orders
				.accept(new OrderRequest("customer-" + (i % 10), new BigDecimal("12.50"), "EUR", "1011 AB"))
				.id());
		}
		// Slow enough that the drain takes a while, so a new order arrives in the middle of it.
		payment.delay(Duration.ofMillis(10));

		long start = System.nanoTime();
		payment.restart();
		await().atMost(Duration.ofSeconds(20)).until(() -> count(OrderStatus.PAYMENT_PENDING) < 450);
		HttpResponse<String> during = place("customer-1");
		await().atMost(Duration.ofSeconds(30)).until(() -> count(OrderStatus.PAYMENT_PENDING) == 0);
		Duration drained = Duration.ofNanos(System.nanoTime() - start);
		System.out.printf("500 pending orders paid %d ms after payment came back%n", drained.toMillis());

		assertThat(during.statusCode()).isEqualTo(201);
		assertThat(during.body()).contains("\"status\":\"DELIVERY_SCHEDULED\"");
		for (String id : backlog) {
			assertThat(payment.charges(id)).as("payments of order %s", id).isEqualTo(1);
		}
		assertThat(payment.chargedTwice()).isZero();
		// At the old pace, 50 orders per round, 500 took 10 rounds at least.
		assertThat(drained).isLessThan(Duration.ofSeconds(15));
	}

	private long count(OrderStatus status) {
		return this.jdbc.sql("SELECT COUNT(*) FROM orders WHERE status = ?")
			.param(status.name())
			.query(Long.class)
			.single();
	}

	private HttpResponse<String> place(String customer) {
		HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + "/orders"))
			.header("Content-Type", "application/json")
			.timeout(Duration.ofSeconds(10))
			.POST(HttpRequest.BodyPublishers.ofString("{\"customer\":\"" + customer
					+ "\",\"amount\":42.50,\"currency\":\"EUR\",\"postcode\":\"1011 AB\"}"))
			.build();
		try {
			return this.http.send(request, HttpResponse.BodyHandlers.ofString());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	private static boolean isRefusal(HttpResponse<String> answer) {
		return answer.headers().firstValue("Retry-After").isPresent()
				&& answer.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json")
				&& answer.body().contains("\"status\":503");
	}

	private static String outcome(HttpResponse<String> answer) {
		if (answer.statusCode() == 201) {
			Matcher status = Pattern.compile("\"status\"\\s*:\\s*\"([A-Z_]+)\"").matcher(answer.body());
			return "201 " + (status.find() ? status.group(1) : "?");
		}
		return answer.statusCode() + (isRefusal(answer) ? " " + cause(answer.body()) : " " + answer.body());
	}

	private static String id(String body) {
		Matcher id = ID.matcher(body);
		assertThat(id.find()).as("id in %s", body).isTrue();
		return id.group(1);
	}

	private static String cause(String body) {
		Matcher cause = CAUSE.matcher(body);
		return cause.find() ? cause.group(1) : "none";
	}

}
