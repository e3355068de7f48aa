package dev.faultline.benchmarks;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.faultline.detector.DetectorSettings;
import dev.faultline.detector.DetectorType;
import dev.faultline.detector.FailureDetector;
import dev.faultline.detector.MonotonicClock;
import dev.faultline.peer.HeartbeatMode;
import dev.faultline.peer.HeartbeatMonitor;
import dev.faultline.peer.HeartbeatSettings;
import dev.faultline.peer.LocalPauseWatch;
import dev.faultline.peer.Peer;
import dev.faultline.peer.PeerInstance;
import dev.faultline.peer.PeerRegistry;
import dev.faultline.peer.Routing;
import dev.faultline.peer.http.HttpHeartbeatProbe;
import dev.faultline.peer.http.PeerRestClients;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import org.springframework.beans.factory.support.StaticListableBeanFactory;
import org.springframework.cloud.client.DefaultServiceInstance;
import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.client.loadbalancer.DefaultRequest;
import org.springframework.cloud.client.loadbalancer.LoadBalancerProperties;
import org.springframework.cloud.client.loadbalancer.reactive.ReactiveLoadBalancer;
import org.springframework.cloud.loadbalancer.core.HealthCheckServiceInstanceListSupplier;
import org.springframework.cloud.loadbalancer.core.RoundRobinLoadBalancer;
import org.springframework.cloud.loadbalancer.core.ServiceInstanceListSupplier;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.web.client.RestClient;

/**
 * Three replicas of a service as real HTTP servers on 127.0.0.1, one of them hung after a
 * healthy phase (it accepts and never answers, its health endpoint neither), the same
 * fixed request rate from three clients side by side, each with fresh replicas: Faultline's
 * ready client with {@code routing: balanced} at its defaults; Spring Cloud LoadBalancer's
 * round-robin alone; and round-robin over its health-check supplier at its defaults (a
 * check every 25 s). Every client has the same 2 s read timeout. Measured: throughput,
 * p99 healthy and while one is hung, failed requests, requests that reached the hung
 * replica and the last one's time after the hang began.
 *
 * <p>
 * Run: {@code java -cp benchmarks/target/benchmarks.jar dev.faultline.benchmarks.HungReplicaHarness}.
 */
public final class HungReplicaHarness {

	private static final int RATE = 40;

	private static final Duration WARM_UP = Duration.ofSeconds(5);

	private static final Duration HEALTHY = Duration.ofSeconds(10);

	private static final Duration HUNG = Duration.ofSeconds(40);

	private static final Duration READ_TIMEOUT = Duration.ofSeconds(2);

	private static final Duration WORK = Duration.ofMillis(5);

	private HungReplicaHarness() {
	}

	public static void main(String[] args) throws Exception {
		System.out.printf("3 replicas (each answers after %d ms), %d requests/s, %d s of warm-up, %d s healthy then %d s "
				+ "with one hung; read timeout %d s; JVM %s%n", WORK.toMillis(), RATE, WARM_UP.toSeconds(),
				HEALTHY.toSeconds(), HUNG.toSeconds(), READ_TIMEOUT.toSeconds(), System.getProperty("java.runtime.version"));
		List<String> rows = new ArrayList<>();
		List<String> notes = new ArrayList<>();
		rows.add(run("Faultline, routing balanced", HungReplicaHarness::faultline, notes));
		rows.add(run("LoadBalancer round-robin", (replicas) -> loadBalancer(replicas, false), notes));
		rows.add(run("LoadBalancer round-robin + health check", (replicas) -> loadBalancer(replicas, true), notes));
		System.out.println();
		System.out.println("| client | throughput /s | p99 healthy ms | p99 one hung ms | failed | requests to the hung "
				+ "replica | last one after the hang |");
		System.out.println("|---|---:|---:|---:|---:|---:|---:|");
		rows.forEach(System.out::println);
		System.out.println();
		notes.forEach(System.out::println);
		System.exit(0);
	}

	private static String run(String name, java.util.function.Function<List<Replica>, Client> clients,
			List<String> notes) throws Exception {
		List<Replica> replicas = List.of(new Replica(), new Replica(), new Replica());
		Client client = clients.apply(replicas);
		ExecutorService callers = Executors.newFixedThreadPool(256);
		ScheduledExecutorService pacer = Executors.newSingleThreadScheduledExecutor();
		List<long[]> healthy = Collections.synchronizedList(new ArrayList<>());
		List<long[]> hung = Collections.synchronizedList(new ArrayList<>());
		AtomicInteger failed = new AtomicInteger();
		AtomicLong hungAt = new AtomicLong(Long.MAX_VALUE);
		// The first seconds warm the JIT and the connections up, and are not measured.
		long measuredFrom = System.nanoTime() + WARM_UP.toNanos();
		pacer.scheduleAtFixedRate(() -> callers.execute(() -> {
			long sent = System.nanoTime();
			try {
				client.send().run();
				if (sent >= measuredFrom) {
					(sent >= hungAt.get() ? hung : healthy).add(new long[] { sent, System.nanoTime() - sent });
				}
			}
			catch (RuntimeException ex) {
				failed.incrementAndGet();
			}
		}), 0, TimeUnit.SECONDS.toNanos(1) / RATE, TimeUnit.NANOSECONDS);
		Thread.sleep(WARM_UP.plus(HEALTHY).toMillis());
		long start = measuredFrom;
		Replica stuck = replicas.get(1);
		long hangStart = System.nanoTime();
		stuck.hang(hangStart);
		hungAt.set(hangStart);
		Thread.sleep(HUNG.toMillis());
		pacer.shutdownNow();
		callers.shutdown();
		callers.awaitTermination(READ_TIMEOUT.toSeconds() + 5, TimeUnit.SECONDS);
		double seconds = (System.nanoTime() - start) / 1e9;
		int answered = healthy.size() + hung.size();
		long lastToHung = stuck.lastArrival.get();
		String last = (stuck.arrivalsWhileHung.get() == 0) ? "none"
				: String.format(Locale.ROOT, "%.1f s", (lastToHung - hangStart) / 1e9);
		client.close();
		replicas.forEach(Replica::stop);
		if (client.note() != null) {
			notes.add("- " + name + ": " + client.note().get());
		}
		return String.format(Locale.ROOT, "| %s | %.1f | %d | %d | %d | %d | %s |", name, answered / seconds,
				p99(healthy), p99(hung), failed.get(), stuck.arrivalsWhileHung.get(), last);
	}

	private static long p99(List<long[]> samples) {
		List<Long> latencies = new ArrayList<>();
		synchronized (samples) {
			samples.forEach((sample) -> latencies.add(sample[1]));
		}
		if (latencies.isEmpty()) {
			return 0;
		}
		Collections.sort(latencies);
		return latencies.get((int) Math.min(latencies.size() - 1, Math.ceil(latencies.size() * 0.99) - 1)) / 1_000_000;
	}

	private static RestClient restClient() {
		JdkClientHttpRequestFactory factory = new JdkClientHttpRequestFactory(
				java.net.http.HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build());
		factory.setReadTimeout(READ_TIMEOUT);
		return RestClient.builder().requestFactory(factory).build();
	}

	private static Client faultline(List<Replica> replicas) {
		MonotonicClock clock = MonotonicClock.SYSTEM;
		HeartbeatSettings heartbeat = new HeartbeatSettings("/actuator/health/liveness", Duration.ofSeconds(1),
				Duration.ofMillis(500), HeartbeatMode.HYBRID);
		Duration tick = HeartbeatMonitor.tickFor(List.of(heartbeat));
		LocalPauseWatch pauseWatch = new LocalPauseWatch(tick, Duration.ofMillis(500));
		List<PeerInstance> instances = new ArrayList<>();
		for (int i = 0; i < replicas.size(); i++) {
			instances.add(new PeerInstance("payment", "payment-" + (i + 1), replicas.get(i).uri(), heartbeat,
					FailureDetector.create(DetectorSettings.of(DetectorType.ADAPTIVE, heartbeat.interval()), clock),
					clock, pauseWatch));
		}
		PeerRegistry registry = new PeerRegistry(List.of(new Peer("payment", instances, false, Routing.BALANCED)));
		HeartbeatMonitor monitor = new HeartbeatMonitor(registry, new HttpHeartbeatProbe((peer) -> {
			JdkClientHttpRequestFactory factory = new JdkClientHttpRequestFactory();
			factory.setReadTimeout(heartbeat.timeout());
			return factory;
		}), clock, pauseWatch, tick);
		monitor.start();
		JdkClientHttpRequestFactory factory = new JdkClientHttpRequestFactory(
				java.net.http.HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build());
		factory.setReadTimeout(READ_TIMEOUT);
		PeerRestClients clients = new PeerRestClients(registry, RestClient::builder, (peer) -> factory);
		RestClient client = clients.get("payment");
		AtomicLong suspectedAt = new AtomicLong();
		Replica stuck = replicas.get(1);
		ScheduledExecutorService watch = Executors.newSingleThreadScheduledExecutor();
		watch.scheduleAtFixedRate(() -> {
			if (stuck.hungAt > 0 && suspectedAt.get() == 0 && !instances.get(1).isAvailable()) {
				suspectedAt.set(System.nanoTime());
			}
		}, 0, 10, TimeUnit.MILLISECONDS);
		return new Client() {

			@Override
			public Runnable send() {
				return () -> client.get().uri("/pay").retrieve().toBodilessEntity();
			}

			@Override
			public Supplier<String> note() {
				return () -> String.format(Locale.ROOT, "the hung replica suspected %.1f s after the hang; requests "
						+ "sent to it in all: %d", (suspectedAt.get() - stuck.hungAt) / 1e9, instances.get(1).requestsSent());
			}

			@Override
			public void close() {
				watch.shutdownNow();
				monitor.stop();
			}

		};
	}

	private static Client loadBalancer(List<Replica> replicas, boolean healthCheck) {
		List<ServiceInstance> listed = new ArrayList<>();
		for (int i = 0; i < replicas.size(); i++) {
			URI uri = replicas.get(i).uri();
			listed.add(new DefaultServiceInstance("payment-" + (i + 1), "payment", uri.getHost(), uri.getPort(), false));
		}
		ServiceInstanceListSupplier fixed = new ServiceInstanceListSupplier() {

			@Override
			public String getServiceId() {
				return "payment";
			}

			@Override
			public Flux<List<ServiceInstance>> get() {
				return Flux.just(listed);
			}

		};
		RestClient rest = restClient();
		ServiceInstanceListSupplier supplier = fixed;
		HealthCheckServiceInstanceListSupplier checked = null;
		if (healthCheck) {
			// Its defaults: a check every 25 s of /actuator/health; the check's request has
			// the same read timeout as the traffic's.
			checked = new HealthCheckServiceInstanceListSupplier(fixed, new PropertiesOnly(),
					(instance, path) -> Mono
						.fromCallable(() -> rest.get()
							.uri(instance.getUri() + path)
							.retrieve()
							.toBodilessEntity()
							.getStatusCode()
							.is2xxSuccessful())
						.subscribeOn(Schedulers.boundedElastic())
						.onErrorReturn(false));
			checked.afterPropertiesSet();
			supplier = checked;
		}
		StaticListableBeanFactory beans = new StaticListableBeanFactory();
		beans.addBean("supplier", supplier);
		RoundRobinLoadBalancer balancer = new RoundRobinLoadBalancer(
				beans.getBeanProvider(ServiceInstanceListSupplier.class), "payment");
		HealthCheckServiceInstanceListSupplier toClose = checked;
		return new Client() {

			@Override
			public Runnable send() {
				return () -> {
					ServiceInstance chosen = balancer.choose(new DefaultRequest<>()).block().getServer();
					if (chosen == null) {
						throw new IllegalStateException("no instance");
					}
					rest.get().uri(chosen.getUri() + "/pay").retrieve().toBodilessEntity();
				};
			}

			@Override
			public Supplier<String> note() {
				return null;
			}

			@Override
			public void close() {
				if (toClose != null) {
					toClose.destroy();
				}
			}

		};
	}

	private interface Client {

		Runnable send();

		Supplier<String> note();

		void close();

	}

	// What the health-check supplier reads: LoadBalancer's default properties.
	private static final class PropertiesOnly implements ReactiveLoadBalancer.Factory<ServiceInstance> {

		private final LoadBalancerProperties properties = new LoadBalancerProperties();

		@Override
		public LoadBalancerProperties getProperties(String serviceId) {
			return this.properties;
		}

		@Override
		public ReactiveLoadBalancer<ServiceInstance> getInstance(String serviceId) {
			return null;
		}

		@Override
		public <X> Map<String, X> getInstances(String name, Class<X> type) {
			return Map.of();
		}

		@Override
		public <X> X getInstance(String name, Class<?> clazz, Class<?>... generics) {
			return null;
		}

	}

	/** A replica: answers /pay after a little work and its health; hung, neither. */
	private static final class Replica {

		private final HttpServer server;

		private final CountDownLatch release = new CountDownLatch(1);

		private final AtomicInteger arrivalsWhileHung = new AtomicInteger();

		private final AtomicLong lastArrival = new AtomicLong();

		private volatile long hungAt;

		Replica() {
			try {
				this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 200);
			}
			catch (IOException ex) {
				throw new IllegalStateException(ex);
			}
			this.server.setExecutor(Executors.newCachedThreadPool());
			this.server.createContext("/", this::handle);
			this.server.start();
		}

		URI uri() {
			return URI.create("http://127.0.0.1:" + this.server.getAddress().getPort());
		}

		void hang(long at) {
			this.hungAt = at;
		}

		private void handle(HttpExchange exchange) throws IOException {
			boolean traffic = exchange.getRequestURI().getPath().equals("/pay");
			try {
				if (this.hungAt > 0) {
					if (traffic) {
						this.arrivalsWhileHung.incrementAndGet();
						this.lastArrival.set(System.nanoTime());
					}
					this.release.await();
					return;
				}
				if (traffic) {
					Thread.sleep(WORK.toMillis());
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return;
			}
			byte[] body = "{\"status\":\"UP\"}".getBytes();
			exchange.getResponseHeaders().add("Content-Type", "application/json");
			exchange.sendResponseHeaders(200, body.length);
			try (OutputStream out = exchange.getResponseBody()) {
				out.write(body);
			}
		}

		void stop() {
			this.release.countDown();
			this.server.stop(0);
		}

	}

}
