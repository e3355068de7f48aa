package dev.faultline.peer;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import org.springframework.http.client.ClientHttpRequestFactory;
import org.springframework.http.client.JdkClientHttpRequestFactory;

/**
 * Makes the request factory of each peer's ready client: a JDK {@link HttpClient} with
 * the peer's connect and read timeouts. The clients share one executor of daemon threads
 * that closing stops, so a context that is closed leaves no thread of ours behind.
 */
public final class JdkPeerRequestFactories implements Function<Peer, ClientHttpRequestFactory>, AutoCloseable {

	private final Function<Peer, Duration> connectTimeouts;

	private final Function<Peer, Duration> readTimeouts;

	private static final AtomicInteger instances = new AtomicInteger();

	private final String threadNamePrefix = "faultline-peer-client-" + instances.incrementAndGet() + "-";

	private final AtomicInteger threads = new AtomicInteger();

	private final ExecutorService executor = Executors.newCachedThreadPool((runnable) -> {
		Thread thread = new Thread(runnable, this.threadNamePrefix + this.threads.incrementAndGet());
		thread.setDaemon(true);
		return thread;
	});

	private final List<HttpClient> clients = new CopyOnWriteArrayList<>();

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
		HttpClient client = HttpClient.newBuilder()
			.connectTimeout(this.connectTimeouts.apply(peer))
			.executor(this.executor)
			.build();
		this.clients.add(client);
		JdkClientHttpRequestFactory factory = new JdkClientHttpRequestFactory(client);
		factory.setReadTimeout(this.readTimeouts.apply(peer));
		return factory;
	}

	String threadNamePrefix() {
		return this.threadNamePrefix;
	}

	@Override
	public void close() {
		for (HttpClient client : this.clients) {
			// From Java 21 a client can be closed; on 17 its selector thread ends once the
			// client is unreachable, and the threads we gave it stop below.
			if (client instanceof AutoCloseable closeable) {
				try {
					closeable.close();
				}
				catch (Exception ex) {
					// best effort: the executor is shut down either way
				}
			}
		}
		this.clients.clear();
		this.executor.shutdownNow();
	}

}
