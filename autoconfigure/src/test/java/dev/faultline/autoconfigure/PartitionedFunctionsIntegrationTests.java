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
import dev.faultline.function.PartitionFullException;
import dev.faultline.function.Partitions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Component;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A Spring MVC application over real HTTP whose functions are partitioned by customer, by
 * a method argument and by a request header: a noisy customer holding its share is turned
 * away at once while a quiet one keeps its calls.
 */
@SpringBootTest(classes = PartitionedFunctionsIntegrationTests.Shop.class,
		webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "faultline.functions.payment.partition.share=0.5",
				"faultline.functions.delivery.partition.share=0.5",
				"faultline.functions.delivery.partition.header=X-Customer",
				// Four threads each: two per customer, and threads left for another.
				"resilience4j.thread-pool-bulkhead.instances.payment.core-thread-pool-size=4",
				"resilience4j.thread-pool-bulkhead.instances.payment.max-thread-pool-size=4",
				"resilience4j.thread-pool-bulkhead.instances.payment.queue-capacity=1",
				"resilience4j.thread-pool-bulkhead.instances.delivery.core-thread-pool-size=4",
				"resilience4j.thread-pool-bulkhead.instances.delivery.max-thread-pool-size=4",
				"resilience4j.thread-pool-bulkhead.instances.delivery.queue-capacity=1" })
class PartitionedFunctionsIntegrationTests {

	private final ObjectMapper json = new ObjectMapper();

	private final List<CompletableFuture<ResponseEntity<String>>> held = new ArrayList<>();

	// Threads of their own for the held calls: the common pool may have one thread on a
	// small machine, and would send them one after the other.
	private final ExecutorService customers = Executors.newCachedThreadPool();

	@LocalServerPort
	private int port;

	@Autowired
	private BusinessFunctions functions;

	@Autowired
	private Counter counter;

	@BeforeEach
	void hold() {
		this.counter.hold();
	}

	@AfterEach
	void release() {
		this.counter.release();
		this.held.forEach(CompletableFuture::join);
		this.customers.shutdownNow();
	}

	@Test
	void noisyCustomerByArgumentGetsItsFallbackWhileAQuietOneIsPaid() {
		holdTheShareOf("payment", "/pay/noisy?hold", null);

		assertThat(get("/pay/noisy", null).getBody()).isEqualTo("pending for noisy: partition full");
		assertThat(get("/pay/quiet", null).getBody()).isEqualTo("paid for quiet");
	}

	@Test
	void noisyCustomerByHeaderWithoutAFallbackAnswers503PartitionFullWhileAQuietOneIsServed() throws Exception {
		holdTheShareOf("delivery", "/deliver?hold", "noisy");

		ResponseEntity<String> noisy = get("/deliver", "noisy");
		ResponseEntity<String> quiet = get("/deliver", "quiet");

		assertThat(noisy.getStatusCode().value()).isEqualTo(503);
		assertThat(noisy.getHeaders().getFirst(HttpHeaders.RETRY_AFTER)).isEqualTo("1");
		JsonNode problem = this.json.readTree(noisy.getBody());
		assertThat(problem.path("cause").asText()).isEqualTo("partition-full");
		assertThat(problem.path("function").asText()).isEqualTo("delivery");
		assertThat(quiet.getStatusCode().value()).isEqualTo(200);
		assertThat(quiet.getBody()).isEqualTo("delivered for quiet");
	}

	// Calls of one customer, each holding its place until released.
	private void holdTheShareOf(String function, String path, String header) {
		Partitions partitions = this.functions.get(function).getPartitions();
		for (int i = 0; i < partitions.share(); i++) {
			this.held.add(CompletableFuture.supplyAsync(() -> get(path, header), this.customers));
		}
		await().atMost(Duration.ofSeconds(10))
			.until(() -> partitions.busiest(1).values().stream().findFirst().orElse(0) == partitions.share());
	}

	private ResponseEntity<String> get(String path, String customer) {
		HttpHeaders headers = new HttpHeaders();
		if (customer != null) {
			headers.set("X-Customer", customer);
		}
		return LocalRestTemplate.on(this.port).exchange(path, HttpMethod.GET, new HttpEntity<>(headers), String.class);
	}

	@SpringBootConfiguration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	@Import({ Counter.class, CounterController.class })
	static class Shop {

	}

	@Component
	static class Counter {

		// Anew for each test: released, a latch stays open.
		private volatile CountDownLatch release = new CountDownLatch(1);

		@BusinessFunction(value = "payment", fallbackMethod = "pending", partitionKey = "#customer")
		public String pay(String customer, boolean hold) throws InterruptedException {
			if (hold) {
				this.release.await(10, TimeUnit.SECONDS);
			}
			return "paid for " + customer;
		}

		String pending(String customer, boolean hold, Throwable cause) {
			return "pending for " + customer + ": "
					+ ((cause instanceof PartitionFullException) ? "partition full" : cause);
		}

		@BusinessFunction("delivery")
		public String deliver(String customer, boolean hold) throws InterruptedException {
			if (hold) {
				this.release.await(10, TimeUnit.SECONDS);
			}
			return "delivered for " + customer;
		}

		void release() {
			this.release.countDown();
		}

		void hold() {
			this.release = new CountDownLatch(1);
		}

	}

	@RestController
	static class CounterController {

		private final Counter counter;

		CounterController(Counter counter) {
			this.counter = counter;
		}

		@GetMapping("/pay/{customer}")
		String pay(@PathVariable String customer, @RequestParam(required = false) String hold) throws InterruptedException {
			return this.counter.pay(customer, hold != null);
		}

		@GetMapping("/deliver")
		String deliver(@RequestHeader("X-Customer") String customer,
				@RequestParam(required = false) String hold)
				throws InterruptedException {
			return this.counter.deliver(customer, hold != null);
		}

	}

}
