package dev.faultline.peer.http;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

import dev.faultline.peer.HeartbeatProbe;
import dev.faultline.peer.PeerInstance;
import dev.faultline.peer.ProbeResult;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.http.HttpMethod;
import org.springframework.http.client.ClientHttpRequest;
import org.springframework.http.client.ClientHttpRequestFactory;
import org.springframework.http.client.ClientHttpResponse;

/**
 * Probes an instance with {@code GET} on its heartbeat path and reports the status it got
 * within the heartbeat timeout, or why it got none (a refused connection, a timeout).
 * Which answers are heartbeats is the instance's rule, not the probe's. A redirect is not
 * followed: a {@code 3xx} is itself the peer's answer.
 *
 * <p>
 * Each probe is a blocking request, made with the peer's own request factory (which
 * carries the heartbeat timeout as its connect and read timeouts, and the peer's TLS
 * settings), on threads of the probe's own: at most one probe per instance is in flight,
 * so they are as many as the instances at most. Closing the probe stops those threads
 * and closes the request factories it was given, if they can be closed.
 */
public final class HttpHeartbeatProbe implements HeartbeatProbe, AutoCloseable {

	private final Function<String, ClientHttpRequestFactory> requestFactories;

	private final Map<String, ClientHttpRequestFactory> requestFactoryByPeer = new ConcurrentHashMap<>();

	private final DaemonThreads threads;

	/**
	 * Creates a probe that runs on threads of its own.
	 * @param requestFactories the request factory of each peer, by the peer's name, with
	 * the peer's heartbeat timeout as its connect and read timeouts and following no
	 * redirects
	 */
	public HttpHeartbeatProbe(Function<String, ClientHttpRequestFactory> requestFactories) {
		this(requestFactories, new DaemonThreads("probe"));
	}

	/**
	 * Creates a probe that runs on the given threads, closed with it.
	 * @param requestFactories the request factory of each peer, by the peer's name, with
	 * the peer's heartbeat timeout as its connect and read timeouts and following no
	 * redirects
	 * @param threads the threads to probe on
	 */
	public HttpHeartbeatProbe(Function<String, ClientHttpRequestFactory> requestFactories, DaemonThreads threads) {
		this.requestFactories = requestFactories;
		this.threads = threads;
	}

	@Override
	public CompletableFuture<ProbeResult> probe(PeerInstance instance) {
		Duration timeout = instance.getHeartbeat().timeout();
		try {
			return CompletableFuture.supplyAsync(() -> send(instance, timeout), this.threads.executor())
				// The request's timeouts cover connect and read apart; this bounds the whole.
				.orTimeout(timeout.toNanos(), TimeUnit.NANOSECONDS)
				.exceptionally((failure) -> noAnswer(failure, timeout));
		}
		catch (RejectedExecutionException ex) {
			return CompletableFuture.completedFuture(ProbeResult.noAnswer("probe closed"));
		}
	}

	private ProbeResult send(PeerInstance instance, Duration timeout) {
		try {
			ClientHttpRequest request = this.requestFactoryByPeer
				.computeIfAbsent(instance.getPeerName(), this.requestFactories)
				.createRequest(instance.probeUri(), HttpMethod.GET);
			request.getHeaders().set("User-Agent", "faultline-heartbeat");
			try (ClientHttpResponse response = request.execute()) {
				return ProbeResult.answered(response.getStatusCode().value());
			}
		}
		catch (IOException | RuntimeException ex) {
			return noAnswer(ex, timeout);
		}
	}

	private static ProbeResult noAnswer(Throwable failure, Duration timeout) {
		Throwable cause = failure;
		while (cause instanceof CompletionException && cause.getCause() != null) {
			cause = cause.getCause();
		}
		for (Throwable candidate = cause; candidate != null; candidate = candidate.getCause()) {
			// InterruptedIOException: SocketTimeoutException and the connect timeouts of
			// Apache HttpClient.
			if (candidate instanceof HttpTimeoutException || candidate instanceof TimeoutException
					|| candidate instanceof InterruptedIOException) {
				return ProbeResult.noAnswer("no answer within " + timeout.toMillis() + " ms");
			}
			if (candidate instanceof ConnectException) {
				return ProbeResult.noAnswer("connection refused");
			}
		}
		return ProbeResult.noAnswer(cause);
	}

	/**
	 * Returns the start of the names of the threads this probe runs on.
	 * @return such as {@code faultline-probe-1-}
	 */
	public String threadNamePrefix() {
		return this.threads.threadNamePrefix();
	}

	@Override
	public void close() throws Exception {
		this.threads.close();
		if (this.requestFactories instanceof AutoCloseable closeable) {
			closeable.close();
		}
		else {
			for (ClientHttpRequestFactory factory : this.requestFactoryByPeer.values()) {
				close(factory);
			}
		}
		this.requestFactoryByPeer.clear();
	}

	static void close(ClientHttpRequestFactory factory) throws Exception {
		if (factory instanceof DisposableBean disposable) {
			disposable.destroy();
		}
		else if (factory instanceof AutoCloseable closeable) {
			closeable.close();
		}
	}

}
