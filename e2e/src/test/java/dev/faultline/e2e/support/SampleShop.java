package dev.faultline.e2e.support;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.stream.Stream;

import org.awaitility.Awaitility;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The sample shop, end to end: payment-service and order-service in containers, order
 * pointing at payment, and clients for both. Tests begin from the steady state: order
 * trusts payment, and both are warmed up by a few orders of customer
 * {@value #WARM_UP_CUSTOMER}. Register it with {@code @RegisterExtension}:
 * in a static field the services are shared by the class's tests, in an instance field
 * every test gets new ones.
 * <p>
 * Without Docker the tests are skipped, or fail when the suite is required (see
 * {@link DockerAvailability}). When a test fails, the end of both services' logs is
 * printed; all of them are saved under {@code target/e2e-logs} when the services are
 * removed.
 */
public final class SampleShop implements BeforeAllCallback, BeforeEachCallback, AfterEachCallback, AfterAllCallback {

	/** The name order-service knows payment by. */
	public static final String PAYMENT_PEER = "payment-service";

	/** The customer of the orders placed to warm the services up. */
	public static final String WARM_UP_CUSTOMER = "warm-up";

	private static final Logger logger = LoggerFactory.getLogger(SampleShop.class);

	private static final int LOG_LINES_ON_FAILURE = 150;

	private static final Duration STEADY_STATE_TIMEOUT = Duration.ofSeconds(30);

	private static final Duration WARM_UP_TIMEOUT = Duration.ofSeconds(90);

	private static final int WARM_ORDERS_IN_A_ROW = 5;

	/** Half of order-service's payment time limit. */
	private static final Duration WARM_ORDER_TIME = Duration.ofMillis(500);

	private final SuiteSettings settings = SuiteSettings.fromSystemProperties();

	private final String faultToken = UUID.randomUUID().toString();

	private Consumer<ServiceContainer.Builder> paymentSettings = (payment) -> {
	};

	private Consumer<ServiceContainer.Builder> orderSettings = (order) -> {
	};

	private boolean sharedByClass;

	private ServiceContainer payment;

	private ServiceContainer order;

	private PaymentClient payments;

	private OrderClient orders;

	/**
	 * Adds to payment-service's settings, for example
	 * {@code payment -> payment.property("logging.level.root", "debug")}.
	 * @param settings applied to its builder before it starts
	 * @return this shop
	 */
	public SampleShop withPayment(Consumer<ServiceContainer.Builder> settings) {
		this.paymentSettings = this.paymentSettings.andThen(settings);
		return this;
	}

	/**
	 * Adds to order-service's settings, for example a shorter recovery interval.
	 * @param settings applied to its builder before it starts
	 * @return this shop
	 */
	public SampleShop withOrder(Consumer<ServiceContainer.Builder> settings) {
		this.orderSettings = this.orderSettings.andThen(settings);
		return this;
	}

	public ServiceContainer payment() {
		return this.payment;
	}

	public ServiceContainer order() {
		return this.order;
	}

	public PaymentClient payments() {
		return this.payments;
	}

	public OrderClient orders() {
		return this.orders;
	}

	/**
	 * Returns the token payment's fault endpoint asks for ({@link PaymentClient#management()}
	 * sends it already).
	 * @return the token
	 */
	public String faultToken() {
		return this.faultToken;
	}

	@Override
	public void beforeAll(ExtensionContext context) {
		this.sharedByClass = true;
		// Without Docker each test is skipped on its own (beforeEach), so that the build's
		// summary counts them as skipped.
		if (DockerAvailability.check(this.settings)) {
			start();
		}
	}

	@Override
	public void beforeEach(ExtensionContext context) {
		DockerAvailability.assumeAvailable(this.settings);
		if (!this.sharedByClass) {
			start();
		}
	}

	@Override
	public void afterEach(ExtensionContext context) {
		if (context.getExecutionException().isPresent()) {
			printLogTails(context.getDisplayName());
		}
		if (!this.sharedByClass) {
			remove(context.getRequiredTestClass().getSimpleName() + "/" + context.getRequiredTestMethod().getName());
		}
	}

	@Override
	public void afterAll(ExtensionContext context) {
		if (this.sharedByClass) {
			remove(context.getRequiredTestClass().getSimpleName());
		}
	}

	private void start() {
		int[] ports = FreePorts.pick(3);
		ServiceContainer.Builder payment = ServiceContainer.builder("payment-service", this.settings.paymentJar())
			.port(ports[0])
			// Payment's Actuator, fault endpoint included, listens on a port of its own.
			.managementPort(ports[1])
			.property("payment.data-dir", "/app/data/payment")
			.property("payment.faults.token", this.faultToken);
		this.paymentSettings.accept(payment);
		this.payment = payment.build();
		this.payments = new PaymentClient(this.payment.url(), this.payment.managementUrl(), this.faultToken);
		this.payment.start();

		ServiceContainer.Builder order = ServiceContainer.builder("order-service", this.settings.orderJar())
			.port(ports[2])
			.property("orders.data-dir", "/app/data/order")
			.property("faultline.peers." + PAYMENT_PEER + ".instances[0]", this.payment.url());
		this.orderSettings.accept(order);
		this.order = order.build();
		this.orders = new OrderClient(this.order.url());
		this.order.start();
		// Tests start from the steady state: order-service has heard from payment and trusts it.
		Awaitility.await("order-service sees " + PAYMENT_PEER + " up")
			.atMost(STEADY_STATE_TIMEOUT)
			.pollInterval(Duration.ofMillis(250))
			.ignoreExceptions()
			.until(() -> this.orders.health("peers/" + PAYMENT_PEER).isUp());
		warmUp();
	}

	/**
	 * Places orders until several in a row are paid and scheduled well within payment's
	 * time limit. Cold JVMs on two cores can take seconds over a first order, which would
	 * end pending: tests measure the services as they run in production, warmed up. The
	 * warm-up orders are real orders, paid once like any other.
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
		// Order first: it would only log payment's disappearance.
		for (ServiceContainer service : Stream.of(this.order, this.payment).filter(Objects::nonNull).toList()) {
			try {
				service.saveLogs(folder.resolve(service.name() + ".log"));
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
		this.payment = null;
		this.order = null;
		if (failure != null) {
			throw failure;
		}
	}

	private List<ServiceContainer> services() {
		return Stream.of(this.payment, this.order).filter(Objects::nonNull).toList();
	}

}
