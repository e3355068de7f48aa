package dev.faultline.sample.order;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import dev.faultline.function.BusinessFunctions;
import dev.faultline.function.IsolatedFunction;
import io.github.resilience4j.circuitbreaker.CircuitBreaker.State;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.client.NoOpResponseErrorHandler;
import org.springframework.web.client.RestTemplate;
import org.springframework.web.util.DefaultUriBuilderFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The order service with its real configuration (faster heartbeats and recovery for the
 * test), over real HTTP, against a real HTTP server that keeps the payment service's
 * contract and plays its faults.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "faultline.peers.payment-service.heartbeat.interval=200ms",
				"faultline.peers.payment-service.heartbeat.timeout=100ms",
				"orders.recovery.interval=300ms", "orders.recovery.quiet-for=500ms",
				"resilience4j.circuitbreaker.instances.payment.wait-duration-in-open-state=1s" })
class OrderServiceApplicationTests {

	private static final Duration PAYMENT_LIMIT = Duration.ofSeconds(1);

	private static final PaymentStub payment = PaymentStub.start();

	@TempDir
	static Path data;

	@LocalServerPort
	private int port;

	@Autowired
	private Warehouse warehouse;

	@Autowired
	private BusinessFunctions functions;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		registry.add("faultline.peers.payment-service.instances[0]", payment::url);
		registry.add("orders.data-dir", () -> data.toString());
	}

	@AfterEach
	void everythingBackAndCaughtUp() {
		payment.release();
		payment.failing(false);
		payment.restart();
		this.warehouse.setOpen(true);
		await().atMost(Duration.ofSeconds(20))
			.untilAsserted(() -> assertThat(orders("PAYMENT_PENDING")).isEmpty());
		await().atMost(Duration.ofSeconds(20))
			.untilAsserted(() -> assertThat(orders("DELIVERY_DEFERRED")).isEmpty());
	}

	@AfterAll
	static void stopPayment() {
		payment.close();
	}

	@Test
	void orderWhilePaymentAnswersIsPaidAndScheduled() {
		ResponseEntity<Map<String, Object>> placed = place(order("customer-1"));

		assertThat(placed.getStatusCode()).isEqualTo(HttpStatus.CREATED);
		assertThat(placed.getHeaders().getLocation()).hasToString("/orders/" + placed.getBody().get("id"));
		assertThat(placed.getBody()).containsEntry("status", "DELIVERY_SCHEDULED").containsKey("paymentId");
		assertThat(payment.charges((String) placed.getBody().get("id"))).isEqualTo(1);
		assertThat(get("/orders/" + placed.getBody().get("id")).getBody()).containsEntry("status",
				"DELIVERY_SCHEDULED");
	}

	@Test
	void ordersWhilePaymentHangsAreAcceptedPendingInTimeThenEachPaidExactlyOnce() throws Exception {
		payment.hang();
		List<String> ids = new ArrayList<>();
		for (int i = 0; i < 5; i++) {
			long start = System.nanoTime();
			ResponseEntity<Map<String, Object>> placed = place(order("customer-2"));
			Duration took = Duration.ofNanos(System.nanoTime() - start);
			assertThat(placed.getStatusCode()).isEqualTo(HttpStatus.CREATED);
			assertThat(placed.getBody()).containsEntry("status", "PAYMENT_PENDING");
			assertThat(took).isLessThan(PAYMENT_LIMIT.plusSeconds(1));
			ids.add((String) placed.getBody().get("id"));
		}
		assertThat(orders("PAYMENT_PENDING")).extracting((order) -> order.get("id")).containsAll(ids);

		payment.release();

		await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
			for (String id : ids) {
				assertThat(get("/orders/" + id).getBody()).containsEntry("status", "DELIVERY_SCHEDULED");
			}
		});
		for (String id : ids) {
			assertThat(payment.charges(id)).as("payments of order %s", id).isEqualTo(1);
		}
	}

	@Test
	void chargeWhoseAnswerWasLostIsAnsweredWithTheSamePaymentAndNeverChargedAgain() {
		payment.loseNextAnswer();
		ResponseEntity<Map<String, Object>> placed = place(order("carol"));
		String id = (String) placed.getBody().get("id");
		assertThat(placed.getBody()).containsEntry("status", "PAYMENT_PENDING");
		assertThat(payment.charges(id)).isEqualTo(1);

		payment.release();

		await().atMost(Duration.ofSeconds(20))
			.untilAsserted(() -> assertThat(get("/orders/" + id).getBody()).containsEntry("status",
					"DELIVERY_SCHEDULED"));
		assertThat(payment.charges(id)).isEqualTo(1);
	}

	@Test
	void paymentDownOpensItsCircuitSoOrdersAreAcceptedAtOnce() {
		payment.stop();
		await().atMost(Duration.ofSeconds(10))
			.until(() -> this.functions.get("payment").getCircuitBreaker().getState() == State.OPEN);

		long start = System.nanoTime();
		ResponseEntity<Map<String, Object>> placed = place(order("dave"));

		assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(PAYMENT_LIMIT.dividedBy(2));
		assertThat(placed.getStatusCode()).isEqualTo(HttpStatus.CREATED);
		assertThat(placed.getBody()).containsEntry("status", "PAYMENT_PENDING");
		assertThat(rest().getForObject("/actuator/faultline", String.class)).contains("\"state\":\"OPEN\"");
	}

	@Test
	void paymentFailingLeavesOrdersPendingAndNeverAnswers5xx() {
		payment.failing(true);
		for (int i = 0; i < 12; i++) {
			ResponseEntity<Map<String, Object>> placed = place(order("erin"));
			assertThat(placed.getStatusCode()).isEqualTo(HttpStatus.CREATED);
			assertThat(placed.getBody()).containsEntry("status", "PAYMENT_PENDING");
		}
	}

	@Test
	void orderWhileTheWarehouseIsClosedIsPaidWithDeliveryDeferredThenScheduled() {
		this.warehouse.setOpen(false);
		ResponseEntity<Map<String, Object>> placed = place(order("frank"));
		String id = (String) placed.getBody().get("id");
		assertThat(placed.getBody()).containsEntry("status", "DELIVERY_DEFERRED");

		this.warehouse.setOpen(true);

		await().atMost(Duration.ofSeconds(20))
			.untilAsserted(() -> assertThat(get("/orders/" + id).getBody()).containsEntry("status",
					"DELIVERY_SCHEDULED"));
		assertThat(payment.charges(id)).isEqualTo(1);
	}

	@Test
	void deliverySlotsKeepAnsweringWhilePaymentHangs() throws Exception {
		payment.hang();
		ExecutorService customers = Executors.newFixedThreadPool(8);
		try {
			List<Future<ResponseEntity<Map<String, Object>>>> placing = new ArrayList<>();
			for (int i = 0; i < 16; i++) {
				// One customer each: a customer has at most half of the order pool's threads'
				// worth of orders in it, and here the pool is to be busy, not refusing.
				String customer = "customer-" + i;
				placing.add(customers.submit(() -> place(order(customer))));
			}
			long start = System.nanoTime();
			ResponseEntity<String> slots = rest().getForEntity("/delivery/slots?postcode=1011AB", String.class);

			assertThat(slots.getStatusCode()).isEqualTo(HttpStatus.OK);
			assertThat(slots.getBody()).contains("morning");
			assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(PAYMENT_LIMIT);
			for (Future<ResponseEntity<Map<String, Object>>> placed : placing) {
				assertThat(placed.get().getStatusCode()).isEqualTo(HttpStatus.CREATED);
			}
		}
		finally {
			customers.shutdownNow();
		}
	}

	@ParameterizedTest
	@ValueSource(strings = { "{}", "{\"customer\":\"x\",\"amount\":-1,\"currency\":\"EUR\",\"postcode\":\"1011\"}",
			"{\"customer\":\"x\",\"amount\":0,\"currency\":\"EUR\",\"postcode\":\"1011\"}",
			"{\"customer\":\"x\",\"amount\":99999999,\"currency\":\"EUR\",\"postcode\":\"1011\"}",
			"{\"customer\":\"x\",\"amount\":1.234,\"currency\":\"EUR\",\"postcode\":\"1011\"}",
			"{\"customer\":\"x\",\"amount\":10,\"currency\":\"XYZ\",\"postcode\":\"1011\"}",
			"{\"customer\":\"x y\",\"amount\":10,\"currency\":\"EUR\",\"postcode\":\"1011\"}",
			"{\"customer\":\"x\",\"amount\":10,\"currency\":\"EUR\"}", "{\"customer\":", "not json" })
	void badOrderGetsAProblemAndStoresNothing(String body) {
		int before = orders(null).size();
		int charges = payment.paymentCount();

		ResponseEntity<Map<String, Object>> answer = exchange(HttpMethod.POST, "/orders", body);

		assertThat(answer.getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
		assertThat(answer.getHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
		assertThat(answer.getBody()).containsEntry("status", 400).containsKey("detail");
		assertThat(orders(null)).hasSize(before);
		assertThat(payment.paymentCount()).isEqualTo(charges);
	}

	@Test
	void orderWhileTheOrderPoolIsFullIsRefused503WithRetryAfterAndStoresNothing() {
		IsolatedFunction desk = this.functions.get("order");
		CompletableFuture<Boolean> gate = new CompletableFuture<>();
		long rejected = desk.rejectedCalls();
		try {
			// Calls that hold the order pool's threads and fill its queue, until it turns one away.
			while (desk.rejectedCalls() == rejected) {
				this.functions.callAsync("order", () -> gate);
			}
			int before = orders(null).size();
			int charges = payment.paymentCount();

			ResponseEntity<Map<String, Object>> answer = place(order("carol"));

			assertThat(answer.getStatusCode()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
			assertThat(answer.getHeaders().getFirst(HttpHeaders.RETRY_AFTER)).isEqualTo("1");
			assertThat(answer.getHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
			assertThat(answer.getBody()).containsEntry("status", 503)
				.containsEntry("function", "order")
				.containsEntry("cause", "pool-full");
			assertThat(orders(null)).hasSize(before);
			assertThat(payment.paymentCount()).isEqualTo(charges);
		}
		finally {
			gate.complete(true);
		}
		// The client that honours Retry-After gets its order placed.
		await().atMost(Duration.ofSeconds(5))
			.untilAsserted(() -> assertThat(place(order("carol")).getStatusCode()).isEqualTo(HttpStatus.CREATED));
	}

	@Test
	void unknownOrderGetsANotFoundProblem() {
		ResponseEntity<Map<String, Object>> answer = get("/orders/no-such-order");

		assertThat(answer.getStatusCode()).isEqualTo(HttpStatus.NOT_FOUND);
		assertThat(answer.getHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
		assertThat(answer.getBody()).containsEntry("detail", "No order with id 'no-such-order'");
	}

	@Test
	void unknownStatusFilterGetsABadRequestProblem() {
		ResponseEntity<Map<String, Object>> answer = get("/orders?status=LOST");

		assertThat(answer.getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
		assertThat(answer.getHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
	}

	private static String order(String customer) {
		return "{\"customer\":\"" + customer + "\",\"amount\":42.50,\"currency\":\"EUR\",\"postcode\":\"1011 AB\"}";
	}

	private ResponseEntity<Map<String, Object>> place(String body) {
		return exchange(HttpMethod.POST, "/orders", body);
	}

	private ResponseEntity<Map<String, Object>> get(String path) {
		return exchange(HttpMethod.GET, path, null);
	}

	private List<Map<String, Object>> orders(String status) {
		return rest()
			.exchange((status != null) ? "/orders?status=" + status : "/orders", HttpMethod.GET, null,
					new ParameterizedTypeReference<List<Map<String, Object>>>() {
					})
			.getBody();
	}

	private ResponseEntity<Map<String, Object>> exchange(HttpMethod method, String path, String body) {
		HttpHeaders headers = new HttpHeaders();
		headers.setContentType(MediaType.APPLICATION_JSON);
		return rest().exchange(path, method, new HttpEntity<>(body, headers),
				new ParameterizedTypeReference<Map<String, Object>>() {
				});
	}

	// A plain RestTemplate on this service, every status answered: Spring Boot's
	// TestRestTemplate moved module in Boot 4, and this test runs on both lines.
	private RestTemplate rest() {
		RestTemplate rest = new RestTemplate();
		rest.setUriTemplateHandler(new DefaultUriBuilderFactory("http://127.0.0.1:" + this.port));
		rest.setErrorHandler(new NoOpResponseErrorHandler());
		return rest;
	}

}
