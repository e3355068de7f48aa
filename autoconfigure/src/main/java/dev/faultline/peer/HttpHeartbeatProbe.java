package dev.faultline.peer;

import java.net.ConnectException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Probes an instance with {@code GET} on its heartbeat path and reports the status it got
 * within the heartbeat timeout, or why it got none (a refused connection, a timeout).
 * Which answers are heartbeats is the instance's rule, not the probe's.
 *
 * <p>
 * Uses the JDK {@link HttpClient} asynchronously, so a hung peer holds no thread of ours
 * while its probe waits for the timeout. Closing the probe stops the threads it created.
 */
public final class HttpHeartbeatProbe implements HeartbeatProbe, AutoCloseable {

	private final HttpClient client;

	private final HttpClientThreads threads;

	/**
	 * Creates a probe with its own HTTP/1.1 client that follows no redirects (a redirect
	 * to a login page is an answer of the peer, not of its health).
	 * @param connectTimeout the longest time to wait for a connection
	 */
	public HttpHeartbeatProbe(Duration connectTimeout) {
		this.threads = new HttpClientThreads("probe");
		this.client = this.threads.build(HttpClient.newBuilder()
			.version(HttpClient.Version.HTTP_1_1)
			.followRedirects(HttpClient.Redirect.NEVER)
			.connectTimeout(connectTimeout));
	}

	/**
	 * Creates a probe that uses the given client; closing the probe leaves it open.
	 * @param client the client
	 */
	public HttpHeartbeatProbe(HttpClient client) {
		this.client = client;
		this.threads = null;
	}

	@Override
	public CompletableFuture<ProbeResult> probe(PeerInstance instance) {
		Duration timeout = instance.getHeartbeat().timeout();
		HttpRequest request = HttpRequest.newBuilder(instance.probeUri())
			.timeout(timeout)
			.header("User-Agent", "faultline-heartbeat")
			.GET()
			.build();
		return this.client.sendAsync(request, HttpResponse.BodyHandlers.discarding())
			// The request timeout covers the exchange; this also bounds anything before it.
			.orTimeout(timeout.toNanos(), TimeUnit.NANOSECONDS)
			.handle((response, failure) -> (failure == null) ? ProbeResult.answered(response.statusCode())
					: noAnswer(failure, timeout));
	}

	private static ProbeResult noAnswer(Throwable failure, Duration timeout) {
		Throwable cause = failure;
		while (cause instanceof CompletionException && cause.getCause() != null) {
			cause = cause.getCause();
		}
		if (cause instanceof HttpTimeoutException || cause instanceof TimeoutException) {
			return ProbeResult.noAnswer("no answer within " + timeout.toMillis() + " ms");
		}
		if (cause instanceof ConnectException) {
			return ProbeResult.noAnswer("connection refused");
		}
		return ProbeResult.noAnswer(cause);
	}

	String threadNamePrefix() {
		return this.threads.threadNamePrefix();
	}

	@Override
	public void close() {
		if (this.threads != null) {
			this.threads.close();
		}
	}

}
