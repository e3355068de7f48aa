package dev.faultline.peer;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.function.Function;

import org.springframework.http.client.ClientHttpRequestFactory;
import org.springframework.http.client.JdkClientHttpRequestFactory;

/**
 * Makes the request factory of each peer's ready client: a JDK {@link HttpClient} with
 * the peer's connect and read timeouts. The clients run on threads of their own that
 * closing stops, so a context that is closed leaves no thread of ours behind.
 */
public final class JdkPeerRequestFactories implements Function<Peer, ClientHttpRequestFactory>, AutoCloseable {

	private final Function<Peer, Duration> connectTimeouts;

	private final Function<Peer, Duration> readTimeouts;

	private final HttpClientThreads threads = new HttpClientThreads("peer-client");

	/**
	 * Creates factories with each peer's timeouts.
	 * @param connectTimeouts the longest wait for a connection, per peer
	 * @param readTimeouts the longest wait for a response, per peer
	 */
	public JdkPeerRequestFactories(Function<Peer, Duration> connectTimeouts, Function<Peer, Duration> readTimeouts) {
		this.connectTimeouts = connectTimeouts;
		this.readTimeouts = readTimeouts;
	}

	@Override
	public ClientHttpRequestFactory apply(Peer peer) {
		HttpClient client = this.threads.build(HttpClient.newBuilder().connectTimeout(this.connectTimeouts.apply(peer)));
		JdkClientHttpRequestFactory factory = new JdkClientHttpRequestFactory(client);
		factory.setReadTimeout(this.readTimeouts.apply(peer));
		return factory;
	}

	String threadNamePrefix() {
		return this.threads.threadNamePrefix();
	}

	@Override
	public void close() {
		this.threads.close();
	}

}
