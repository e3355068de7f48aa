package dev.faultline.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.faultline.function.BusinessFunction;
import dev.faultline.function.BusinessFunctions;
import dev.faultline.function.FunctionRefusedException;
import dev.faultline.function.IsolatedFunction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Component;
import org.springframework.test.context.TestPropertySource;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.client.RestTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A Spring MVC application, over real HTTP, whose controllers call business functions
 * without a fallback: a refused call answers 503 with Retry-After and a problem body.
 */
@SpringBootTest(classes = FunctionRefusedWebIntegrationTests.RefusingApplication.class,
		webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@TestPropertySource("classpath:refusing-application.properties")
@ExtendWith(OutputCaptureExtension.class)
class FunctionRefusedWebIntegrationTests {

	static final MediaType PROBLEM = MediaType.APPLICATION_PROBLEM_JSON;

	private final ObjectMapper json = new ObjectMapper();

	@LocalServerPort
	private int port;

	private RestTemplate rest() {
		return LocalRestTemplate.on(this.port);
	}

	@Autowired
	private BusinessFunctions functions;

	@Autowired
	private Desk desk;

	private final List<CompletableFuture<Boolean>> blocked = new ArrayList<>();

	@AfterEach
	void releaseAndClose() {
		this.desk.release();
		this.blocked.forEach((call) -> call.complete(true));
		this.functions.get("payment").getCircuitBreaker().transitionToClosedState();
		this.functions.getFunctions()
			.values()
			.forEach((function) -> await()
				.until(() -> function.getBulkhead().getMetrics().getActiveThreadCount() == 0));
		this.desk.reset();
	}

	@Test
	void fullPoolAnswers503WithRetryAfterOneSecondAndAProblemNamingTheFunctionAndTheCause(CapturedOutput output)
			throws Exception {
		fillThePool("order");

		ResponseEntity<String> response = rest().getForEntity("/orders", String.class);

		assertThat(response.getStatusCode()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
		assertThat(response.getHeaders().getFirst(HttpHeaders.RETRY_AFTER)).isEqualTo("1");
		assertThat(response.getHeaders().getContentType()).isEqualTo(PROBLEM);
		JsonNode problem = this.json.readTree(response.getBody());
		assertThat(problem.path("type").asText()).isEqualTo("https://faultline.dev/problems/function-refused");
		assertThat(problem.path("title").asText()).isEqualTo("Business function refused the call");
		assertThat(problem.path("status").asInt()).isEqualTo(503);
		assertThat(problem.path("detail").asText())
			.isEqualTo("Business function 'order' refused the call: its pool and queue are full");
		assertThat(problem.path("instance").asText()).isEqualTo("/orders");
		assertThat(problem.path("function").asText()).isEqualTo("order");
		assertThat(problem.path("cause").asText()).isEqualTo("pool-full");
		assertLoggedOnceAtWarnWithoutStackTrace(output,
				"GET /orders answered 503 (Retry-After: 1): business function 'order' refused the call "
						+ "(pool-full: its pool and queue are full)");
	}

	@Test
	void burstOfRefusalsAnswersEach503AndLogsOnlyTheFirst(CapturedOutput output) throws Exception {
		fillThePool("pricing");
		ExecutorService clients = Executors.newFixedThreadPool(8);
		try {
			List<CompletableFuture<ResponseEntity<String>>> calls = new ArrayList<>();
			for (int i = 0; i < 30; i++) {
				calls.add(CompletableFuture.supplyAsync(() -> rest().getForEntity("/pricing", String.class), clients));
			}

			assertThat(calls).allSatisfy((call) -> assertThat(call.get(10, TimeUnit.SECONDS).getStatusCode())
				.isEqualTo(HttpStatus.SERVICE_UNAVAILABLE));
		}
		finally {
			clients.shutdownNow();
		}
		assertLoggedOnceAtWarnWithoutStackTrace(output, "GET /pricing answered 503 (Retry-After: 1)");
		assertThat(output.getOut()).doesNotContain("business function 'pricing' (pool-full)");
	}

	@Test
	void openCircuitAnswers503WithRetryAfterTheWaitInOpenState(CapturedOutput output) throws Exception {
		this.functions.get("payment").getCircuitBreaker().transitionToOpenState();

		ResponseEntity<String> response = rest().getForEntity("/payments", String.class);

		assertThat(response.getStatusCode()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
		assertThat(response.getHeaders().getFirst(HttpHeaders.RETRY_AFTER)).isEqualTo("7");
		JsonNode problem = this.json.readTree(response.getBody());
		assertThat(problem.path("function").asText()).isEqualTo("payment");
		assertThat(problem.path("cause").asText()).isEqualTo("circuit-open");
		assertLoggedOnceAtWarnWithoutStackTrace(output, "GET /payments answered 503 (Retry-After: 7)");
	}

	@Test
	void passedTimeLimitAnswers503WithRetryAfterOneSecond() throws Exception {
		ResponseEntity<String> response = rest().getForEntity("/slow", String.class);

		assertThat(response.getStatusCode()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
		assertThat(response.getHeaders().getFirst(HttpHeaders.RETRY_AFTER)).isEqualTo("1");
		JsonNode problem = this.json.readTree(response.getBody());
		assertThat(problem.path("function").asText()).isEqualTo("slow");
		assertThat(problem.path("cause").asText()).isEqualTo("time-limit");
	}

	@Test
	void exceptionThrownByTheCallIsLeftToTheApplicationsUsualHandling() {
		ResponseEntity<String> unhandled = rest().getForEntity("/failing", String.class);
		ResponseEntity<String> annotated = rest().getForEntity("/failing/not-found", String.class);

		assertThat(unhandled.getStatusCode()).isEqualTo(HttpStatus.INTERNAL_SERVER_ERROR);
		assertThat(unhandled.getHeaders().getFirst(HttpHeaders.RETRY_AFTER)).isNull();
		assertThat(annotated.getStatusCode()).isEqualTo(HttpStatus.NOT_FOUND);
	}

	@Test
	void applicationsOwnExceptionHandlerForRefusalsWins() throws Exception {
		fillThePool("own");

		ResponseEntity<String> advised = rest().getForEntity("/own", String.class);
		ResponseEntity<String> local = rest().getForEntity("/own/local", String.class);

		assertThat(advised.getStatusCode()).isEqualTo(HttpStatus.TOO_MANY_REQUESTS);
		assertThat(advised.getBody()).contains("advised: own");
		assertThat(local.getStatusCode()).isEqualTo(HttpStatus.TOO_MANY_REQUESTS);
		assertThat(local.getBody()).contains("local: own");
	}

	private void fillThePool(String name) {
		fillThePool(this.functions, name, this.blocked);
	}

	/**
	 * Fills a function's pool with calls blocked until their stages complete: one running,
	 * one queued, which is all a pool of one thread and a queue of one can take.
	 */
	static void fillThePool(BusinessFunctions functions, String name, List<CompletableFuture<Boolean>> blocked) {
		IsolatedFunction function = functions.get(name);
		for (int i = 0; i < 2; i++) {
			CompletableFuture<Boolean> call = new CompletableFuture<>();
			blocked.add(call);
			functions.callAsync(name, () -> call);
		}
		await().until(() -> function.getBulkhead().getMetrics().getRemainingQueueCapacity() == 0
				&& function.getBulkhead().getMetrics().getActiveThreadCount() == 1);
	}

	private static void assertLoggedOnceAtWarnWithoutStackTrace(CapturedOutput output, String message) {
		await().untilAsserted(() -> assertThat(output.getOut().lines().filter((line) -> line.contains(message)))
			.singleElement()
			.satisfies((line) -> assertThat(line).contains(" WARN ")));
		assertThat(output.getAll().lines()).noneMatch((line) -> line.contains(" ERROR "))
			.noneMatch((line) -> line.startsWith("\tat ") || line.startsWith("Caused by: "));
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@Import({ Desk.class, DeskController.class, AdvisedController.class, OwnHandlingController.class,
			OwnRefusalAdvice.class })
	static class RefusingApplication {

	}

	@Component
	static class Desk {

		// Read through methods: the bean is a proxy, whose own fields are never set.
		private volatile CountDownLatch release = new CountDownLatch(1);

		void release() {
			this.release.countDown();
		}

		void reset() {
			this.release = new CountDownLatch(1);
		}

		@BusinessFunction("order")
		public String order() {
			return "ordered";
		}

		@BusinessFunction("payment")
		public String payment() {
			return "paid";
		}

		@BusinessFunction("slow")
		public String slow() throws InterruptedException {
			return this.release.await(30, TimeUnit.SECONDS) ? "released" : "late";
		}

		@BusinessFunction("failing")
		public String failing() {
			throw new IllegalStateException("the call itself failed");
		}

		@BusinessFunction("failing")
		public String notFound() {
			throw new NoSuchOrderException();
		}

		@BusinessFunction("own")
		public String own() {
			return "own";
		}

		@BusinessFunction("pricing")
		public String pricing() {
			return "priced";
		}

	}

	@ResponseStatus(HttpStatus.NOT_FOUND)
	static class NoSuchOrderException extends RuntimeException {

	}

	@RestController
	static class DeskController {

		private final Desk desk;

		DeskController(Desk desk) {
			this.desk = desk;
		}

		@GetMapping("/orders")
		String order() {
			return this.desk.order();
		}

		@GetMapping("/payments")
		String payment() {
			return this.desk.payment();
		}

		@GetMapping("/slow")
		String slow() throws InterruptedException {
			return this.desk.slow();
		}

		@GetMapping("/pricing")
		String pricing() {
			return this.desk.pricing();
		}

		@GetMapping("/failing")
		String failing() {
			return this.desk.failing();
		}

		@GetMapping("/failing/not-found")
		String notFound() {
			return this.desk.notFound();
		}

	}

	@RestController
	static class AdvisedController {

		private final Desk desk;

		AdvisedController(Desk desk) {
			this.desk = desk;
		}

		@GetMapping("/own")
		String own() {
			return this.desk.own();
		}

	}

	@RestController
	static class OwnHandlingController {

		private final Desk desk;

		OwnHandlingController(Desk desk) {
			this.desk = desk;
		}

		@GetMapping("/own/local")
		String local() {
			return this.desk.own();
		}

		@ExceptionHandler
		ResponseEntity<String> refused(FunctionRefusedException ex) {
			return ResponseEntity.status(HttpStatus.TOO_MANY_REQUESTS).body("local: " + ex.getFunction());
		}

	}

	/** The application's own advice, unordered like most: it must still come first. */
	@RestControllerAdvice(assignableTypes = AdvisedController.class)
	static class OwnRefusalAdvice {

		@ExceptionHandler
		ResponseEntity<ProblemDetail> refused(FunctionRefusedException ex) {
			return ResponseEntity.status(HttpStatus.TOO_MANY_REQUESTS)
				.body(ProblemDetail.forStatusAndDetail(HttpStatus.TOO_MANY_REQUESTS, "advised: " + ex.getFunction()));
		}

	}

}
