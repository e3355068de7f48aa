package dev.faultline.e2e.support;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.core.ParameterizedTypeReference;

/**
 * The sample shop with payment replicated: a Eureka registry, three payment-service
 * replicas that register with it (each its own process and port, in a container limited
 * to half a CPU and 256 MiB) and share one database (an H2 TCP server, {@link PaymentDatabase}),
 * and order-service discovering them through it with {@code routing: balanced}. An
 * idempotency key is known to every replica, as in a real payment service's replicas: the
 * database's unique key decides which charge of a key wins, whichever replica it reaches. Tests begin from the steady state: order sees every
 * replica available, and all are warmed up by orders of customer {@value #WARM_UP_CUSTOMER}.
 * Register it with {@code @RegisterExtension} in a static field: the services are shared
 * by the class's tests, which undo their faults.
 * <p>
 * Eureka runs with test timings (set by environment variables; the samples' own defaults
 * stay as they are): no self-preservation, eviction every second, no read-only response
 * cache, clients that fetch every second and renew their one-second leases, which expire
 * after three.
 * <p>
 * The registry and the database are infrastructure, not faults: they stay up throughout.
 */
public final class ReplicaShop implements BeforeAllCallback, BeforeEachCallback, AfterEachCallback, AfterAllCallback {

	/** The name order-service knows payment by, and payment's service id in the registry. */
	public static final String PAYMENT_PEER = "payment-service";

	/** The customer of the orders placed to warm the services up. */
	public static final String WARM_UP_CUSTOMER = "warm-up";

	/** The replicas at the start. */
	public static final int REPLICAS = 3;

	/** Each replica's container: half a CPU. */
	public static final double REPLICA_CPUS = 0.5;

	/** Each replica's container: 256 MiB, beyond which the kernel kills it. */
	public static final long REPLICA_MEMORY = 256L << 20;

	/**
	 * The replicas' JVM: a heap that may grow past the container's limit, so that a leak
	 * ends with the kernel's kill rather than an OutOfMemoryError; the C1 compiler only,
	 * which halves a start on half a CPU (13 to 14 s instead of 20 to 29 s, measured), and
	 * the suite starts a replica again, or adds one, eight times.
	 */
	private static final String[] REPLICA_JAVA = { "-Xms64m", "-Xmx400m", "-XX:+UseSerialGC",
			"-XX:TieredStopAtLevel=1" };

	private static final Logger logger = LoggerFactory.getLogger(ReplicaShop.class);

	private static final ParameterizedTypeReference<Map<String, Object>> JSON = new ParameterizedTypeReference<>() {
	};

	private static final int LOG_LINES_ON_FAILURE = 150;

	private static final Duration STEADY_STATE_TIMEOUT = Duration.ofSeconds(60);

	private static final Duration WARM_UP_TIMEOUT = Duration.ofSeconds(120);

	/** Enough in a row for each replica to have answered several. */
	private static final int WARM_ORDERS_IN_A_ROW = 9;

	/** Half of order-service's payment time limit. */
	private static final Duration WARM_ORDER_TIME = Duration.ofMillis(500);

	private final SuiteSettings settings = SuiteSettings.fromSystemProperties();

	private final String faultToken = UUID.randomUUID().toString();

	private final List<Replica> replicas = Collections.synchronizedList(new ArrayList<>());

	private ServiceContainer registry;

	private PaymentDatabase database;

	private ServiceContainer order;

	private OrderClient orders;

	/**
	 * Returns the replicas started so far, in the order they were added.
	 * @return the replicas
	 */
	public List<Replica> replicas() {
		synchronized (this.replicas) {
			return List.copyOf(this.replicas);
		}
	}

	public Replica replica(int index) {
		return this.replicas.get(index);
	}

	public ServiceContainer registry() {
		return this.registry;
	}

	public PaymentDatabase database() {
		return this.database;
	}

	public ServiceContainer order() {
		return this.order;
	}

	public OrderClient orders() {
		return this.orders;
	}

	/**
	 * Returns the payments the shared database holds for an order, as the first running
	 * replica answers: exactly one once it is paid.
	 * @param orderId the order's id
	 * @return its payments
	 */
	public List<Payment> paymentsOf(String orderId) {
		RuntimeException failure = null;
		for (Replica replica : replicas()) {
			try {
				return replica.payments().ofOrder(orderId);
			}
			catch (RuntimeException ex) {
				failure = (failure != null) ? failure : ex;
			}
		}
		throw (failure != null) ? failure : new IllegalStateException("No payment replica");
	}

	/**
	 * Returns what order-service's {@code /actuator/faultline} shows of each payment
	 * instance it has now.
	 * @return the instances by discovery instance id
	 */
	public Map<String, InstanceView> instances() {
		Map<String, Object> body = this.orders.rest().get().uri("/actuator/faultline").retrieve().body(JSON);
		Map<?, ?> peers = (Map<?, ?>) body.get("peers");
		Map<?, ?> peer = (Map<?, ?>) peers.get(PAYMENT_PEER);
		Map<?, ?> instances = (peer != null) ? (Map<?, ?>) peer.get("instances") : null;
		Map<String, InstanceView> views = new LinkedHashMap<>();
		if (instances != null) {
			instances.forEach((id, value) -> views.put(String.valueOf(id), InstanceView.of((Map<?, ?>) value)));
		}
		return views;
	}

	/**
	 * Starts one more replica, registered under the next instance id, and waits until it
	 * is ready (not until order-service sees it).
	 * @return the new replica
	 */
	public Replica addReplica() {
		Replica replica = newReplica(this.replicas.size() + 1);
		this.replicas.add(replica);
		replica.container().start();
		return replica;
	}

	/**
	 * Waits until order-service lists every replica and sees each available.
	 * @param timeout how long it may take
	 */
	public void awaitAllAvailable(Duration timeout) {
		Awaitility.await("order-service sees every payment replica available")
			.atMost(timeout)
			.pollInterval(Duration.ofMillis(250))
			.ignoreExceptions()
			.until(() -> {
				Map<String, InstanceView> seen = instances();
				return replicas().stream()
					.allMatch((replica) -> seen.containsKey(replica.id()) && seen.get(replica.id()).available());
			});
	}

	@Override
	public void beforeAll(ExtensionContext context) {
		if (DockerAvailability.check(this.settings)) {
			start();
		}
	}

	@Override
	public void beforeEach(ExtensionContext context) {
		DockerAvailability.assumeAvailable(this.settings);
	}

	@Override
	public void afterEach(ExtensionContext context) {
		if (context.getExecutionException().isPresent()) {
			printLogTails(context.getDisplayName());
		}
	}

	@Override
	public void afterAll(ExtensionContext context) {
		remove(context.getRequiredTestClass().getSimpleName());
	}

	private void start() {
		int[] ports = FreePorts.pick(3);
		this.database = new PaymentDatabase(this.settings.paymentJar(), this.settings.baseImage(), ports[2]);
		this.registry = ServiceContainer.builder("registry", this.settings.registryJar())
			.port(ports[0])
			.environment("EUREKA_SERVER_ENABLESELFPRESERVATION", false)
			.environment("EUREKA_SERVER_EVICTIONINTERVALTIMERINMS", 1000)
			.environment("EUREKA_SERVER_RESPONSECACHEUPDATEINTERVALMS", 500)
			.environment("EUREKA_SERVER_USEREADONLYRESPONSECACHE", false)
			.build();
		this.registry.start();

		for (int i = 1; i <= REPLICAS; i++) {
			this.replicas.add(newReplica(i));
		}
		ServiceContainer.Builder order = ServiceContainer.builder("order-service", this.settings.orderJar())
			.port(ports[1])
			.property("orders.data-dir", "/app/data/order")
			.property("eureka.client.service-url.defaultZone", eurekaUrl());
		eurekaClient(order).environment("EUREKA_CLIENT_REGISTERWITHEUREKA", false)
			// Payment by its service id instead of the instances application.yml lists.
			.environment("SPRING_APPLICATION_JSON", "{\"faultline\":{\"peers\":{\"" + PAYMENT_PEER
					+ "\":{\"instances\":[],\"discovery\":{\"service-id\":\"" + PAYMENT_PEER
					+ "\"},\"routing\":\"balanced\"}}}}");
		this.order = order.build();
		this.orders = new OrderClient(this.order.url());

		// The images first, then the database, then every service side by side: the
		// replicas create its schema together (Flyway's lock on its history table).
		this.replicas.get(0).container().prepareImage();
		this.order.prepareImage();
		this.database.start();
		long started = System.nanoTime();
		List<CompletableFuture<Void>> starting = new ArrayList<>();
		replicas().forEach((replica) -> starting.add(CompletableFuture.runAsync(replica.container()::start)));
		starting.add(CompletableFuture.runAsync(this.order::start));
		CompletableFuture.allOf(starting.toArray(CompletableFuture[]::new)).join();
		logger.info("{} payment replicas and order-service ready in {} ms", REPLICAS,
				Duration.ofNanos(System.nanoTime() - started).toMillis());
		awaitAllAvailable(STEADY_STATE_TIMEOUT);
		warmUp();
	}

	private Replica newReplica(int number) {
		String id = "payment-" + number;
		int[] ports = FreePorts.pick(2);
		ServiceContainer.Builder payment = ServiceContainer.builder("payment-service", this.settings.paymentJar())
			.port(ports[0])
			.managementPort(ports[1])
			.javaOptions(REPLICA_JAVA)
			.limits(REPLICA_CPUS, REPLICA_MEMORY)
			// The database every replica shares.
			.environment("SPRING_DATASOURCE_URL", this.database.jdbcUrl())
			.property("payment.faults.token", this.faultToken)
			.property("eureka.client.service-url.defaultZone", eurekaUrl());
		eurekaClient(payment).environment("EUREKA_CLIENT_FETCHREGISTRY", false)
			.environment("EUREKA_CLIENT_INITIALINSTANCEINFOREPLICATIONINTERVALSECONDS", 1)
			.environment("EUREKA_INSTANCE_INSTANCEID", id)
			.environment("EUREKA_INSTANCE_HOSTNAME", "127.0.0.1")
			.environment("EUREKA_INSTANCE_PREFERIPADDRESS", true)
			.environment("EUREKA_INSTANCE_IPADDRESS", "127.0.0.1")
			.environment("EUREKA_INSTANCE_NONSECUREPORT", ports[0])
			.environment("EUREKA_INSTANCE_LEASERENEWALINTERVALINSECONDS", 1)
			.environment("EUREKA_INSTANCE_LEASEEXPIRATIONDURATIONINSECONDS", 3);
		ServiceContainer container = payment.build();
		return new Replica(id, container, new PaymentClient(container.url(), container.managementUrl(), this.faultToken));
	}

	private static ServiceContainer.Builder eurekaClient(ServiceContainer.Builder service) {
		return service.environment("EUREKA_CLIENT_ENABLED", true)
			.environment("EUREKA_CLIENT_REGISTRYFETCHINTERVALSECONDS", 1);
	}

	private String eurekaUrl() {
		return this.registry.url() + "/eureka/";
	}

	/**
	 * Places orders until several in a row are paid and scheduled well within payment's
	 * time limit, as {@link SampleShop} does: cold JVMs on half a CPU each would otherwise
	 * leave the first orders pending.
	 */
	private void warmUp() {
		long started = System.nanoTime();
		AtomicInteger placed = new AtomicInteger();
		AtomicInteger streak = new AtomicInteger();
		Awaitility.await("services warmed up")
			.atMost(WARM_UP_TIMEOUT)
			.pollInterval(Duration.ofMillis(100))
			.until(() -> {
				Placement placement = this.orders.place(OrderRequest.of(WARM_UP_CUSTOMER));
				placed.incrementAndGet();
				boolean warm = placement.order() != null
						&& Order.DELIVERY_SCHEDULED.equals(placement.order().status())
						&& placement.elapsed().compareTo(WARM_ORDER_TIME) < 0;
				if (!warm) {
					streak.set(0);
					return false;
				}
				return streak.incrementAndGet() >= WARM_ORDERS_IN_A_ROW;
			});
		logger.info("Warmed up with {} orders in {} ms", placed.get(),
				Duration.ofNanos(System.nanoTime() - started).toMillis());
	}

	private void printLogTails(String test) {
		for (ServiceContainer service : services()) {
			List<String> lines = service.logs().lines().toList();
			List<String> tail = lines.subList(Math.max(0, lines.size() - LOG_LINES_ON_FAILURE), lines.size());
			System.out.printf("%n===== %s failed: last %d lines of %s =====%n%s%n===== end of %s =====%n", test,
					tail.size(), service.name(), String.join(System.lineSeparator(), tail), service.name());
		}
	}

	private void remove(String logsFolder) {
		Path folder = this.settings.logsDir().resolve(logsFolder);
		RuntimeException failure = null;
		List<ServiceContainer> services = new ArrayList<>();
		// Order first: it would only log the replicas' disappearance.
		services.add(this.order);
		replicas().forEach((replica) -> services.add(replica.container()));
		services.add(this.registry);
		int replica = 0;
		for (ServiceContainer service : services.stream().filter(Objects::nonNull).toList()) {
			String file = service.name().equals("payment-service") ? replicas().get(replica++).id() : service.name();
			try {
				service.saveLogs(folder.resolve(file + ".log"));
			}
			catch (RuntimeException ex) {
				failure = (failure != null) ? failure : ex;
			}
			try {
				service.close();
			}
			catch (RuntimeException ex) {
				failure = (failure != null) ? failure : ex;
			}
		}
		// The database last, once no replica uses it.
		if (this.database != null) {
			try {
				this.database.saveLogs(folder.resolve("payment-database.log"));
				this.database.close();
			}
			catch (RuntimeException ex) {
				failure = (failure != null) ? failure : ex;
			}
		}
		this.order = null;
		this.registry = null;
		this.database = null;
		this.replicas.clear();
		if (failure != null) {
			throw failure;
		}
	}

	private List<ServiceContainer> services() {
		List<ServiceContainer> services = new ArrayList<>();
		services.add(this.registry);
		replicas().forEach((replica) -> services.add(replica.container()));
		services.add(this.order);
		return services.stream().filter(Objects::nonNull).toList();
	}

	/**
	 * One payment replica.
	 *
	 * @param id its instance id in the registry, which order-service names it by
	 * @param container its container
	 * @param payments a client of its API and fault endpoint
	 */
	public record Replica(String id, ServiceContainer container, PaymentClient payments) {
	}

	/**
	 * One payment instance as order-service's {@code /actuator/faultline} shows it.
	 *
	 * @param available whether its detector trusts it
	 * @param active whether it gets traffic
	 * @param phi its φ
	 * @param requests the requests sent to it so far
	 * @param requestsInFlight the requests to it not answered yet
	 */
	public record InstanceView(boolean available, boolean active, double phi, long requests, long requestsInFlight) {

		static InstanceView of(Map<?, ?> json) {
			return new InstanceView(Boolean.TRUE.equals(json.get("available")), Boolean.TRUE.equals(json.get("active")),
					number(json.get("phi")), (long) number(json.get("requests")),
					(long) number(json.get("requestsInFlight")));
		}

		private static double number(Object value) {
			return (value instanceof Number number) ? number.doubleValue() : Double.NaN;
		}

	}

}
