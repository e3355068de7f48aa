package dev.faultline.benchmarks;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpServer;
import dev.faultline.function.IsolatedFunction;
import dev.faultline.function.PartitionFullException;
import dev.faultline.function.TimeLimitScheduler;
import io.github.resilience4j.bulkhead.BulkheadFullException;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.micrometer.context.ContextSnapshotFactory;

/**
 * One noisy tenant against a slow payment, with and without partitions within the
 * function: a payment function (8 threads, a queue of 16, a time limit of 1 s) whose work
 * is a call to a real HTTP server on 127.0.0.1 that answers after 50 ms; four quiet
 * tenants each offering 10 calls a second and one noisy tenant offering ten times the
 * quiet tenants' load together, far more than the function's 160 calls a second. Calls
 * arrive on a schedule whatever the answers, as customers do (an open loop), and a call's
 * latency is counted from when it was due, so a late caller does not hide a wait.
 *
 * <p>
 * Side by side in one process, each on a fresh function after a common warm-up: the quiet
 * tenants alone (their solo figures), then with the noisy tenant without partitions, then
 * with it and the function partitioned by tenant at a share of one half and of one
 * quarter. For each, the successful calls per second, their p50 and p99, and the
 * fallbacks by cause, for the quiet tenants together and for the noisy one; ratios and
 * verdicts are left to {@link BenchmarksDocument}.
 *
 * <p>
 * Run from the repository root:
 * {@code java -cp benchmarks/target/benchmarks.jar dev.faultline.benchmarks.TenantIsolation}.
 */
public final class TenantIsolation {

	private static final int THREADS = 8;

	private static final int QUEUE = 16;

	private static final Duration TIME_LIMIT = Duration.ofSeconds(1);

	private static final Duration PAYMENT_DELAY = Duration.ofMillis(50);

	private static final int QUIET_TENANTS = 4;

	private static final int QUIET_RATE = 10;

	private static final int NOISY_RATE = 10 * QUIET_TENANTS * QUIET_RATE;

	private static final Duration WARM_UP = Duration.ofSeconds(5);

	private static final Duration RUN = Duration.ofSeconds(20);

	private static final double[] SHARES = { 0.5, 0.25 };

	private final TimeLimitScheduler scheduler = new TimeLimitScheduler();

	private final ContextSnapshotFactory snapshots = BenchmarkFunctions.snapshots();

	private final HttpClient http = HttpClient.newBuilder()
		.version(HttpClient.Version.HTTP_1_1)
		.connectTimeout(Duration.ofSeconds(1))
		.build();

	// Callers block in the function as a request thread would; a cached pool gives every
	// due call a thread at once, so the schedule is kept whatever the function does.
	private final ExecutorService callers = Executors.newCachedThreadPool();

	private final HttpRequest charge;

	private int runs;

	private TenantIsolation(URI payment) {
		this.charge = HttpRequest.newBuilder(payment.resolve("/payments"))
			.timeout(Duration.ofSeconds(5))
			.POST(HttpRequest.BodyPublishers.ofString("{}"))
			.build();
	}

	public static void main(String[] args) throws Exception {
		HttpServer payment = slowPayment();
		TenantIsolation bench = new TenantIsolation(
				URI.create("http://127.0.0.1:" + payment.getAddress().getPort()));
		System.out.printf(Locale.ROOT,
				"Payment: %d threads, a queue of %d, a time limit of %d s, a local HTTP server answering after %d ms; "
						+ "%d quiet tenants at %d calls/s each, one noisy tenant at %d calls/s; %d s per run after a "
						+ "%d s warm-up, JVM %s%n",
				THREADS, QUEUE, TIME_LIMIT.toSeconds(), PAYMENT_DELAY.toMillis(), QUIET_TENANTS, QUIET_RATE, NOISY_RATE,
				RUN.toSeconds(), WARM_UP.toSeconds(), System.getProperty("java.runtime.version"));
		// Both paths, the partitioned one too, compiled before anything is measured.
		bench.run(true, 0.5, WARM_UP);
		bench.run(true, null, WARM_UP);
		List<String> rows = new ArrayList<>();
		rows.add(bench.run(false, null, RUN).quiet.row("solo", "quiet"));
		Run unpartitioned = bench.run(true, null, RUN);
		rows.add(unpartitioned.quiet.row("no partitions", "quiet"));
		rows.add(unpartitioned.noisy.row("no partitions", "noisy"));
		for (double share : SHARES) {
			Run partitioned = bench.run(true, share, RUN);
			// A key's share is of the pool's threads: the queue is for all keys together.
			String label = String.format(Locale.ROOT, "share %s (%d of %d threads)", share, partitioned.share,
					THREADS);
			rows.add(partitioned.quiet.row(label, "quiet"));
			rows.add(partitioned.noisy.row(label, "noisy"));
		}
		System.out.println();
		System.out.println("| run | tenants | offered /s | successful /s | p50 ms | p99 ms | partition full | pool full "
				+ "| circuit open | time limit | failed |");
		System.out.println("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
		rows.forEach(System.out::println);
		bench.callers.shutdownNow();
		bench.scheduler.close();
		payment.stop(0);
		System.exit(0);
	}

	// A payment that takes its time on each call, as a slow downstream does, with a thread
	// for every call so that the server never queues them itself.
	private static HttpServer slowPayment() throws IOException {
		HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 200);
		server.setExecutor(Executors.newCachedThreadPool());
		byte[] body = "{\"status\":\"PAID\"}".getBytes();
		server.createContext("/payments", (exchange) -> {
			try {
				exchange.getRequestBody().readAllBytes();
				Thread.sleep(PAYMENT_DELAY.toMillis());
				exchange.sendResponseHeaders(200, body.length);
				try (OutputStream out = exchange.getResponseBody()) {
					out.write(body);
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			finally {
				exchange.close();
			}
		});
		server.start();
		return server;
	}

	// One run on a fresh function: partitioned once, when it is built, as the starter does.
	private Run run(boolean noisy, Double share, Duration length) throws InterruptedException {
		String name = "payment-" + (++this.runs);
		// Core and most threads alike: the pool's threads all serve before a call queues,
		// so queue waits come from the load, not from threads not yet started.
		IsolatedFunction payment = BenchmarkFunctions.pooled(name, THREADS, THREADS, QUEUE, TIME_LIMIT, null,
				this.scheduler, this.snapshots);
		if (share != null) {
			payment.partitionBy(share);
		}
		Run run = new Run((share != null) ? payment.getPartitions().share() : 0);
		List<Thread> tenants = new ArrayList<>();
		long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(100);
		for (int i = 1; i <= QUIET_TENANTS; i++) {
			// Quiet tenants out of step with each other, as independent customers are.
			long offset = i * TimeUnit.SECONDS.toNanos(1) / QUIET_RATE / QUIET_TENANTS;
			tenants.add(tenant(payment, "quiet-" + i, QUIET_RATE, start + offset, length, run.quiet));
		}
		if (noisy) {
			tenants.add(tenant(payment, "noisy", NOISY_RATE, start, length, run.noisy));
		}
		for (Thread tenant : tenants) {
			tenant.join();
		}
		// Every call due in the run has ended (or given up at its time limit) before the next
		// run begins, so runs do not share load.
		long deadline = System.nanoTime() + TIME_LIMIT.toNanos() * 5;
		while ((run.quiet.pending.get() > 0 || run.noisy.pending.get() > 0) && System.nanoTime() < deadline) {
			Thread.sleep(10);
		}
		payment.close();
		run.quiet.seconds = length.toNanos() / 1e9;
		run.noisy.seconds = length.toNanos() / 1e9;
		return run;
	}

	private Thread tenant(IsolatedFunction payment, String key, int rate, long start, Duration length,
			Results results) {
		long pace = TimeUnit.SECONDS.toNanos(1) / rate;
		Thread pacer = new Thread(() -> {
			try {
				for (long due = start; due - start < length.toNanos(); due += pace) {
					TimeUnit.NANOSECONDS.sleep(Math.max(0, due - System.nanoTime()));
					long dueAt = due;
					results.offered.incrementAndGet();
					results.pending.incrementAndGet();
					this.callers.execute(() -> call(payment, key, dueAt, results));
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}, "tenant-" + key);
		pacer.start();
		return pacer;
	}

	private void call(IsolatedFunction payment, String key, long due, Results results) {
		try {
			Throwable cause = payment.call(key, () -> {
				HttpResponse<Void> response = this.http.send(this.charge, HttpResponse.BodyHandlers.discarding());
				if (response.statusCode() != 200) {
					throw new IllegalStateException("Payment answered " + response.statusCode());
				}
				return null;
			}, (failure) -> failure);
			if (cause == null) {
				results.latencies.add(System.nanoTime() - due);
			}
			else {
				results.fallback(cause);
			}
		}
		finally {
			results.pending.decrementAndGet();
		}
	}

	private static final class Run {

		private final Results quiet = new Results();

		private final Results noisy = new Results();

		private final int share;

		private Run(int share) {
			this.share = share;
		}

	}

	private static final class Results {

		private final List<Long> latencies = Collections.synchronizedList(new ArrayList<>());

		private final AtomicInteger offered = new AtomicInteger();

		private final AtomicInteger pending = new AtomicInteger();

		private final AtomicInteger partitionFull = new AtomicInteger();

		private final AtomicInteger poolFull = new AtomicInteger();

		private final AtomicInteger circuitOpen = new AtomicInteger();

		private final AtomicInteger timeLimit = new AtomicInteger();

		private final AtomicInteger failed = new AtomicInteger();

		private double seconds;

		void fallback(Throwable cause) {
			AtomicInteger counter = (cause instanceof PartitionFullException) ? this.partitionFull
					: (cause instanceof BulkheadFullException) ? this.poolFull
							: (cause instanceof CallNotPermittedException) ? this.circuitOpen
									: (cause instanceof TimeoutException) ? this.timeLimit : this.failed;
			counter.incrementAndGet();
		}

		private String percentile(int percentile) {
			List<Long> sorted = new ArrayList<>(this.latencies);
			if (sorted.isEmpty()) {
				return "–";
			}
			Collections.sort(sorted);
			long nanos = sorted.get(Math.max(0, (int) Math.ceil(percentile / 100.0 * sorted.size()) - 1));
			return String.format(Locale.ROOT, "%.1f", nanos / 1e6);
		}

		String row(String run, String tenants) {
			return String.format(Locale.ROOT, "| %s | %s | %.1f | %.1f | %s | %s | %d | %d | %d | %d | %d |", run,
					tenants, this.offered.get() / this.seconds, this.latencies.size() / this.seconds, percentile(50),
					percentile(99), this.partitionFull.get(), this.poolFull.get(), this.circuitOpen.get(),
					this.timeLimit.get(), this.failed.get());
		}

	}

}
