package dev.faultline.function;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import dev.faultline.peer.TestPeerServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledForJreRange;
import org.junit.jupiter.api.condition.JRE;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The point of the starter: with the payment downstream hung (a real HTTP server that
 * accepts and never answers), delivery keeps its normal latency and payment callers get
 * fallbacks within the time limit. The same traffic without Faultline, every call on the
 * callers' shared threads, collapses.
 */
class IsolationTests {

	private static final Duration DELIVERY_WORK = Duration.ofMillis(20);

	private static final Duration PAYMENT_LIMIT = Duration.ofMillis(300);

	private static final int PAYMENT_CALLERS = 16;

	private static final int DELIVERY_CALLS = 40;

	private final TestPeerServer paymentService = TestPeerServer.start();

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	private final FunctionFixtures fixtures = new FunctionFixtures();

	private final ExecutorService callers = Executors.newCachedThreadPool();

	@AfterEach
	void cleanUp() {
		this.callers.shutdownNow();
		this.paymentService.close();
		this.fixtures.close();
	}

	@Test
	void hungPaymentLeavesDeliveryAtNormalLatencyAndPaymentCallersGetFallbacksInTime() throws Exception {
		IsolatedFunction payment = this.fixtures.function("payment", 4, 4, PAYMENT_LIMIT);
		IsolatedFunction delivery = this.fixtures.function("delivery", 4, 16, Duration.ofSeconds(5));
		assertDeliveryHoldsWhilePaymentHangs(payment, delivery, "With Faultline");
	}

	@Test
	@EnabledForJreRange(min = JRE.JAVA_21, disabledReason = "virtual threads need Java 21 or later")
	void onVirtualThreadsHungPaymentLeavesDeliveryAtNormalLatencyAndPaymentCallersGetFallbacksInTime()
			throws Exception {
		IsolatedFunction payment = this.fixtures.virtualFunction("payment", 4, PAYMENT_LIMIT);
		IsolatedFunction delivery = this.fixtures.virtualFunction("delivery", 20, Duration.ofSeconds(5));
		assertDeliveryHoldsWhilePaymentHangs(payment, delivery, "With Faultline on virtual threads");
		assertThat(payment.getThreads()).isEqualTo(Threads.VIRTUAL);
		assertThat(delivery.getThreads()).isEqualTo(Threads.VIRTUAL);
	}

	private void assertDeliveryHoldsWhilePaymentHangs(IsolatedFunction payment, IsolatedFunction delivery,
			String label) throws Exception {
		List<Long> baseline = deliveryLatencies(DELIVERY_CALLS, (work) -> delivery.call(work, (cause) -> {
			throw new AssertionError("delivery failed", cause);
		}));
		this.paymentService.hang();
		AtomicBoolean stop = new AtomicBoolean();
		List<Long> paymentLatencies = Collections.synchronizedList(new ArrayList<>());
		AtomicInteger paymentFallbacks = new AtomicInteger();
		List<Future<?>> paying = keepPaying(stop, () -> {
			long start = System.nanoTime();
			String answer = payment.call(this::charge, (cause) -> "PAYMENT_PENDING");
			paymentLatencies.add(System.nanoTime() - start);
			if (answer.equals("PAYMENT_PENDING")) {
				paymentFallbacks.incrementAndGet();
			}
			return answer;
		});

		List<Long> hung = deliveryLatencies(DELIVERY_CALLS, (work) -> delivery.call(work, (cause) -> {
			throw new AssertionError("delivery call rejected or failed while payment hangs", cause);
		}));
		stop.set(true);
		this.paymentService.release();
		for (Future<?> caller : paying) {
			caller.get(30, TimeUnit.SECONDS);
		}

		System.out.printf("%s: delivery p50 %d ms -> %d ms, p99 %d ms -> %d ms while payment hangs; "
				+ "%d payment fallbacks, slowest payment answer %d ms (limit %d ms)%n", label, millis(percentile(baseline, 50)),
				millis(percentile(hung, 50)), millis(percentile(baseline, 99)), millis(percentile(hung, 99)),
				paymentFallbacks.get(), millis(Collections.max(paymentLatencies)), PAYMENT_LIMIT.toMillis());
		assertThat(delivery.rejectedCalls()).isZero();
		// Normal latency: the work itself plus scheduling noise, nowhere near a payment wait.
		assertThat(percentile(hung, 99)).isLessThan(DELIVERY_WORK.toNanos() + PAYMENT_LIMIT.toNanos());
		assertThat(paymentFallbacks).hasPositiveValue();
		// Callers never wait much past the time limit (a second of slack for a loaded machine).
		assertThat(Collections.max(paymentLatencies)).isLessThan(PAYMENT_LIMIT.plusSeconds(1).toNanos());
	}

	@Test
	void withoutFaultlineTheSameHangStallsDelivery() throws Exception {
		// The callers' shared threads, as in a service that calls payment on its request threads.
		ExecutorService shared = Executors.newFixedThreadPool(8);
		try {
			this.paymentService.hang();
			AtomicBoolean stop = new AtomicBoolean();
			List<Future<?>> paying = keepPaying(stop, () -> shared.submit(this::charge).get());

			List<Long> hung = deliveryLatencies(5, (work) -> shared.submit(work).get());
			stop.set(true);
			this.paymentService.release();
			for (Future<?> caller : paying) {
				caller.get(30, TimeUnit.SECONDS);
			}

			System.out.printf("Without Faultline: delivery p50 %d ms while payment hangs%n",
					millis(percentile(hung, 50)));
			assertThat(percentile(hung, 50)).isGreaterThan(PAYMENT_LIMIT.toNanos() * 2);
		}
		finally {
			shared.shutdownNow();
		}
	}

	private String charge() throws Exception {
		HttpRequest request = HttpRequest.newBuilder(URI.create(this.paymentService.uri() + "/payments"))
			.timeout(Duration.ofMillis(1500))
			.POST(HttpRequest.BodyPublishers.ofString("{}"))
			.build();
		return "PAID " + this.http.send(request, HttpResponse.BodyHandlers.ofString()).statusCode();
	}

	private List<Future<?>> keepPaying(AtomicBoolean stop, Callable<String> pay) throws InterruptedException {
		List<Future<?>> callers = new ArrayList<>();
		CountDownLatch started = new CountDownLatch(PAYMENT_CALLERS);
		for (int i = 0; i < PAYMENT_CALLERS; i++) {
			callers.add(this.callers.submit(() -> {
				started.countDown();
				while (!stop.get()) {
					try {
						pay.call();
					}
					catch (Exception ex) {
						// Without Faultline the caller sees the timeout; it tries again, as users do.
					}
					// Customers arrive at a human pace, not in a busy loop.
					Thread.sleep(10);
				}
				return null;
			}));
		}
		started.await(10, TimeUnit.SECONDS);
		// Let the hung calls fill whatever threads they can reach before delivery is measured.
		Thread.sleep(PAYMENT_LIMIT.toMillis());
		return callers;
	}

	private List<Long> deliveryLatencies(int calls, DeliveryCall call) throws Exception {
		List<Long> latencies = new ArrayList<>();
		for (int i = 0; i < calls; i++) {
			long start = System.nanoTime();
			call.run(() -> {
				Thread.sleep(DELIVERY_WORK.toMillis());
				return "scheduled";
			});
			latencies.add(System.nanoTime() - start);
		}
		return latencies;
	}

	private static long percentile(List<Long> values, int percentile) {
		List<Long> sorted = new ArrayList<>(values);
		Collections.sort(sorted);
		int index = (int) Math.ceil(percentile / 100.0 * sorted.size()) - 1;
		return sorted.get(Math.max(0, index));
	}

	private static long millis(long nanos) {
		return TimeUnit.NANOSECONDS.toMillis(nanos);
	}

	@FunctionalInterface
	private interface DeliveryCall {

		Object run(Callable<String> work) throws Exception;

	}

}
