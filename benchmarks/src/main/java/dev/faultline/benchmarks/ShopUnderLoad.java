package dev.faultline.benchmarks;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The two sample services as real processes on 127.0.0.1 and the load of the isolation
 * benchmark on them: a fixed number of requests per second for a fixed time to the
 * delivery-only endpoint and to {@code POST /orders}, with payment healthy or hung through
 * its fault endpoint. The order service gets 32 request threads, as a small service would
 * have. Shared by the harnesses that measure under this load, so that they load the
 * service alike.
 */
final class ShopUnderLoad implements AutoCloseable {

	/** Requests per second to each endpoint. */
	static final int RATE = 20;

	/** How long each phase sends them. */
	static final Duration PHASE = Duration.ofSeconds(15);

	/** How long a request may take before it counts as failed. */
	static final Duration CLIENT_TIMEOUT = Duration.ofSeconds(10);

	private static final String TOKEN = "load-" + System.nanoTime();

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

	private final List<Process> processes = new ArrayList<>();

	private final int managementPort;

	private final String order;

	private Process orderService;

	private ShopUnderLoad() throws IOException {
		this.managementPort = freePort();
		this.order = "http://127.0.0.1:" + freePort();
	}

	/**
	 * Starts payment, then order-service with the given arguments on top of those the load
	 * needs, and waits until both answer.
	 * @param orderArguments more arguments for order-service, such as
	 * {@code --faultline.enabled=false}
	 * @return the running shop, to close when done
	 * @throws Exception if a service does not start
	 */
	static ShopUnderLoad start(String... orderArguments) throws Exception {
		ShopUnderLoad shop = new ShopUnderLoad();
		try {
			shop.startServices(orderArguments);
			return shop;
		}
		catch (Exception ex) {
			shop.close();
			throw ex;
		}
	}

	private void startServices(String... orderArguments) throws Exception {
		Path data = Files.createTempDirectory("faultline-load");
		int paymentPort = freePort();
		this.processes.add(start("sample-payment-service", data, List.of("--server.port=" + paymentPort,
				"--management.server.port=" + this.managementPort, "--payment.data-dir=" + data.resolve("payment"),
				"--payment.faults.token=" + TOKEN)));
		List<String> arguments = new ArrayList<>(List.of("--server.port=" + URI.create(this.order).getPort(),
				"--server.tomcat.threads.max=32", "--orders.data-dir=" + data.resolve("order"),
				"--faultline.peers.payment-service.instances[0]=http://127.0.0.1:" + paymentPort,
				"--logging.level.root=WARN"));
		arguments.addAll(List.of(orderArguments));
		this.orderService = start("sample-order-service", data, arguments);
		this.processes.add(this.orderService);
		awaitUp(this.order + "/delivery/slots?postcode=1011");
		awaitUp("http://127.0.0.1:" + paymentPort + "/livez");
	}

	/**
	 * Returns the order service's base URL.
	 * @return its URL, such as {@code http://127.0.0.1:40123}
	 */
	String orderUrl() {
		return this.order;
	}

	/**
	 * Returns the order service's process, to read its CPU time from.
	 * @return its process
	 */
	Process orderService() {
		return this.orderService;
	}

	/**
	 * Hangs payment (it accepts and never answers) or releases it.
	 * @param hang whether to hang it
	 * @throws IOException if its fault endpoint cannot be reached
	 * @throws InterruptedException if interrupted
	 */
	void hangPayment(boolean hang) throws IOException, InterruptedException {
		this.http.send(HttpRequest
			.newBuilder(URI.create("http://127.0.0.1:" + this.managementPort + "/actuator/faults"))
			.header("X-Fault-Token", TOKEN)
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString("{\"hang\":" + hang + "}"))
			.build(), HttpResponse.BodyHandlers.discarding());
	}

	/**
	 * Sends one phase of load, {@link #RATE} requests per second to each endpoint for
	 * {@link #PHASE}, and waits for every answer.
	 * @return what each endpoint answered
	 * @throws InterruptedException if interrupted
	 */
	Phase measure() throws InterruptedException {
		Phase phase = new Phase();
		long start = System.nanoTime();
		long pace = TimeUnit.SECONDS.toNanos(1) / RATE;
		List<CompletableFuture<?>> inFlight = new ArrayList<>();
		int order = 0;
		for (long next = start; next - start < PHASE.toNanos(); next += pace) {
			TimeUnit.NANOSECONDS.sleep(Math.max(0, next - System.nanoTime()));
			// Of one of sixteen customers in turn: the shop gives no one customer more than
			// half of a function, and steady traffic comes from many.
			String customer = "customer-" + (order++ % 16);
			inFlight.add(send(HttpRequest.newBuilder(URI.create(this.order + "/delivery/slots?postcode=1011")).GET(),
					phase.delivery));
			inFlight.add(send(HttpRequest.newBuilder(URI.create(this.order + "/orders"))
				.header("Content-Type", "application/json")
				.POST(HttpRequest.BodyPublishers
					.ofString("{\"customer\":\"" + customer
							+ "\",\"amount\":10.00,\"currency\":\"EUR\",\"postcode\":\"1011\"}")),
					phase.orders));
		}
		CompletableFuture.allOf(inFlight.toArray(CompletableFuture[]::new)).join();
		long elapsed = System.nanoTime() - start;
		phase.delivery.elapsedNanos = elapsed;
		phase.orders.elapsedNanos = elapsed;
		return phase;
	}

	private CompletableFuture<?> send(HttpRequest.Builder request, Results results) {
		long sent = System.nanoTime();
		return this.http.sendAsync(request.timeout(CLIENT_TIMEOUT).build(), HttpResponse.BodyHandlers.discarding())
			.handle((response, failure) -> {
				if (failure != null) {
					results.failed.incrementAndGet();
				}
				else if (response.statusCode() >= 500) {
					results.serverErrors.incrementAndGet();
				}
				else if (response.statusCode() / 100 == 2) {
					results.latencies.add(System.nanoTime() - sent);
				}
				return null;
			});
	}

	private void awaitUp(String url) throws InterruptedException {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
		while (System.nanoTime() < deadline) {
			try {
				if (this.http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(2)).build(),
						HttpResponse.BodyHandlers.discarding())
					.statusCode() == 200) {
					return;
				}
			}
			catch (IOException ex) {
				// Not up yet.
			}
			Thread.sleep(500);
		}
		throw new IllegalStateException(url + " did not come up");
	}

	@Override
	public void close() throws InterruptedException {
		for (Process process : this.processes) {
			process.destroy();
			if (!process.waitFor(20, TimeUnit.SECONDS)) {
				process.destroyForcibly();
			}
		}
	}

	private static Process start(String module, Path data, List<String> arguments) throws IOException {
		List<String> command = new ArrayList<>(List.of(
				Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m", "-jar",
				module + "/target/" + module + "-0.1.0-SNAPSHOT.jar"));
		command.addAll(arguments);
		return new ProcessBuilder(command).redirectErrorStream(true)
			.redirectOutput(data.resolve(module + ".log").toFile())
			.directory(new File("."))
			.start();
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

	/**
	 * What one phase of load got from each endpoint.
	 */
	static final class Phase {

		final Results delivery = new Results();

		final Results orders = new Results();

	}

	/**
	 * One endpoint's answers in a phase: the latencies of the successful ones, the 5xx,
	 * the client timeouts.
	 */
	static final class Results {

		final List<Long> latencies = Collections.synchronizedList(new ArrayList<>());

		final AtomicInteger serverErrors = new AtomicInteger();

		final AtomicInteger failed = new AtomicInteger();

		long elapsedNanos;

		double throughput() {
			return this.latencies.size() / (this.elapsedNanos / 1e9);
		}

		long p50() {
			return (long) millis(50);
		}

		long p99() {
			return (long) millis(99);
		}

		// The latency below which the given percent of the successful answers came, in
		// milliseconds with their fraction: ratios of small latencies need it.
		double millis(int percentile) {
			List<Long> sorted = new ArrayList<>(this.latencies);
			if (sorted.isEmpty()) {
				return Long.MAX_VALUE;
			}
			Collections.sort(sorted);
			return sorted.get(Math.max(0, (int) Math.ceil(percentile / 100.0 * sorted.size()) - 1)) / 1e6;
		}

		String row(String mode, String endpoint, String payment) {
			boolean answered = !this.latencies.isEmpty();
			return String.format("| %s | %s | %s | %.1f | %s | %s | %d | %d |", mode, endpoint, payment, throughput(),
					answered ? p50() : "–", answered ? p99() : "–", this.serverErrors.get(), this.failed.get());
		}

	}

}
