package dev.faultline.peer.http;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;

import dev.faultline.peer.PeerRegistry;

import org.springframework.web.reactive.function.client.WebClient;

/**
 * A ready {@link WebClient} per peer, the reactive twin of {@link PeerRestClients}:
 * requests use paths only; each goes to an instance as the peer's routing picks it, moves
 * on to the next when it cannot have reached it, and counts as a passive heartbeat.
 *
 * <pre class="code">
 * Mono&lt;Receipt&gt; receipt = peers.get("payment-service").post().uri("/payments").bodyValue(payment)
 *         .retrieve().bodyToMono(Receipt.class);
 * </pre>
 */
public final class PeerWebClients {

	private final Map<String, WebClient> clients;

	/**
	 * Creates a client for every peer of the registry.
	 * @param registry the peers
	 * @param builders a fresh builder for each client, such as Spring Boot's
	 * @param resends when each peer's failed requests go to its next instance, by the
	 * peer's name
	 */
	public PeerWebClients(PeerRegistry registry, Supplier<WebClient.Builder> builders,
			Function<String, Resend> resends) {
		Map<String, WebClient> clients = new LinkedHashMap<>();
		registry.getPeers().forEach((name, peer) -> clients.put(name, builders.get()
			.clone()
			.baseUrl(PeerRestClients.BASE_URL)
			// Last, so the application's filters see the request as it was made.
			.filters((filters) -> {
				filters.removeIf(PeerRestClients::isLoadBalancer);
				filters.add(new PeerExchangeFilter(peer, resends.apply(name)));
			})
			.build()));
		this.clients = Collections.unmodifiableMap(clients);
	}

	/**
	 * Returns the client of the named peer.
	 * @param peer the peer's name, as declared under {@code faultline.peers}
	 * @return its client
	 * @throws IllegalArgumentException if no peer of that name is declared
	 */
	public WebClient get(String peer) {
		WebClient client = this.clients.get(peer);
		if (client == null) {
			throw new IllegalArgumentException("No peer '" + peer + "' is declared; declared peers: "
					+ this.clients.keySet() + ". Declare it under faultline.peers." + peer);
		}
		return client;
	}

}
