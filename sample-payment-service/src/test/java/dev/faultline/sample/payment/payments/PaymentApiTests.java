package dev.faultline.sample.payment.payments;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.client.NoOpResponseErrorHandler;
import org.springframework.web.client.RestTemplate;
import org.springframework.web.util.DefaultUriBuilderFactory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The payments API over real HTTP: charging, idempotent replays, look-ups and counting.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "management.server.port=0")
class PaymentApiTests {

	@TempDir
	static Path dataDir;

	@DynamicPropertySource
	static void dataDir(DynamicPropertyRegistry registry) {
		registry.add("payment.data-dir", dataDir::toString);
	}

	private final ObjectMapper json = new ObjectMapper();

	@LocalServerPort
	private int port;

	@Test
	void chargeWithNewKeyAnswersCreatedWithLocationAndStoresThePayment() {
		String orderId = newOrderId();
		long before = count();

		ResponseEntity<String> response = charge(newKey(), orderId, "12.50", "EUR");

		assertThat(response.getStatusCode()).isEqualTo(HttpStatus.CREATED);
		assertThat(response.getHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_JSON);
		assertThat(response.getHeaders().getFirst("Idempotent-Replayed")).isNull();
		JsonNode payment = readTree(response.getBody());
		assertThat(UUID.fromString(payment.get("id").asText())).isNotNull();
		assertThat(payment.get("orderId").asText()).isEqualTo(orderId);
		assertThat(payment.get("amount").decimalValue()).isEqualByComparingTo("12.50");
		assertThat(payment.get("currency").asText()).isEqualTo("EUR");
		assertThat(payment.get("status").asText()).isEqualTo("CHARGED");
		assertThat(payment.get("createdAt").asText()).matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?Z");
		assertThat(response.getHeaders().getLocation()).hasToString("/payments/" + payment.get("id").asText());
		assertThat(count()).isEqualTo(before + 1);
		ResponseEntity<String> stored = rest().getForEntity(response.getHeaders().getLocation().toString(),
				String.class);
		assertThat(stored.getStatusCode()).isEqualTo(HttpStatus.OK);
		assertThat(stored.getBody()).isEqualTo(response.getBody());
	}

	@Test
	void chargeShowsAmountWithTheCurrencysDecimals() {
		ResponseEntity<String> euros = charge(newKey(), newOrderId(), "12.5", "EUR");
		ResponseEntity<String> yen = charge(newKey(), newOrderId(), "1250", "JPY");

		assertThat(euros.getBody()).contains("\"amount\":12.50,");
		assertThat(yen.getBody()).contains("\"amount\":1250,");
	}

	@Test
	void chargeAgainWithSameKeyAndRequestReplaysFirstResultWithoutChargingAgain() {
		String key = newKey();
		String orderId = newOrderId();
		ResponseEntity<String> first = charge(key, orderId, "30.00", "USD");
		long afterFirst = count();

		ResponseEntity<String> again = charge(key, orderId, "30.00", "USD");

		assertThat(again.getStatusCode()).isEqualTo(HttpStatus.OK);
		assertThat(again.getHeaders().getFirst("Idempotent-Replayed")).isEqualTo("true");
		assertThat(again.getBody()).isEqualTo(first.getBody());
		assertThat(count()).isEqualTo(afterFirst);
		assertThat(paymentsOf(orderId)).hasSize(1);
	}

	@Test
	void chargeAgainWithSameKeyAndAmountWrittenDifferentlyReplays() {
		String key = newKey();
		String orderId = newOrderId();
		ResponseEntity<String> first = charge(key, orderId, "7.5", "GBP");

		ResponseEntity<String> again = charge(key, orderId, "7.50", "GBP");

		assertThat(again.getStatusCode()).isEqualTo(HttpStatus.OK);
		assertThat(again.getBody()).isEqualTo(first.getBody());
	}

	@Test
	void chargeWithUsedKeyAndDifferentRequestAnswersUnprocessableProblemAndChargesNothing() {
		String key = newKey();
		String orderId = newOrderId();
		charge(key, orderId, "10.00", "EUR");
		long afterFirst = count();

		List<ResponseEntity<String>> reused = List.of(charge(key, orderId, "10.01", "EUR"),
				charge(key, orderId, "10.00", "CHF"), charge(key, newOrderId(), "10.00", "EUR"));

		for (ResponseEntity<String> response : reused) {
			// 422 by number: Spring Framework 7 calls it UNPROCESSABLE_CONTENT, 6 UNPROCESSABLE_ENTITY.
			assertThat(response.getStatusCode().value()).isEqualTo(422);
			assertThat(response.getHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
			assertThat(readTree(response.getBody()).get("detail").asText())
				.isEqualTo("Idempotency-Key already used for a different request");
		}
		assertThat(count()).isEqualTo(afterFirst);
	}

	@Test
	void concurrentFirstRequestsWithSameKeyChargeExactlyOnce() throws Exception {
		int threads = 8;
		ExecutorService pool = Executors.newFixedThreadPool(threads);
		try {
			// Several rounds: one race can happen to be won without contention.
			for (int round = 0; round < 5; round++) {
				String key = newKey();
				String orderId = newOrderId();
				CountDownLatch start = new CountDownLatch(1);
				List<Future<ResponseEntity<String>>> futures = new ArrayList<>();
				for (int i = 0; i < threads; i++) {
					futures.add(pool.submit(() -> {
						start.await();
						return charge(key, orderId, "99.99", "EUR");
					}));
				}
				start.countDown();
				List<ResponseEntity<String>> responses = new ArrayList<>();
				for (Future<ResponseEntity<String>> future : futures) {
					responses.add(future.get(30, TimeUnit.SECONDS));
				}

				assertThat(responses).filteredOn((response) -> response.getStatusCode() == HttpStatus.CREATED)
					.hasSize(1);
				assertThat(responses).filteredOn((response) -> response.getStatusCode() == HttpStatus.OK)
					.hasSize(threads - 1)
					.allSatisfy((response) -> assertThat(response.getHeaders().getFirst("Idempotent-Replayed"))
						.isEqualTo("true"));
				assertThat(responses).extracting(ResponseEntity::getBody).containsOnly(responses.get(0).getBody());
				assertThat(paymentsOf(orderId)).hasSize(1);
			}
		}
		finally {
			pool.shutdownNow();
		}
	}

	@Test
	void paymentWhenUnknownAnswersNotFoundProblem() {
		UUID unknown = UUID.randomUUID();

		ResponseEntity<String> response = rest().getForEntity("/payments/" + unknown, String.class);

		assertThat(response.getStatusCode()).isEqualTo(HttpStatus.NOT_FOUND);
		assertThat(response.getHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
		assertThat(readTree(response.getBody()).get("detail").asText()).contains(unknown.toString());
	}

	@Test
	void paymentWhenIdIsNoUuidAnswersNotFoundProblem() {
		ResponseEntity<String> response = rest().getForEntity("/payments/not-an-id", String.class);

		assertThat(response.getStatusCode()).isEqualTo(HttpStatus.NOT_FOUND);
		assertThat(response.getHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
	}

	@Test
	void paymentsOfOrderListsOnlyThatOrdersPayments() {
		String orderId = newOrderId();
		ResponseEntity<String> first = charge(newKey(), orderId, "1.00", "EUR");
		ResponseEntity<String> second = charge(newKey(), orderId, "2.00", "EUR");
		charge(newKey(), newOrderId(), "3.00", "EUR");

		JsonNode payments = paymentsOf(orderId);

		assertThat(payments).hasSize(2);
		assertThat(payments.get(0)).isEqualTo(readTree(first.getBody()));
		assertThat(payments.get(1)).isEqualTo(readTree(second.getBody()));
	}

	@Test
	void paymentsOfOrderWithoutPaymentsAnswersEmptyArray() {
		ResponseEntity<String> response = rest().getForEntity("/payments?orderId=" + newOrderId(), String.class);

		assertThat(response.getStatusCode()).isEqualTo(HttpStatus.OK);
		assertThat(response.getBody()).isEqualTo("[]");
	}

	@Test
	void countAnswersNumberOfStoredPayments() {
		long before = count();
		charge(newKey(), newOrderId(), "5.00", "CHF");
		charge(newKey(), newOrderId(), "6.00", "CHF");

		ResponseEntity<String> response = rest().getForEntity("/payments/count", String.class);

		assertThat(response.getStatusCode()).isEqualTo(HttpStatus.OK);
		assertThat(response.getBody()).isEqualTo("{\"count\":" + (before + 2) + "}");
	}

	private ResponseEntity<String> charge(String key, String orderId, String amount, String currency) {
		HttpHeaders headers = new HttpHeaders();
		headers.setContentType(MediaType.APPLICATION_JSON);
		headers.set("Idempotency-Key", key);
		String body = "{\"orderId\": \"" + orderId + "\", \"amount\": " + amount + ", \"currency\": \"" + currency
				+ "\"}";
		return rest().postForEntity("/payments", new HttpEntity<>(body, headers), String.class);
	}

	private JsonNode paymentsOf(String orderId) {
		ResponseEntity<String> response = rest().getForEntity("/payments?orderId=" + orderId, String.class);
		assertThat(response.getStatusCode()).isEqualTo(HttpStatus.OK);
		return readTree(response.getBody());
	}

	private long count() {
		return readTree(rest().getForObject("/payments/count", String.class)).get("count").asLong();
	}

	private JsonNode readTree(String body) {
		try {
			return this.json.readTree(body);
		}
		catch (Exception ex) {
			throw new IllegalStateException("Not JSON: " + body, ex);
		}
	}

	// A plain RestTemplate on this service, every status answered: Spring Boot's
	// TestRestTemplate moved module in Boot 4, and this test runs on both lines.
	private RestTemplate rest() {
		RestTemplate rest = new RestTemplate();
		rest.setUriTemplateHandler(new DefaultUriBuilderFactory("http://127.0.0.1:" + this.port));
		rest.setErrorHandler(new NoOpResponseErrorHandler());
		return rest;
	}

	private static String newKey() {
		return "key-" + UUID.randomUUID();
	}

	private static String newOrderId() {
		return "order-" + UUID.randomUUID();
	}

}
