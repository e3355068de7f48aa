package dev.faultline.benchmarks;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.ref.Reference;
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
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.faultline.actuate.dashboard.Timeline;
import dev.faultline.benchmarks.ShopUnderLoad.Phase;
import dev.faultline.benchmarks.ShopUnderLoad.Results;
import dev.faultline.detector.AdaptiveFailureDetector;
import dev.faultline.detector.AdaptiveSettings;
import dev.faultline.detector.MonotonicClock;
import dev.faultline.function.BusinessFunctions;
import dev.faultline.function.IsolatedFunction;
import dev.faultline.function.TimeLimitScheduler;
import dev.faultline.peer.HeartbeatKind;
import dev.faultline.peer.HeartbeatMode;
import dev.faultline.peer.HeartbeatSettings;
import dev.faultline.peer.LocalPauseWatch;
import dev.faultline.peer.Peer;
import dev.faultline.peer.PeerInstance;
import dev.faultline.peer.PeerRegistry;
import io.github.resilience4j.bulkhead.ThreadPoolBulkhead;
import io.github.resilience4j.bulkhead.ThreadPoolBulkheadConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.timelimiter.TimeLimiter;
import io.github.resilience4j.timelimiter.TimeLimiterConfig;
import io.micrometer.context.ContextSnapshotFactory;

/**
 * What an open dashboard page costs the service, in one run, side by side. First the
 * isolation benchmark's load ({@link ShopUnderLoad}: payment healthy, then hung) on
 * order-service with Faultline enabled and the dashboard not exposed, so that no timeline
 * exists; then the same with it exposed and a page open: a client that does over HTTP, on
 * the service's port, what the page's script does: the page once, the whole window once,
 * then the frames since the last answer's {@code now}, a second after each answer. Each
 * run is measured after one unmeasured phase of the same load. The service's CPU time is
 * read from its process, the sampling thread's from {@code /proc/<pid>/task}, and one
 * poll's CPU from the service's request threads while it is otherwise idle. Then, in this
 * JVM, a timeline of 3 peers of 3 instances and 5
 * functions with a full window (300 frames): what one {@code sample()} takes, what one
 * frame's slice and the whole window weigh as JSON and take to serialize with Jackson, and
 * the heap a full window retains.
 *
 * <p>
 * Linux only (it reads {@code /proc}). Run from the repository root after building the
 * samples:
 * {@code java -cp benchmarks/target/benchmarks.jar dev.faultline.benchmarks.DashboardCost}.
 */
public final class DashboardCost {

	private static final String SAMPLING_THREAD = "faultline-dashboard";

	private static final int PEERS = 3;

	private static final int INSTANCES = 3;

	private static final int FUNCTIONS = 5;

	private static final Duration INTERVAL = Duration.ofSeconds(1);

	private static final Duration WINDOW = Duration.ofMinutes(5);

	private static final int IDLE_POLLS = 200;

	private static final int IDLE_POLL_RATE = 20;

	private static final int SAMPLES = 20_000;

	private static final int WINDOWS = 20;

	private static final ObjectMapper JSON = new ObjectMapper();

	private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

	private DashboardCost() {
	}

	public static void main(String[] args) throws Exception {
		System.out.printf("The isolation benchmark's load: %d requests/s to each endpoint, %d s with payment healthy "
				+ "then %d s hung, after %d s unmeasured; order-service with Faultline enabled, JVM %s%n",
				ShopUnderLoad.RATE, ShopUnderLoad.PHASE.toSeconds(), ShopUnderLoad.PHASE.toSeconds(),
				ShopUnderLoad.PHASE.toSeconds(),
				System.getProperty("java.runtime.version"));
		// Off, open, open, off: a drift of the machine over the runs weighs on both alike.
		Run off = run(false);
		Run open = run(true);
		Run openAgain = run(true);
		Run offAgain = run(false);
		double spread = Math.max(spread(off, offAgain), spread(open, openAgain));
		off = off.plus(offAgain);
		open = open.plus(openAgain);
		System.out.println();
		System.out.println("| dashboard | endpoint | payment | throughput /s | p50 ms | p99 ms | 5xx | failed |");
		System.out.println("|---|---|---|---:|---:|---:|---:|---:|");
		for (Run run : List.of(off, open)) {
			System.out.println(row(run.name(), "delivery slots", "healthy", run.healthy().delivery));
			System.out.println(row(run.name(), "delivery slots", "hung", run.hung().delivery));
			System.out.println(row(run.name(), "POST /orders", "healthy", run.healthy().orders));
			System.out.println(row(run.name(), "POST /orders", "hung", run.hung().orders));
		}
		System.out.println();
		System.out.printf("- Each row pools two runs of %d s each%n", 2 * ShopUnderLoad.PHASE.toSeconds());
		System.out.printf("- The service's CPU: %.3f s in %.1f s without the dashboard, %.3f s in %.1f s with the page "
				+ "open: %.2f %% of a core more (the whole process, run-to-run differences included)%n",
				off.serviceCpuNanos() / 1e9, off.elapsedNanos() / 1e9, open.serviceCpuNanos() / 1e9,
				open.elapsedNanos() / 1e9, 100 * (open.cores() - off.cores()));
		System.out.printf("- The load's own spread: two runs of the same kind differ in p99 by up to %.1f %% "
				+ "(delivery healthy and hung, orders healthy)%n", 100 * (spread - 1));
		if (open.samplingNanos() >= 0) {
			System.out.printf("- The sampling thread (%s): %.1f ms of CPU in %.1f s: %.3f %% of a core%n",
					SAMPLING_THREAD, open.samplingNanos() / 1e6, open.elapsedNanos() / 1e9,
					100.0 * open.samplingNanos() / open.elapsedNanos());
		}
		else {
			System.out.printf("- The sampling thread (%s): not found in /proc%n", SAMPLING_THREAD);
		}
		Polls polls = open.polls();
		System.out.printf("- The page's polls under load: %d, %,d bytes on average, p50 %.1f ms, p99 %.1f ms; the "
				+ "whole window at opening %,d bytes; the page itself %,d bytes%n", polls.latencies.size(),
				polls.averageBytes(), polls.millis(50), polls.millis(99), polls.windowBytes, polls.pageBytes);
		System.out.printf("- One poll, on the idle service after the load (%d polls of one frame at %d/s, each run): "
				+ "%.3f ms of CPU on its request threads (garbage collection not counted): %.3f %% of a core at one a second%n",
				IDLE_POLLS, IDLE_POLL_RATE, open.pollNanos() / 1e6, 100.0 * open.pollNanos() / 1e9);
		inProcess();
		System.exit(0);
	}

	// How far apart two runs of the same kind are in p99, at most, as the larger over the
	// smaller: how finely this load's p99 can be compared at all. Orders while payment is
	// hung are left out: their p99 is payment's time limit, waited out before the suspicion.
	private static double spread(Run one, Run other) {
		double spread = 1;
		for (int row = 0; row < 3; row++) {
			double a = one.stationary().get(row).millis(99);
			double b = other.stationary().get(row).millis(99);
			spread = Math.max(spread, Math.max(a, b) / Math.min(a, b));
		}
		return spread;
	}

	private static String row(String mode, String endpoint, String payment, Results results) {
		boolean answered = !results.latencies.isEmpty();
		return String.format("| %s | %s | %s | %.1f | %s | %s | %d | %d |", mode, endpoint, payment,
				results.throughput(), answered ? String.format("%.1f", results.millis(50)) : "–",
				answered ? String.format("%.1f", results.millis(99)) : "–", results.serverErrors.get(),
				results.failed.get());
	}

	private static Run run(boolean dashboard) throws Exception {
		// Not exposed, the endpoint is not available and no timeline is created at all.
		String[] arguments = dashboard ? new String[] { "--faultline.enabled=true" }
				: new String[] { "--faultline.enabled=true",
						"--management.endpoints.web.exposure.exclude=faultlinedashboard" };
		try (ShopUnderLoad shop = ShopUnderLoad.start(arguments)) {
			String page = shop.orderUrl() + "/actuator/faultlinedashboard";
			int status = HTTP
				.send(HttpRequest.newBuilder(URI.create(page)).build(), HttpResponse.BodyHandlers.discarding())
				.statusCode();
			if (status != (dashboard ? 200 : 404)) {
				throw new IllegalStateException(
						"The dashboard answered " + status + (dashboard ? "" : " while not exposed"));
			}
			// Unmeasured, so that both runs are measured on a service the JIT has compiled
			// alike: a fresh JVM's first seconds of load cost more CPU than all else here.
			shop.measure();
			long pid = shop.orderService().pid();
			Usage before = Usage.now(shop.orderService());
			long samplingBefore = threadCpu(pid, SAMPLING_THREAD);
			PageClient client = dashboard ? PageClient.open(page) : null;
			Phase healthy = shop.measure();
			shop.hangPayment(true);
			Phase hung = shop.measure();
			shop.hangPayment(false);
			Polls polls = (client != null) ? client.close() : new Polls();
			Usage after = Usage.now(shop.orderService());
			long samplingNanos = (samplingBefore >= 0) ? threadCpu(pid, SAMPLING_THREAD) - samplingBefore : -1;
			long pollNanos = dashboard ? idlePoll(page, pid) : 0;
			String name = dashboard ? "page open" : "off";
			System.out.printf("Dashboard %s: order-service used %.3f s of CPU in %.1f s%n", name,
					(after.cpu() - before.cpu()) / 1e9, (after.time() - before.time()) / 1e9);
			return new Run(name, healthy, hung, after.time() - before.time(), after.cpu() - before.cpu(), samplingNanos,
					polls, pollNanos);
		}
	}

	// What one poll costs the service's request threads: many polls of one frame each, as
	// the open page's are, with no other traffic to those threads; the request threads'
	// CPU time is exact where the process's is counted in ticks and shared with the rest.
	private static long idlePoll(String page, long pid) throws Exception {
		// Tomcat's threads, all named after its connector; management is on the main port.
		String threads = "http-nio-";
		long latest = JSON.readTree(get(page + "/frames?since=0").body()).get("now").asLong();
		long before = threadCpu(pid, threads);
		long pace = TimeUnit.SECONDS.toNanos(1) / IDLE_POLL_RATE;
		long start = System.nanoTime();
		for (int i = 0; i < IDLE_POLLS; i++) {
			TimeUnit.NANOSECONDS.sleep(Math.max(0, start + i * pace - System.nanoTime()));
			byte[] slice = get(page + "/frames?since=" + (latest - 1)).body();
			latest = Math.max(latest, JSON.readTree(slice).get("now").asLong());
		}
		return (threadCpu(pid, threads) - before) / IDLE_POLLS;
	}

	private static HttpResponse<byte[]> get(String url) throws IOException, InterruptedException {
		HttpResponse<byte[]> response = HTTP.send(
				HttpRequest.newBuilder(URI.create(url)).header("Accept", "application/json").build(),
				HttpResponse.BodyHandlers.ofByteArray());
		if (response.statusCode() != 200) {
			throw new IllegalStateException(url + " answered " + response.statusCode());
		}
		return response;
	}

	// The CPU time of a process's threads whose name starts with the given one (Linux keeps
	// 15 characters of it), in nanoseconds from the scheduler's own count; -1 if none.
	private static long threadCpu(long pid, String name) throws IOException {
		String prefix = name.substring(0, Math.min(15, name.length()));
		long total = -1;
		try (Stream<Path> tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
			for (Path task : tasks.toList()) {
				try {
					if (Files.readString(task.resolve("comm")).strip().startsWith(prefix)) {
						String schedstat = Files.readString(task.resolve("schedstat"));
						total = Math.max(total, 0) + Long.parseLong(schedstat.split(" ")[0]);
					}
				}
				catch (IOException ex) {
					// The thread ended meanwhile.
				}
			}
		}
		return total;
	}

	private static void inProcess() throws InterruptedException {
		PeerRegistry peers = peers();
		TimeLimitScheduler scheduler = new TimeLimitScheduler();
		BusinessFunctions functions = functions(scheduler);
		AtomicLong millis = new AtomicLong(1_000_000_000_000L);
		Timeline timeline = full(functions, peers, millis);
		com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory
			.getThreadMXBean();

		// warm the code first, so that what is measured is the compiled path
		for (int i = 0; i < SAMPLES; i++) {
			millis.addAndGet(INTERVAL.toMillis());
			timeline.sample();
		}
		long allocated = threads.getCurrentThreadAllocatedBytes();
		long start = System.nanoTime();
		for (int i = 0; i < SAMPLES; i++) {
			millis.addAndGet(INTERVAL.toMillis());
			timeline.sample();
		}
		long sampleNanos = (System.nanoTime() - start) / SAMPLES;
		long sampleBytes = (threads.getCurrentThreadAllocatedBytes() - allocated) / SAMPLES;
		System.out.printf("- sample() with %d peers × %d instances and %d functions: %.1f µs and %,d bytes allocated "
				+ "per frame (%,d frames)%n", PEERS, INSTANCES, FUNCTIONS, sampleNanos / 1e3, sampleBytes, SAMPLES);

		long now = timeline.since(0).now();
		Serialized frame = serialize(timeline, now - 1, SAMPLES, threads);
		System.out.printf("- One frame's slice (what the open page asks every second): %,d bytes of JSON, %.1f µs and "
				+ "%,d bytes allocated to take and serialize it%n", frame.bytes(), frame.nanos() / 1e3,
				frame.allocated());
		Serialized window = serialize(timeline, 0, 200, threads);
		System.out.printf("- The whole window (%d frames, what the page asks when it opens): %,d bytes of JSON, "
				+ "%.2f ms and %,d bytes allocated to take and serialize it%n", timeline.since(0).frames().size(),
				window.bytes(), window.nanos() / 1e6, window.allocated());

		long retained = retained(functions, peers);
		int frames = (int) (WINDOW.toMillis() / INTERVAL.toMillis());
		System.out.printf("- A full window retained on the heap: %,d bytes (%,d per frame; %d timelines measured, "
				+ "JVM %s, max heap %d MiB)%n", retained, retained / frames, WINDOWS,
				System.getProperty("java.runtime.version"), Runtime.getRuntime().maxMemory() >> 20);
		scheduler.close();
	}

	// The endpoint's work for one answer: the slice, then its JSON (a plain ObjectMapper; the
	// endpoint's is Boot's, configured alike for these records).
	private static Serialized serialize(Timeline timeline, long since, int times,
			com.sun.management.ThreadMXBean threads) {
		try {
			int bytes = 0;
			for (int i = 0; i < times; i++) {
				bytes = JSON.writeValueAsBytes(timeline.since(since)).length;
			}
			long allocated = threads.getCurrentThreadAllocatedBytes();
			long start = System.nanoTime();
			for (int i = 0; i < times; i++) {
				bytes = JSON.writeValueAsBytes(timeline.since(since)).length;
			}
			return new Serialized(bytes, (System.nanoTime() - start) / times,
					(threads.getCurrentThreadAllocatedBytes() - allocated) / times);
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	// As DetectorFootprint does: many full timelines over the same peers and functions, and
	// the used heap after garbage collection compared with the used heap before.
	private static long retained(BusinessFunctions functions, PeerRegistry peers) throws InterruptedException {
		AtomicLong millis = new AtomicLong(1_000_000_000_000L);
		full(functions, peers, millis);
		Timeline[] timelines = new Timeline[WINDOWS];
		long before = DetectorFootprint.usedAfterGc();
		for (int i = 0; i < WINDOWS; i++) {
			timelines[i] = full(functions, peers, millis);
		}
		long after = DetectorFootprint.usedAfterGc();
		Reference.reachabilityFence(timelines);
		return (after - before) / WINDOWS;
	}

	// A timeline with a full window, its functions called between frames, so that its
	// rates are not all zero.
	private static Timeline full(BusinessFunctions functions, PeerRegistry peers, AtomicLong millis) {
		Timeline timeline = new Timeline(functions, peers, INTERVAL, WINDOW, millis::get);
		int frames = (int) (WINDOW.toMillis() / INTERVAL.toMillis());
		for (int i = 0; i < frames; i++) {
			for (int f = 0; f < FUNCTIONS; f++) {
				functions.call("function-" + f, () -> "done", (cause) -> "fallback");
			}
			millis.addAndGet(INTERVAL.toMillis());
			timeline.sample();
		}
		return timeline;
	}

	// Each instance's detector has learned 100 heartbeats about a second apart, and the
	// clock stands a little after the last, so that every φ is a small number as on a
	// healthy service.
	private static PeerRegistry peers() {
		AtomicLong now = new AtomicLong();
		MonotonicClock learning = now::get;
		LocalPauseWatch pauseWatch = new LocalPauseWatch(Duration.ofMillis(100), Duration.ofMillis(500));
		HeartbeatSettings heartbeat = new HeartbeatSettings("/actuator/health/liveness", Duration.ofSeconds(1),
				Duration.ofMillis(500), HeartbeatMode.HYBRID);
		Random random = new Random(18);
		List<Peer> peers = new ArrayList<>();
		for (int p = 0; p < PEERS; p++) {
			List<PeerInstance> instances = new ArrayList<>();
			for (int i = 0; i < INSTANCES; i++) {
				instances.add(new PeerInstance("peer-" + p, "instance-" + i,
						URI.create("http://10.0.0." + (10 * p + i) + ":8080"), heartbeat,
						new AdaptiveFailureDetector(AdaptiveSettings.DEFAULTS, learning), learning, pauseWatch));
			}
			peers.add(new Peer("peer-" + p, instances));
		}
		for (int beat = 0; beat < 100; beat++) {
			now.addAndGet(TimeUnit.MILLISECONDS.toNanos(1000 + random.nextInt(100) - 50));
			for (Peer peer : peers) {
				peer.getInstances().forEach((instance) -> instance.heartbeat(HeartbeatKind.ACTIVE));
			}
		}
		now.addAndGet(TimeUnit.MILLISECONDS.toNanos(400));
		return new PeerRegistry(peers);
	}

	// The sample's pools (4 to 8 threads, a queue of 16), breakers and time limit; the
	// first three linked to a peer.
	private static BusinessFunctions functions(TimeLimitScheduler scheduler) {
		ContextSnapshotFactory snapshots = ContextSnapshotFactory.builder().build();
		List<IsolatedFunction> functions = new ArrayList<>();
		for (int f = 0; f < FUNCTIONS; f++) {
			String name = "function-" + f;
			functions.add(new IsolatedFunction(name,
					ThreadPoolBulkhead.of(name,
							ThreadPoolBulkheadConfig.custom()
								.coreThreadPoolSize(4)
								.maxThreadPoolSize(8)
								.queueCapacity(16)
								.build()),
					CircuitBreaker.ofDefaults(name),
					TimeLimiter.of(name, TimeLimiterConfig.custom().timeoutDuration(Duration.ofSeconds(1)).build()),
					(f < PEERS) ? "peer-" + f : null, scheduler.executor(), snapshots));
		}
		return new BusinessFunctions(functions);
	}

	/**
	 * One run of the load.
	 */
	private record Run(String name, Phase healthy, Phase hung, long elapsedNanos, long serviceCpuNanos,
			long samplingNanos, Polls polls, long pollNanos) {

		double cores() {
			return (double) this.serviceCpuNanos / this.elapsedNanos;
		}

		List<Results> stationary() {
			return List.of(this.healthy.delivery, this.hung.delivery, this.healthy.orders);
		}

		// Both runs' answers together, as if one.
		Run plus(Run other) {
			long sampling = (this.samplingNanos < 0 || other.samplingNanos < 0) ? -1
					: this.samplingNanos + other.samplingNanos;
			return new Run(this.name, plus(this.healthy, other.healthy), plus(this.hung, other.hung),
					this.elapsedNanos + other.elapsedNanos, this.serviceCpuNanos + other.serviceCpuNanos, sampling,
					this.polls.plus(other.polls), (this.pollNanos + other.pollNanos) / 2);
		}

		private static Phase plus(Phase one, Phase other) {
			Phase both = new Phase();
			plus(both.delivery, one.delivery, other.delivery);
			plus(both.orders, one.orders, other.orders);
			return both;
		}

		private static void plus(Results both, Results one, Results other) {
			both.latencies.addAll(one.latencies);
			both.latencies.addAll(other.latencies);
			both.serverErrors.set(one.serverErrors.get() + other.serverErrors.get());
			both.failed.set(one.failed.get() + other.failed.get());
			both.elapsedNanos = one.elapsedNanos + other.elapsedNanos;
		}

	}

	/**
	 * The CPU time order-service has used so far, and when it was read, in nanoseconds.
	 */
	private record Usage(long time, long cpu) {

		static Usage now(Process service) {
			return new Usage(System.nanoTime(), service.info().totalCpuDuration().map(Duration::toNanos).orElse(0L));
		}

	}

	private record Serialized(int bytes, long nanos, long allocated) {
	}

	/**
	 * What the page's client saw: the page, the whole window it asked first, then each
	 * poll's size and time.
	 */
	private static final class Polls {

		final List<Long> latencies = Collections.synchronizedList(new ArrayList<>());

		final List<Integer> sizes = Collections.synchronizedList(new ArrayList<>());

		int pageBytes;

		int windowBytes;

		Polls plus(Polls other) {
			Polls both = new Polls();
			both.latencies.addAll(this.latencies);
			both.latencies.addAll(other.latencies);
			both.sizes.addAll(this.sizes);
			both.sizes.addAll(other.sizes);
			both.pageBytes = this.pageBytes;
			both.windowBytes = this.windowBytes;
			return both;
		}

		int averageBytes() {
			return (int) this.sizes.stream().mapToInt(Integer::intValue).average().orElse(0);
		}

		double millis(int percentile) {
			List<Long> sorted = new ArrayList<>(this.latencies);
			if (sorted.isEmpty()) {
				return Double.NaN;
			}
			Collections.sort(sorted);
			return sorted.get(Math.max(0, (int) Math.ceil(percentile / 100.0 * sorted.size()) - 1)) / 1e6;
		}

	}

	/**
	 * An open page, as its script behaves: the page, then the frames since the last
	 * answer's {@code now}, starting from the whole window, asked again a second after
	 * each answer.
	 */
	private static final class PageClient {

		private final Polls polls = new Polls();

		private final Thread thread;

		private volatile boolean open = true;

		private volatile Exception failure;

		private PageClient(String page) {
			this.thread = new Thread(() -> poll(page), "page");
		}

		static PageClient open(String page) {
			PageClient client = new PageClient(page);
			client.thread.start();
			return client;
		}

		private void poll(String page) {
			try {
				this.polls.pageBytes = HTTP
					.send(HttpRequest.newBuilder(URI.create(page)).build(), HttpResponse.BodyHandlers.ofByteArray())
					.body().length;
				long since = 0;
				while (this.open) {
					long start = System.nanoTime();
					HttpResponse<byte[]> response = get(page + "/frames?since=" + since);
					long latency = System.nanoTime() - start;
					if (since == 0) {
						this.polls.windowBytes = response.body().length;
					}
					else {
						this.polls.latencies.add(latency);
						this.polls.sizes.add(response.body().length);
					}
					since = Math.max(since, JSON.readTree(response.body()).get("now").asLong());
					Thread.sleep(1000);
				}
			}
			catch (InterruptedException ex) {
				// Closed.
			}
			catch (Exception ex) {
				this.failure = ex;
			}
		}

		Polls close() throws Exception {
			this.open = false;
			this.thread.interrupt();
			this.thread.join();
			if (this.failure != null) {
				throw this.failure;
			}
			return this.polls;
		}

	}

}
