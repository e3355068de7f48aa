package dev.faultline.e2e.support;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;

import org.awaitility.Awaitility;
import org.testcontainers.containers.wait.strategy.AbstractWaitStrategy;

/**
 * Waits until a service on host networking answers 200 on its readiness URL.
 * Testcontainers' own HTTP wait asks for a mapped port, which host networking does not
 * have, so this one calls the address the test chose.
 */
final class HttpReadiness extends AbstractWaitStrategy {

	private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(2);

	private final HttpClient client = HttpClient.newBuilder()
		.version(HttpClient.Version.HTTP_1_1)
		.connectTimeout(PROBE_TIMEOUT)
		.build();

	private final URI uri;

	HttpReadiness(URI uri, Duration timeout) {
		this.uri = uri;
		withStartupTimeout(timeout);
	}

	URI uri() {
		return this.uri;
	}

	@Override
	protected void waitUntilReady() {
		Awaitility.await("readiness at " + this.uri)
			.atMost(this.startupTimeout)
			.pollInterval(Duration.ofMillis(250))
			// A service that exits while starting will never be ready: say so at once.
			.failFast("the container stopped before it was ready", () -> !this.waitStrategyTarget.isRunning())
			.until(this::ready);
	}

	private boolean ready() {
		HttpRequest request = HttpRequest.newBuilder(this.uri).timeout(PROBE_TIMEOUT).GET().build();
		try {
			return this.client.send(request, BodyHandlers.discarding()).statusCode() == 200;
		}
		catch (IOException ex) {
			return false;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
	}

}
