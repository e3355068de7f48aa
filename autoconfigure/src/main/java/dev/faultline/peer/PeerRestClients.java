package dev.faultline.peer;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;

import org.springframework.http.client.ClientHttpRequestFactory;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.web.client.RestClient;

/**
 * A ready {@link RestClient} per peer. Requests use paths only; each goes to the peer's
 * active instance, falls over to a standby when the primary is suspected (or refuses the
 * connection), and counts as a passive heartbeat:
 *
 * <pre class="code">
 * Receipt receipt = peers.get("payment-service").post().uri("/payments").body(payment)
 *         .retrieve().body(Receipt.class);
 * </pre>
 *
 * <p>
 * With Faultline disabled ({@code faultline.enabled=false}) each client is
 * {@linkplain #direct(Map, Supplier, Function, Function) a plain one} on the peer's first
 * instance.
 */
public final class PeerRestClients implements AutoCloseable {

	/** The base URL the clients are built with; each request is sent to an instance. */
	public static final String BASE_URL = "http://faultline.peer";

	private final Map<String, RestClient> clients;

	private final AutoCloseable resources;

	/**
	 * Creates a client for every peer of the registry.
	 * @param registry the peers
	 * @param builders a fresh builder for each client, such as Spring Boot's
	 * @param requestFactories the factory of real requests for each peer, with its
	 * timeouts; closed with these clients if it is {@link AutoCloseable}
	 */
	public PeerRestClients(PeerRegistry registry, Supplier<RestClient.Builder> builders,
			Function<Peer, ClientHttpRequestFactory> requestFactories) {
		Map<String, RestClient> clients = new LinkedHashMap<>();
		registry.getPeers().forEach((name, peer) -> clients.put(name, builders.get()
			.baseUrl(BASE_URL)
			.requestFactory(new PeerRequestFactory(peer, requestFactories.apply(peer)))
			.build()));
		this.clients = Collections.unmodifiableMap(clients);
		this.resources = (requestFactories instanceof AutoCloseable closeable) ? closeable : null;
	}

	private PeerRestClients(Map<String, RestClient> clients, AutoCloseable resources) {
		this.clients = Collections.unmodifiableMap(clients);
		this.resources = resources;
	}

	/**
	 * Creates plain clients, which is what Faultline provides when it is disabled: each
	 * peer's client sends every request to the one base URL given for it (Faultline gives
	 * the peer's first instance), over a JDK HTTP client with the peer's connect and read
	 * timeouts, and nothing more: no failover to another instance, no failure detection,
	 * no heartbeats. Requests use paths, as with Faultline enabled.
	 * @param baseUrls each peer's base URL, by the peer's name
	 * @param builders a fresh builder for each client, such as Spring Boot's
	 * @param connectTimeouts the longest wait for a connection, by the peer's name
	 * @param readTimeouts the longest wait for a response, by the peer's name
	 * @return the clients, whose HTTP clients are closed with them
	 */
	public static PeerRestClients direct(Map<String, URI> baseUrls, Supplier<RestClient.Builder> builders,
			Function<String, Duration> connectTimeouts, Function<String, Duration> readTimeouts) {
		HttpClientThreads threads = new HttpClientThreads("peer-client");
		Map<String, RestClient> clients = new LinkedHashMap<>();
		baseUrls.forEach((name, baseUrl) -> {
			JdkClientHttpRequestFactory requestFactory = new JdkClientHttpRequestFactory(
					threads.build(HttpClient.newBuilder().connectTimeout(connectTimeouts.apply(name))));
			requestFactory.setReadTimeout(readTimeouts.apply(name));
			clients.put(name, builders.get().baseUrl(baseUrl.toString()).requestFactory(requestFactory).build());
		});
		return new PeerRestClients(clients, threads);
	}

	/**
	 * Returns the client of the named peer.
	 * @param peer the peer's name, as declared under {@code faultline.peers}
	 * @return its client
	 * @throws IllegalArgumentException if no peer of that name is declared
	 */
	public RestClient get(String peer) {
		RestClient client = this.clients.get(peer);
		if (client == null) {
			throw new IllegalArgumentException("No peer '" + peer + "' is declared; declared peers: "
					+ this.clients.keySet() + ". Declare it under faultline.peers." + peer);
		}
		return client;
	}

	/**
	 * Closes the HTTP clients behind these clients, if they were made to be closed.
	 * @throws Exception if closing them fails
	 */
	@Override
	public void close() throws Exception {
		if (this.resources != null) {
			this.resources.close();
		}
	}

}
