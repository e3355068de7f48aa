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
 * Isolation under load, on the two sample services as real processes on 127.0.0.1: a
 * fixed number of requests per second for a fixed time to the delivery-only endpoint and
 * to {@code POST /orders}, first with payment healthy, then with payment hung (through its
 * fault endpoint), for order-service with Faultline enabled and with it disabled (the same
 * code calling payment directly on the request threads). Both runs give the order service
 * the same 32 request threads, as a small service would have.
 *
 * <p>
 * Run from the repository root after building the samples:
 * {@code java -cp benchmarks/target/benchmarks.jar dev.faultline.benchmarks.IsolationUnderLoad}.
 */
public final class IsolationUnderLoad {

	private static final int RATE = 20;

	private static final Duration PHASE = Duration.ofSeconds(15);

	private static final Duration CLIENT_TIMEOUT = Duration.ofSeconds(10);

	private static final String TOKEN = "load-" + System.nanoTime();

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

	private IsolationUnderLoad() {
	}

	public static void main(String[] args) throws Exception {
		IsolationUnderLoad load = new IsolationUnderLoad();
		System.out.printf("%d requests/s to each endpoint, %d s per phase, client timeout %d s, JVM %s%n", RATE,
				PHASE.toSeconds(), CLIENT_TIMEOUT.toSeconds(), System.getProperty("java.runtime.version"));
		List<String> rows = new ArrayList<>();
		for (boolean faultline : new boolean[] { true, false }) {
			rows.addAll(load.run(faultline));
		}
		System.out.println();
		System.out.println("| Faultline | endpoint | payment | throughput /s | p50 ms | p99 ms | 5xx | failed |");
		System.out.println("|---|---|---|---:|---:|---:|---:|---:|");
		rows.forEach(System.out::println);
		System.exit(0);
	}

	private List<String> run(boolean faultline) throws Exception {
		Path data = Files.createTempDirectory("faultline-load");
		int paymentPort = freePort();
		int managementPort = freePort();
		int orderPort = freePort();
		List<Process> processes = new ArrayList<>();
		try {
			processes.add(start("sample-payment-service", data, "--server.port=" + paymentPort,
					"--management.server.port=" + managementPort, "--payment.data-dir=" + data.resolve("payment"),
					"--payment.faults.token=" + TOKEN));
			processes.add(start("sample-order-service", data, "--server.port=" + orderPort,
					"--server.tomcat.threads.max=32", "--orders.data-dir=" + data.resolve("order"),
					"--faultline.enabled=" + faultline,
					"--faultline.peers.payment-service.instances[0]=http://127.0.0.1:" + paymentPort,
					"--logging.level.root=WARN"));
			String order = "http://127.0.0.1:" + orderPort;
			awaitUp(order + "/delivery/slots?postcode=1011");
			awaitUp("http://127.0.0.1:" + paymentPort + "/livez");
			Phase healthy = measure(order);
			fault(managementPort, "{\"hang\":true}");
			Phase hung = measure(order);
			fault(managementPort, "{\"hang\":false}");
			String mode = faultline ? "enabled" : "disabled";
			List<String> rows = new ArrayList<>();
			rows.add(healthy.delivery.row(mode, "delivery slots", "healthy"));
			rows.add(hung.delivery.row(mode, "delivery slots", "hung"));
			rows.add(healthy.orders.row(mode, "POST /orders", "healthy"));
			rows.add(hung.orders.row(mode, "POST /orders", "hung"));
			System.out.printf("Faultline %s: delivery throughput hung/healthy %.2f, p99 hung/healthy %s; "
					+ "orders throughput hung/healthy %.2f, 5xx while hung %d%n", mode,
					hung.delivery.throughput() / healthy.delivery.throughput(), ratio(hung.delivery, healthy.delivery),
					hung.orders.throughput() / healthy.orders.throughput(), hung.orders.serverErrors.get());
			return rows;
		}
		finally {
			for (Process process : processes) {
				process.destroy();
				if (!process.waitFor(20, TimeUnit.SECONDS)) {
					process.destroyForcibly();
				}
			}
		}
	}

	private static String ratio(Results hung, Results healthy) {
		return hung.latencies.isEmpty() ? "–" : String.format("%.1f", (double) hung.p99() / healthy.p99());
	}

	private Phase measure(String order) throws InterruptedException {
		Phase phase = new Phase();
		long start = System.nanoTime();
		long pace = TimeUnit.SECONDS.toNanos(1) / RATE;
		List<CompletableFuture<?>> inFlight = new ArrayList<>();
		for (long next = start; next - start < PHASE.toNanos(); next += pace) {
			TimeUnit.NANOSECONDS.sleep(Math.max(0, next - System.nanoTime()));
			inFlight.add(send(HttpRequest.newBuilder(URI.create(order + "/delivery/slots?postcode=1011")).GET(),
					phase.delivery));
			inFlight.add(send(HttpRequest.newBuilder(URI.create(order + "/orders"))
				.header("Content-Type", "application/json")
				.POST(HttpRequest.BodyPublishers
					.ofString("{\"customer\":\"load\",\"amount\":10.00,\"currency\":\"EUR\",\"postcode\":\"1011\"}")),
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

	private void fault(int managementPort, String json) throws IOException, InterruptedException {
		this.http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + managementPort + "/actuator/faults"))
			.header("X-Fault-Token", TOKEN)
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(json))
			.build(), HttpResponse.BodyHandlers.discarding());
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

	private static Process start(String module, Path data, String... args) throws IOException {
		List<String> command = new ArrayList<>(List.of(
				Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m", "-jar",
				module + "/target/" + module + "-0.1.0-SNAPSHOT.jar"));
		command.addAll(List.of(args));
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

	private static final class Phase {

		private final Results delivery = new Results();

		private final Results orders = new Results();

	}

	private static final class Results {

		private final List<Long> latencies = Collections.synchronizedList(new ArrayList<>());

		private final AtomicInteger serverErrors = new AtomicInteger();

		private final AtomicInteger failed = new AtomicInteger();

		private long elapsedNanos;

		double throughput() {
			return this.latencies.size() / (this.elapsedNanos / 1e9);
		}

		long p50() {
			return percentile(50);
		}

		long p99() {
			return percentile(99);
		}

		private long percentile(int percentile) {
			List<Long> sorted = new ArrayList<>(this.latencies);
			if (sorted.isEmpty()) {
				return Long.MAX_VALUE;
			}
			Collections.sort(sorted);
			return sorted.get(Math.max(0, (int) Math.ceil(percentile / 100.0 * sorted.size()) - 1)) / 1_000_000;
		}

		String row(String mode, String endpoint, String payment) {
			boolean answered = !this.latencies.isEmpty();
			return String.format("| %s | %s | %s | %.1f | %s | %s | %d | %d |", mode, endpoint, payment, throughput(),
					answered ? p50() : "–", answered ? p99() : "–", this.serverErrors.get(), this.failed.get());
		}

	}

}
