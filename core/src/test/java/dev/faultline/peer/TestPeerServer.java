package dev.faultline.peer;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A real HTTP server on 127.0.0.1 that plays a peer in tests: it answers every path with
 * a chosen status, can hang (accept and never answer) and can be stopped and started
 * again on the same port.
 */
public final class TestPeerServer implements AutoCloseable {

	private int port;

	private final AtomicInteger requests = new AtomicInteger();

	private volatile int status = 200;

	private volatile CountDownLatch hang;

	private HttpServer server;

	private ExecutorService executor;

	private TestPeerServer() {
	}

	/**
	 * Starts a server on a free port.
	 * @return the running server
	 */
	public static synchronized TestPeerServer start() {
		TestPeerServer peer = new TestPeerServer();
		peer.bind(0);
		peer.port = peer.server.getAddress().getPort();
		return peer;
	}

	private void bind(int port) {
		try {
			this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 50);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		this.executor = Executors.newCachedThreadPool();
		this.server.setExecutor(this.executor);
		this.server.createContext("/", this::handle);
		this.server.start();
	}

	private void handle(HttpExchange exchange) throws IOException {
		this.requests.incrementAndGet();
		CountDownLatch latch = this.hang;
		if (latch != null) {
			try {
				latch.await();
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
		byte[] body = ("{\"status\":\"" + ((this.status / 100 == 2) ? "UP" : "DOWN") + "\"}")
			.getBytes(StandardCharsets.UTF_8);
		exchange.getResponseHeaders().add("Content-Type", "application/json");
		exchange.sendResponseHeaders(this.status, body.length);
		try (OutputStream out = exchange.getResponseBody()) {
			out.write(body);
		}
	}

	/**
	 * Returns the base URL of this server.
	 * @return the URL
	 */
	public URI uri() {
		return URI.create("http://127.0.0.1:" + this.port);
	}

	/**
	 * Sets the status every request gets from now on.
	 * @param status the HTTP status
	 */
	public void answer(int status) {
		this.status = status;
	}

	/**
	 * Makes every request from now on wait until {@link #release()}.
	 */
	public void hang() {
		this.hang = new CountDownLatch(1);
	}

	/**
	 * Lets waiting requests and new ones be answered again.
	 */
	public void release() {
		CountDownLatch latch = this.hang;
		this.hang = null;
		if (latch != null) {
			latch.countDown();
		}
	}

	/**
	 * Returns how many requests arrived so far.
	 * @return the count
	 */
	public int requests() {
		return this.requests.get();
	}

	/**
	 * Stops the server: new connections are refused.
	 */
	public synchronized void stop() {
		if (this.server != null) {
			release();
			this.server.stop(0);
			this.executor.shutdownNow();
			awaitTermination();
			this.server = null;
		}
	}

	/**
	 * Starts the server again on the same port.
	 */
	public synchronized void restart() {
		if (this.server == null) {
			bind(this.port);
		}
	}

	private void awaitTermination() {
		try {
			this.executor.awaitTermination(5, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	@Override
	public void close() {
		stop();
	}

}
