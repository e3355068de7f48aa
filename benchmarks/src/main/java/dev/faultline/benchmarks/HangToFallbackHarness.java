package dev.faultline.benchmarks;

import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import com.sun.net.httpserver.HttpServer;
import dev.faultline.detector.MonotonicClock;
import dev.faultline.detector.PhiAccrualFailureDetector;
import dev.faultline.detector.PhiAccrualSettings;
import dev.faultline.function.BusinessFunctions;
import dev.faultline.function.IsolatedFunction;
import dev.faultline.function.PeerCircuitLinks;
import dev.faultline.function.TimeLimitScheduler;
import dev.faultline.peer.HeartbeatMode;
import dev.faultline.peer.HeartbeatMonitor;
import dev.faultline.peer.HeartbeatSettings;
import dev.faultline.peer.http.HttpHeartbeatProbe;
import dev.faultline.peer.LocalPauseWatch;
import dev.faultline.peer.Peer;
import dev.faultline.peer.PeerInstance;
import dev.faultline.peer.PeerRegistry;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.micrometer.context.ContextSnapshotFactory;

import org.springframework.http.client.SimpleClientHttpRequestFactory;

/**
 * Measures, on one hang of one real HTTP peer on 127.0.0.1 (it accepts and never
 * answers), how long after the hang callers start getting the fallback at once: for a
 * function whose circuit follows the peer's φ, and for the same function whose circuit
 * only counts failures. Both use Faultline's default settings (1 s heartbeats, φ
 * threshold 8, a 20-call window opening at 50% failures after 10 calls, a 2 s time limit)
 * and the same traffic, at one and at ten calls per second.
 *
 * <p>
 * Run with
 * {@code java -cp benchmarks/target/benchmarks.jar dev.faultline.benchmarks.HangToFallbackHarness}.
 */
public final class HangToFallbackHarness {

	private static final Duration IMMEDIATE = Duration.ofMillis(50);

	private static volatile CountDownLatch hang;

	private HangToFallbackHarness() {
	}

	public static void main(String[] args) throws Exception {
		System.out.printf("JVM %s; heartbeat every 1000 ms, phi threshold %.0f, time limit 2 s%n",
				System.getProperty("java.runtime.version"), PhiAccrualSettings.DEFAULTS.threshold());
		System.out.println("| calls per second | with the phi link | without (failure rate alone) | ratio "
				+ "| calls that waited out the time limit, with / without |");
		System.out.println("|---:|---:|---:|---:|---:|");
		for (int rate : new int[] { 1, 10 }) {
			Result[] results = scenario(rate);
			System.out.printf("| %d | %d ms | %d ms | %.1f | %d / %d |%n", rate, results[0].firstImmediate.get() / 1_000_000,
					results[1].firstImmediate.get() / 1_000_000,
					(double) results[1].firstImmediate.get() / results[0].firstImmediate.get(),
					results[0].timeLimitsPaid.get(), results[1].timeLimitsPaid.get());
		}
		System.exit(0);
	}

	// One peer, hung after five healthy seconds; calls arrive at a fixed rate whatever the
	// answers, as customers do, until each function has answered a call at once.
	private static Result[] scenario(int callsPerSecond) throws Exception {
		HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 100);
		ExecutorService handlers = Executors.newCachedThreadPool();
		server.setExecutor(handlers);
		server.createContext("/", (exchange) -> {
			CountDownLatch latch = hang;
			if (latch != null) {
				try {
					latch.await();
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
			}
			byte[] body = "{\"status\":\"UP\"}".getBytes();
			exchange.sendResponseHeaders(200, body.length);
			try (OutputStream out = exchange.getResponseBody()) {
				out.write(body);
			}
		});
		server.start();
		URI uri = URI.create("http://127.0.0.1:" + server.getAddress().getPort());

		MonotonicClock clock = MonotonicClock.SYSTEM;
		HeartbeatSettings heartbeat = new HeartbeatSettings("/actuator/health/liveness", Duration.ofSeconds(1),
				Duration.ofMillis(500), HeartbeatMode.HYBRID);
		Duration tick = HeartbeatMonitor.tickFor(List.of(heartbeat));
		LocalPauseWatch pauseWatch = new LocalPauseWatch(tick, Duration.ofMillis(500));
		PeerInstance instance = new PeerInstance("payment-service", "primary", uri, heartbeat,
				new PhiAccrualFailureDetector(PhiAccrualSettings.DEFAULTS, clock), clock, pauseWatch);
		PeerRegistry registry = new PeerRegistry(List.of(new Peer("payment-service", List.of(instance))));
		TimeLimitScheduler scheduler = new TimeLimitScheduler();
		ContextSnapshotFactory snapshots = ContextSnapshotFactory.builder().build();
		IsolatedFunction linked = function("linked", "payment-service", scheduler, snapshots);
		IsolatedFunction unlinked = function("unlinked", null, scheduler, snapshots);
		PeerCircuitLinks links = new PeerCircuitLinks(new BusinessFunctions(List.of(linked, unlinked)), registry);
		HeartbeatMonitor monitor = new HeartbeatMonitor(registry, new HttpHeartbeatProbe((peer) -> {
			SimpleClientHttpRequestFactory factory = new SimpleClientHttpRequestFactory();
			factory.setConnectTimeout(Duration.ofMillis(500));
			factory.setReadTimeout(Duration.ofMillis(500));
			return factory;
		}), clock,
				pauseWatch, tick, List.of(links));
		monitor.start();
		HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
		HttpRequest charge = HttpRequest.newBuilder(uri.resolve("/payments"))
			.timeout(Duration.ofSeconds(30))
			.POST(HttpRequest.BodyPublishers.ofString("{}"))
			.build();
		Thread.sleep(5_000);

		long hungAt = System.nanoTime();
		hang = new CountDownLatch(1);
		Result[] results = { new Result(), new Result() };
		ExecutorService callers = Executors.newCachedThreadPool();
		long pace = TimeUnit.SECONDS.toNanos(1) / callsPerSecond;
		for (long next = hungAt; System.nanoTime() - hungAt < TimeUnit.SECONDS.toNanos(60)
				&& (results[0].firstImmediate.get() == 0 || results[1].firstImmediate.get() == 0); next += pace) {
			TimeUnit.NANOSECONDS.sleep(Math.max(0, next - System.nanoTime()));
			callers.submit(() -> call(linked, http, charge, hungAt, results[0]));
			callers.submit(() -> call(unlinked, http, charge, hungAt, results[1]));
		}
		hang.countDown();
		hang = null;
		callers.shutdown();
		callers.awaitTermination(30, TimeUnit.SECONDS);
		monitor.stop();
		scheduler.close();
		linked.getBulkhead().close();
		unlinked.getBulkhead().close();
		server.stop(0);
		handlers.shutdownNow();
		return results;
	}

	private static Void call(IsolatedFunction function, HttpClient http, HttpRequest charge, long hungAt,
			Result result) {
		long start = System.nanoTime();
		Throwable cause = function.call(() -> {
			http.send(charge, HttpResponse.BodyHandlers.discarding());
			return null;
		}, (failure) -> failure);
		long end = System.nanoTime();
		if (cause instanceof CallNotPermittedException && end - start < IMMEDIATE.toNanos()) {
			result.firstImmediate.compareAndSet(0, end - hungAt);
		}
		else if (cause != null && result.firstImmediate.get() == 0) {
			result.timeLimitsPaid.incrementAndGet();
		}
		return null;
	}

	// Linked and unlinked alike, so that only the link tells them apart.
	private static IsolatedFunction function(String name, String peer, TimeLimitScheduler scheduler,
			ContextSnapshotFactory snapshots) {
		return BenchmarkFunctions.pooled(name, 4, 8, 16, Duration.ofSeconds(2), peer, scheduler, snapshots);
	}

	private static final class Result {

		private final AtomicLong firstImmediate = new AtomicLong();

		private final AtomicInteger timeLimitsPaid = new AtomicInteger();

	}
}
