package dev.faultline.sample.payment.payments;

import java.io.ByteArrayInputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * Every kind of bad charge request gets a problem response that names what was wrong and
 * what is allowed, and charges nothing.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "management.server.port=0")
class PaymentRequestValidationTests {

	private static final String VALID_BODY = "{\"orderId\": \"order-1\", \"amount\": 12.50, \"currency\": \"EUR\"}";

	private static final String ORDER_ID_RULE = "orderId must be 1 to 64 characters of A-Z, a-z, 0-9, '_' or '-'";

	private static final String CURRENCY_RULE = "currency must be one of EUR, USD, GBP, CHF or JPY";

	@TempDir
	static Path dataDir;

	@DynamicPropertySource
	static void dataDir(DynamicPropertyRegistry registry) {
		registry.add("payment.data-dir", dataDir::toString);
	}

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	private final ObjectMapper json = new ObjectMapper();

	@LocalServerPort
	private int port;

	@BeforeEach
	void validRequestIsCharged() throws Exception {
		// The cases below must fail for the reason they name, not because nothing works.
		assertThat(post("valid-" + System.nanoTime(), VALID_BODY).statusCode()).isIn(200, 201);
	}

	static Stream<Arguments> invalidBodies() {
		return Stream.of(arguments(body(null, "12.50", "EUR"), "orderId is required"),
				arguments(body("", "12.50", "EUR"), ORDER_ID_RULE), arguments(body("a".repeat(65), "12.50", "EUR"),
						ORDER_ID_RULE),
				arguments(body("order 1", "12.50", "EUR"), ORDER_ID_RULE),
				arguments(body("order/1", "12.50", "EUR"), ORDER_ID_RULE),
				arguments(body("order-1", null, "EUR"), "amount is required"),
				arguments(body("order-1", "0", "EUR"), "amount must be greater than 0"),
				arguments(body("order-1", "-5.00", "EUR"), "amount must be greater than 0"),
				arguments(body("order-1", "1000000.01", "EUR"), "amount must be at most 1000000.00"),
				arguments(body("order-1", "1e12", "EUR"), "amount must be at most 1000000.00"),
				arguments(body("order-1", "12.345", "EUR"), "amount must have at most 2 decimal places"),
				arguments(body("order-1", "0.001", "USD"), "amount must have at most 2 decimal places"),
				arguments(body("order-1", "1250.5", "JPY"), "amount must be a whole number for JPY"),
				arguments(body("order-1", "\"lots\"", "EUR"), "amount must be a decimal number"),
				arguments(body("order-1", "12.50", null), "currency is required"),
				arguments(body("order-1", "12.50", "eur"), CURRENCY_RULE),
				arguments(body("order-1", "12.50", "SEK"), CURRENCY_RULE),
				arguments(body("order-1", "12.50", "Euro"), CURRENCY_RULE));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("invalidBodies")
	void chargeWithInvalidFieldAnswersBadRequestProblemNamingItAndChargesNothing(String body, String rule)
			throws Exception {
		long before = count();

		HttpResponse<String> response = post("key-" + System.nanoTime(), body);

		JsonNode problem = assertProblem(response, 400);
		assertThat(problem.get("detail").asText()).contains(rule);
		String field = rule.substring(0, rule.indexOf(' '));
		assertThat(problem.get("errors")).anySatisfy((error) -> {
			assertThat(error.get("field").asText()).isEqualTo(field);
			assertThat(field + " " + error.get("message").asText()).startsWith(rule);
		});
		assertThat(count()).isEqualTo(before);
	}

	@Test
	void chargeWithSeveralInvalidFieldsNamesEveryOne() throws Exception {
		HttpResponse<String> response = post("key-" + System.nanoTime(), body("no way", "-1", "XXX"));

		JsonNode problem = assertProblem(response, 400);
		assertThat(problem.get("detail").asText()).contains(ORDER_ID_RULE, "amount must be greater than 0",
				CURRENCY_RULE);
		assertThat(problem.get("errors")).hasSize(3);
	}

	static Stream<Arguments> unreadableBodies() {
		return Stream.of(arguments("{\"orderId\": \"order-1\", \"amount\": 12.50,", "Request body is not valid JSON"),
				arguments("", "Request body is required"), arguments("[]", "Request body must be a JSON object"),
				arguments("\"order-1\"", "Request body must be a JSON object"));
	}

	@ParameterizedTest(name = "[{index}] {1}")
	@MethodSource("unreadableBodies")
	void chargeWithUnreadableBodyAnswersBadRequestProblemAndChargesNothing(String body, String detail)
			throws Exception {
		long before = count();

		HttpResponse<String> response = post("key-" + System.nanoTime(), body);

		assertThat(assertProblem(response, 400).get("detail").asText()).startsWith(detail);
		assertThat(count()).isEqualTo(before);
	}

	@Test
	void chargeWithoutIdempotencyKeyAnswersBadRequestProblemAndChargesNothing() throws Exception {
		long before = count();

		HttpResponse<String> response = this.http.send(request("/payments").header("Content-Type", "application/json")
			.POST(BodyPublishers.ofString(VALID_BODY))
			.build(), BodyHandlers.ofString());

		assertThat(assertProblem(response, 400).get("detail").asText())
			.startsWith("Header Idempotency-Key is required");
		assertThat(count()).isEqualTo(before);
	}

	static Stream<Arguments> invalidIdempotencyKeys() {
		return Stream.of(arguments("k".repeat(101)), arguments("key\tone"));
	}

	@ParameterizedTest
	@MethodSource("invalidIdempotencyKeys")
	void chargeWithInvalidIdempotencyKeyAnswersBadRequestProblemAndChargesNothing(String key) throws Exception {
		long before = count();

		HttpResponse<String> response = post(key, VALID_BODY);

		JsonNode problem = assertProblem(response, 400);
		assertThat(problem.get("detail").asText())
			.isEqualTo("Invalid request: Idempotency-Key must be 1 to 100 printable ASCII characters");
		assertThat(count()).isEqualTo(before);
	}

	@Test
	void chargeWithIdempotencyKeyOutsideAsciiAnswersBadRequestProblemAndChargesNothing() throws Exception {
		long before = count();
		byte[] body = VALID_BODY.getBytes(StandardCharsets.UTF_8);

		// HttpClient will not send such a header, so the request is written by hand: the key
		// is "key-é" in UTF-8.
		try (Socket socket = new Socket("127.0.0.1", this.port)) {
			socket.setSoTimeout(10_000);
			OutputStream out = socket.getOutputStream();
			out.write(("POST /payments HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
					+ "Content-Type: application/json\r\nContent-Length: " + body.length + "\r\nIdempotency-Key: key-")
				.getBytes(StandardCharsets.US_ASCII));
			out.write("\u00e9\r\n\r\n".getBytes(StandardCharsets.UTF_8));
			out.write(body);
			out.flush();
			String response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

			assertThat(response).startsWith("HTTP/1.1 400")
				.contains("Content-Type: application/problem+json")
				.contains("Idempotency-Key must be 1 to 100 printable ASCII characters");
		}
		assertThat(count()).isEqualTo(before);
	}

	@Test
	void chargeWithLongestIdempotencyKeyIsAccepted() throws Exception {
		HttpResponse<String> response = post("k".repeat(99) + System.nanoTime() % 10, VALID_BODY);

		assertThat(response.statusCode()).isIn(200, 201);
	}

	@Test
	void chargeWithOtherContentTypeAnswersUnsupportedMediaTypeProblemAndChargesNothing() throws Exception {
		long before = count();

		HttpResponse<String> response = this.http.send(request("/payments").header("Idempotency-Key", "key-text")
			.header("Content-Type", "text/plain")
			.POST(BodyPublishers.ofString(VALID_BODY))
			.build(), BodyHandlers.ofString());

		assertThat(assertProblem(response, 415).get("detail").asText())
			.isEqualTo("Content-Type 'text/plain' is not supported: send application/json");
		assertThat(count()).isEqualTo(before);
	}

	@Test
	void chargeWithBodyOverLimitAnswersPayloadTooLargeProblemAndChargesNothing() throws Exception {
		long before = count();

		HttpResponse<String> response = post("key-large", oversizedBody());

		assertThat(assertProblem(response, 413).get("detail").asText()).contains("16384 bytes");
		assertThat(count()).isEqualTo(before);
	}

	@Test
	void chargeWithChunkedBodyOverLimitAnswersPayloadTooLargeProblemAndChargesNothing() throws Exception {
		long before = count();
		byte[] body = oversizedBody().getBytes(StandardCharsets.UTF_8);

		// A body from a stream has no Content-Length: it is sent chunked.
		HttpResponse<String> response = this.http.send(request("/payments").header("Idempotency-Key", "key-chunked")
			.header("Content-Type", "application/json")
			.POST(BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body)))
			.build(), BodyHandlers.ofString());

		assertThat(assertProblem(response, 413).get("detail").asText()).contains("16384 bytes");
		assertThat(count()).isEqualTo(before);
	}

	@Test
	void chargeWithChunkedBodyUnderLimitIsCharged() throws Exception {
		byte[] body = body("order-chunked", "3.00", "EUR").getBytes(StandardCharsets.UTF_8);

		HttpResponse<String> response = this.http.send(request("/payments").header("Idempotency-Key", "key-chunk-ok")
			.header("Content-Type", "application/json")
			.POST(BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body)))
			.build(), BodyHandlers.ofString());

		assertThat(response.statusCode()).isEqualTo(201);
	}

	@Test
	void paymentsOfOrderWithoutOrderIdAnswersBadRequestProblem() throws Exception {
		HttpResponse<String> response = this.http.send(request("/payments").GET().build(), BodyHandlers.ofString());

		assertThat(assertProblem(response, 400).get("detail").asText()).contains("orderId");
	}

	@Test
	void paymentsOfOrderWithInvalidOrderIdAnswersBadRequestProblem() throws Exception {
		HttpResponse<String> response = this.http.send(request("/payments?orderId=a%20b").GET().build(),
				BodyHandlers.ofString());

		assertThat(assertProblem(response, 400).get("detail").asText()).contains(ORDER_ID_RULE);
	}

	private JsonNode assertProblem(HttpResponse<String> response, int status) throws Exception {
		assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
		assertThat(response.headers().firstValue("Content-Type")).hasValue(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
		JsonNode problem = this.json.readTree(response.body());
		assertThat(problem.get("status").asInt()).isEqualTo(status);
		return problem;
	}

	private HttpResponse<String> post(String key, String body) throws Exception {
		return this.http.send(request("/payments").header("Idempotency-Key", key)
			.header("Content-Type", "application/json")
			.POST(BodyPublishers.ofString(body))
			.build(), BodyHandlers.ofString());
	}

	private long count() throws Exception {
		HttpResponse<String> response = this.http.send(request("/payments/count").GET().build(),
				BodyHandlers.ofString());
		return this.json.readTree(response.body()).get("count").asLong();
	}

	private HttpRequest.Builder request(String path) {
		return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + path))
			.timeout(Duration.ofSeconds(10));
	}

	private static String oversizedBody() {
		return "{\"orderId\": \"order-1\", \"amount\": 12.50, \"currency\": \"EUR\", \"note\": \"" + "x".repeat(16 * 1024)
				+ "\"}";
	}

	private static String body(String orderId, String amount, String currency) {
		StringBuilder body = new StringBuilder("{");
		if (orderId != null) {
			body.append("\"orderId\": \"").append(orderId).append("\"");
		}
		if (amount != null) {
			body.append((body.length() > 1) ? ", " : "").append("\"amount\": ").append(amount);
		}
		if (currency != null) {
			body.append((body.length() > 1) ? ", " : "").append("\"currency\": \"").append(currency).append("\"");
		}
		return body.append("}").toString();
	}

}
