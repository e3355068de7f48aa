package dev.faultline.peer;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Probes an instance with {@code GET} on its heartbeat path: a 2xx answer within the
 * heartbeat timeout is a heartbeat; a refused connection, a timeout or any other status
 * is not.
 *
 * <p>
 * Uses the JDK {@link HttpClient} asynchronously, so a hung peer holds no thread of ours
 * while its probe waits for the timeout.
 */
public final class HttpHeartbeatProbe implements HeartbeatProbe {

	private final HttpClient client;

	/**
	 * Creates a probe with its own HTTP/1.1 client that follows no redirects.
	 * @param connectTimeout the longest time to wait for a connection
	 */
	public HttpHeartbeatProbe(Duration connectTimeout) {
		this(HttpClient.newBuilder()
			.version(HttpClient.Version.HTTP_1_1)
			.followRedirects(HttpClient.Redirect.NEVER)
			.connectTimeout(connectTimeout)
			.build());
	}

	/**
	 * Creates a probe that uses the given client.
	 * @param client the client
	 */
	public HttpHeartbeatProbe(HttpClient client) {
		this.client = client;
	}

	@Override
	public CompletableFuture<Boolean> probe(PeerInstance instance) {
		Duration timeout = instance.getHeartbeat().timeout();
		HttpRequest request = HttpRequest.newBuilder(instance.probeUri())
			.timeout(timeout)
			.header("User-Agent", "faultline-heartbeat")
			.GET()
			.build();
		return this.client.sendAsync(request, HttpResponse.BodyHandlers.discarding())
			// The request timeout covers the exchange; this also bounds anything before it.
			.orTimeout(timeout.toNanos(), TimeUnit.NANOSECONDS)
			.handle((response, failure) -> failure == null && response.statusCode() / 100 == 2);
	}

}
