package com.example.peers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A downstream service that knows nothing of Spring or Faultline: a JDK HTTP server on
 * 127.0.0.1 that answers {@code "<name> answers <path>"}, on every path or only under one
 * prefix (404 elsewhere, as a plain service has no {@code /actuator}), or that hangs until
 * released, or that fails every request with a 500. Shared by the first applications' tests
 * (MVC and WebFlux, on both Boot lines).
 */
public final class PlainPeer implements AutoCloseable {

	/** A hung request is answered after this at the latest, so no thread waits forever. */
	private static final long LONGEST_HANG_SECONDS = 120;

	private final String name;

	private final String onlyUnder;

	private final CountDownLatch released;

	private final boolean failing;

	private final HttpServer server;

	private final ExecutorService handlers;

	private PlainPeer(String name, String onlyUnder, boolean hung, boolean failing, int port) {
		this.name = name;
		this.failing = failing;
		this.onlyUnder = onlyUnder;
		this.released = new CountDownLatch(hung ? 1 : 0);
		// Own threads, so a hung request holds one of them and the server still accepts.
		this.handlers = Executors.newFixedThreadPool(16, (runnable) -> {
			Thread thread = new Thread(runnable, "plain-peer-" + name);
			thread.setDaemon(true);
			return thread;
		});
		try {
			this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 50);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		this.server.setExecutor(this.handlers);
		this.server.createContext("/", this::handle);
		this.server.start();
	}

	/**
	 * A service that answers 200 under its application path and 404 everywhere else.
	 */
	public static PlainPeer answeringOnlyUnder(String name, String prefix) {
		return new PlainPeer(name, prefix, false, false, 0);
	}

	/**
	 * A service that answers 200 on every path.
	 */
	public static PlainPeer answeringEverywhere(String name) {
		return answeringEverywhere(name, 0);
	}

	/**
	 * A service that answers 200 on every path, on the given port.
	 */
	public static PlainPeer answeringEverywhere(String name, int port) {
		return new PlainPeer(name, null, false, false, port);
	}

	/**
	 * A service that accepts connections and answers nothing until {@link #release()}d,
	 * then 200 on every path.
	 */
	public static PlainPeer hung(String name) {
		return new PlainPeer(name, null, true, false, 0);
	}

	/**
	 * A service that answers every request, its health path included, with a 500: up,
	 * and failing.
	 */
	public static PlainPeer failing(String name) {
		return new PlainPeer(name, null, false, true, 0);
	}

	/**
	 * Returns a port on 127.0.0.1 that nothing listens on: a dead service's.
	 */
	public static int deadPort() {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	public static String url(int port) {
		return "http://127.0.0.1:" + port;
	}

	public String url() {
		return url(this.server.getAddress().getPort());
	}

	public String answerTo(String path) {
		return this.name + " answers " + path;
	}

	public void release() {
		this.released.countDown();
	}

	private void handle(HttpExchange exchange) throws IOException {
		try (exchange) {
			if (!this.released.await(LONGEST_HANG_SECONDS, TimeUnit.SECONDS)) {
				return;
			}
			String path = exchange.getRequestURI().getPath();
			boolean found = this.onlyUnder == null || path.startsWith(this.onlyUnder);
			int status = this.failing ? 500 : (found ? 200 : 404);
			String text = (status == 200) ? answerTo(path) : (status == 404) ? "Not Found" : "Internal Server Error";
			byte[] body = text.getBytes(StandardCharsets.UTF_8);
			exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
			exchange.sendResponseHeaders(status, body.length);
			exchange.getResponseBody().write(body);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	@Override
	public void close() {
		release();
		this.server.stop(0);
		this.handlers.shutdownNow();
	}

}
