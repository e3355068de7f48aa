package dev.faultline.peer.http;

import java.net.URI;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;

import dev.faultline.peer.PeerRegistry;

import org.springframework.http.client.ClientHttpRequestFactory;
import org.springframework.web.client.RestClient;

/**
 * A ready {@link RestClient} per peer. Requests use paths only; each goes to an instance
 * as the peer's routing picks it (the active one, or the less loaded of two available
 * ones), moves on to the next when it cannot have reached it (a refused connection, for
 * example), and counts as a passive heartbeat:
 *
 * <pre class="code">
 * Receipt receipt = peers.get("payment-service").post().uri("/payments").body(payment)
 *         .retrieve().body(Receipt.class);
 * </pre>
 */
public final class PeerRestClients implements AutoCloseable {

	/** The base URL the clients are built with; each request is sent to an instance. */
	public static final String BASE_URL = "http://faultline.peer";

	private static final String LOAD_BALANCER_PACKAGE = "org.springframework.cloud.client.loadbalancer.";

	private final Map<String, RestClient> clients;

	private final Object requestFactories;

	/**
	 * Creates a client for every peer of the registry.
	 * @param registry the peers
	 * @param builders a fresh builder for each client, such as Spring Boot's
	 * @param requestFactories the factory of real requests for each peer, by the peer's
	 * name, with its timeouts and TLS settings; closed with these clients if it is
	 * {@link AutoCloseable}
	 */
	public PeerRestClients(PeerRegistry registry, Supplier<RestClient.Builder> builders,
			Function<String, ClientHttpRequestFactory> requestFactories) {
		this(registry, builders, requestFactories, (name) -> Resend.connectFailuresOnly());
	}

	/**
	 * Creates a client for every peer of the registry.
	 * @param registry the peers
	 * @param builders a fresh builder for each client, such as Spring Boot's
	 * @param requestFactories the factory of real requests for each peer, by the peer's
	 * name, with its timeouts and TLS settings; closed with these clients if it is
	 * {@link AutoCloseable}
	 * @param resends when each peer's failed requests go to its next instance, by the
	 * peer's name
	 */
	public PeerRestClients(PeerRegistry registry, Supplier<RestClient.Builder> builders,
			Function<String, ClientHttpRequestFactory> requestFactories, Function<String, Resend> resends) {
		Map<String, RestClient> clients = new LinkedHashMap<>();
		registry.getPeers().forEach((name, peer) -> clients.put(name, ownCopy(builders.get())
			.baseUrl(BASE_URL)
			.requestFactory(new PeerRequestFactory(peer, requestFactories.apply(name), resends.apply(name)))
			.build()));
		this.clients = Collections.unmodifiableMap(clients);
		this.requestFactories = requestFactories;
	}

	private PeerRestClients(Map<String, RestClient> clients, Object requestFactories) {
		this.clients = Collections.unmodifiableMap(clients);
		this.requestFactories = requestFactories;
	}

	/**
	 * Creates plain clients, which is what Faultline provides when it is disabled: each
	 * peer's client sends every request to the one base URL given for it (Faultline gives
	 * the peer's first instance), and nothing more: no failover to another instance, no
	 * failure detection, no heartbeats. Requests use paths, as with Faultline enabled.
	 * @param baseUrls each peer's base URL, by the peer's name
	 * @param builders a fresh builder for each client, such as Spring Boot's
	 * @param requestFactories the factory of requests for each peer, by the peer's name,
	 * with its timeouts and TLS settings; closed with these clients if it is
	 * {@link AutoCloseable}
	 * @return the clients
	 */
	public static PeerRestClients direct(Map<String, URI> baseUrls, Supplier<RestClient.Builder> builders,
			Function<String, ClientHttpRequestFactory> requestFactories) {
		Map<String, RestClient> clients = new LinkedHashMap<>();
		baseUrls.forEach((name, baseUrl) -> clients.put(name, ownCopy(builders.get()).baseUrl(baseUrl.toString())
			.requestFactory(requestFactories.apply(name))
			.build()));
		return new PeerRestClients(clients, requestFactories);
	}

	// A copy, so the application's builder (a singleton, if it declared one) is left as it
	// is, and without Spring Cloud LoadBalancer's interceptor, which a @LoadBalanced builder
	// carries: it would send the placeholder base URL to the load balancer as a service
	// name. The client routes over the peer's instances itself.
	private static RestClient.Builder ownCopy(RestClient.Builder builder) {
		return builder.clone()
			.requestInterceptors((interceptors) -> interceptors
				.removeIf(PeerRestClients::isLoadBalancer));
	}

	// Spring Cloud LoadBalancer's interceptors and filters, by name: this jar needs none of it.
	static boolean isLoadBalancer(Object clientPart) {
		return clientPart.getClass().getName().startsWith(LOAD_BALANCER_PACKAGE);
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
		if (this.requestFactories instanceof AutoCloseable closeable) {
			closeable.close();
		}
	}

}
