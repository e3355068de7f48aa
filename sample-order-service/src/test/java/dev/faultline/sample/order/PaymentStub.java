package dev.faultline.sample.order;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A real HTTP server on 127.0.0.1 that keeps the payment service's contract (idempotent
 * {@code POST /payments}, {@code /livez}) and its faults: it can hang, fail, lose the
 * answer of a charge it made, and stop and start again on the same port keeping its
 * payments, as the real service does with its database.
 */
final class PaymentStub implements AutoCloseable {

	private static final Pattern ORDER_ID = Pattern.compile("\"orderId\"\\s*:\\s*\"([^\"]+)\"");

	private final Map<String, String> paymentsByKey = new ConcurrentHashMap<>();

	private final Map<String, AtomicInteger> chargesByOrder = new ConcurrentHashMap<>();

	private final AtomicInteger requests = new AtomicInteger();

	private volatile CountDownLatch hang;

	private volatile boolean failing;

	private volatile boolean loseNextAnswer;

	private volatile long delayMillis;

	private int port;

	private HttpServer server;

	private ExecutorService executor;

	static PaymentStub start() {
		PaymentStub stub = new PaymentStub();
		stub.bind(0);
		stub.port = stub.server.getAddress().getPort();
		return stub;
	}

	private void bind(int port) {
		try {
			this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 100);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		this.executor = Executors.newCachedThreadPool();
		this.server.setExecutor(this.executor);
		this.server.createContext("/livez", (exchange) -> {
			awaitRelease();
			send(exchange, 200, "{\"status\":\"UP\"}");
		});
		this.server.createContext("/payments", this::charge);
		this.server.start();
	}

	private void charge(HttpExchange exchange) throws IOException {
		this.requests.incrementAndGet();
		awaitRelease();
		delay();
		if (this.failing) {
			send(exchange, 503, "{\"title\":\"injected fault\"}");
			return;
		}
		String key = exchange.getRequestHeaders().getFirst("Idempotency-Key");
		String body;
		try (InputStream in = exchange.getRequestBody()) {
			body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
		}
		Matcher orderId = ORDER_ID.matcher(body);
		if (key == null || !orderId.find()) {
			send(exchange, 400, "{\"title\":\"Bad Request\"}");
			return;
		}
		boolean[] created = new boolean[1];
		String paymentId = this.paymentsByKey.computeIfAbsent(key, (k) -> {
			created[0] = true;
			this.chargesByOrder.computeIfAbsent(orderId.group(1), (o) -> new AtomicInteger()).incrementAndGet();
			return UUID.randomUUID().toString();
		});
		if (this.loseNextAnswer) {
			// Charged, but the answer never arrives: the caller's time limit passes.
			this.loseNextAnswer = false;
			this.hang = new CountDownLatch(1);
			awaitRelease();
		}
		send(exchange, created[0] ? 201 : 200, "{\"id\":\"" + paymentId + "\",\"orderId\":\"" + orderId.group(1)
				+ "\",\"amount\":1.00,\"currency\":\"EUR\",\"status\":\"CHARGED\"}");
	}

	private void awaitRelease() {
		CountDownLatch latch = this.hang;
		if (latch != null) {
			try {
				latch.await(60, TimeUnit.SECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
	}

	private void delay() {
		long millis = this.delayMillis;
		if (millis > 0) {
			try {
				Thread.sleep(millis);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
	}

	private static void send(HttpExchange exchange, int status, String json) throws IOException {
		byte[] body = json.getBytes(StandardCharsets.UTF_8);
		exchange.getResponseHeaders().add("Content-Type", "application/json");
		exchange.sendResponseHeaders(status, body.length);
		try (OutputStream out = exchange.getResponseBody()) {
			out.write(body);
		}
	}

	String url() {
		return "http://127.0.0.1:" + this.port;
	}

	/** Accepts requests and never answers, liveness included, until released. */
	void hang() {
		this.hang = new CountDownLatch(1);
	}

	void release() {
		CountDownLatch latch = this.hang;
		this.hang = null;
		if (latch != null) {
			latch.countDown();
		}
	}

	/** Takes this long over every charge, as a payment service under load does. */
	void delay(Duration delay) {
		this.delayMillis = delay.toMillis();
	}

	void failing(boolean failing) {
		this.failing = failing;
	}

	/** Charges the next request, then hangs instead of answering. */
	void loseNextAnswer() {
		this.loseNextAnswer = true;
	}

	/** How many payments were created for the order: exactly-once means 1. */
	int charges(String orderId) {
		AtomicInteger charges = this.chargesByOrder.get(orderId);
		return (charges != null) ? charges.get() : 0;
	}

	/** How many orders were charged more than once: exactly-once means none. */
	long chargedTwice() {
		return this.chargesByOrder.values().stream().filter((charges) -> charges.get() > 1).count();
	}

	int paymentCount() {
		return this.paymentsByKey.size();
	}

	int requests() {
		return this.requests.get();
	}

	synchronized void stop() {
		if (this.server != null) {
			release();
			this.server.stop(0);
			this.executor.shutdownNow();
			this.server = null;
		}
	}

	synchronized void restart() {
		if (this.server == null) {
			bind(this.port);
		}
	}

	@Override
	public void close() {
		stop();
	}

}
