package dev.faultline.peer.http;

import java.io.IOException;
import java.net.URI;
import java.util.Optional;

import dev.faultline.peer.PeerInstance;
import dev.faultline.peer.PeerRegistry;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;

import org.springframework.http.client.ClientHttpRequest;
import org.springframework.http.client.ClientHttpResponse;
import org.springframework.http.client.observation.ClientRequestObservationContext;

/**
 * Turns every response that this service's own {@code RestClient} or
 * {@code RestTemplate} traffic gets from a peer into a passive heartbeat, as the client's
 * {@code http.client.requests} observation stops. Any status counts (a 500 still proves
 * the process is there to answer) except the peer's gateway statuses, 502, 503 and 504
 * by default: behind a proxy, sidecar or ingress those are the proxy answering for a peer
 * it cannot reach.
 *
 * <p>
 * An observation handler, not a request interceptor: any interceptor on a client makes
 * Spring buffer the whole body of each of its requests, those to other services too.
 * Requests of the ready {@link PeerRestClients} go to {@link PeerRestClients#BASE_URL},
 * no instance's URL, so they are not counted here but by their own request factory.
 */
public final class PassiveHeartbeatObservationHandler implements ObservationHandler<ClientRequestObservationContext> {

	private final PeerRegistry registry;

	/**
	 * Creates a handler that reports to the given registry's instances.
	 * @param registry the peers
	 */
	public PassiveHeartbeatObservationHandler(PeerRegistry registry) {
		this.registry = registry;
	}

	@Override
	public boolean supportsContext(Observation.Context context) {
		return context instanceof ClientRequestObservationContext;
	}

	@Override
	public void onStop(ClientRequestObservationContext context) {
		ClientHttpRequest request = context.getCarrier();
		ClientHttpResponse response = context.getResponse();
		if (request == null || response == null) {
			return;
		}
		URI uri = request.getURI();
		Optional<PeerInstance> instance = this.registry.instanceFor(uri);
		if (instance.isPresent()) {
			try {
				instance.get().responded(response.getStatusCode().value());
			}
			catch (IOException ex) {
				// No status to read: nothing to count.
			}
		}
	}

}
