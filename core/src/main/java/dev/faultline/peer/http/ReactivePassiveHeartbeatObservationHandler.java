package dev.faultline.peer.http;

import java.util.Optional;

import dev.faultline.peer.PeerInstance;
import dev.faultline.peer.PeerRegistry;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;

import org.springframework.web.reactive.function.client.ClientRequest;
import org.springframework.web.reactive.function.client.ClientRequestObservationContext;
import org.springframework.web.reactive.function.client.ClientResponse;

/**
 * The {@code WebClient} counterpart of {@link PassiveHeartbeatObservationHandler}: every
 * response that this service's own {@code WebClient} traffic gets from a peer instance's
 * URL is a passive heartbeat (but for the peer's gateway statuses). Requests of the ready
 * {@link PeerWebClients} are counted by their own filter instead.
 */
public final class ReactivePassiveHeartbeatObservationHandler
		implements ObservationHandler<ClientRequestObservationContext> {

	private final PeerRegistry registry;

	/**
	 * Creates a handler that reports to the given registry's instances.
	 * @param registry the peers
	 */
	public ReactivePassiveHeartbeatObservationHandler(PeerRegistry registry) {
		this.registry = registry;
	}

	@Override
	public boolean supportsContext(Observation.Context context) {
		return context instanceof ClientRequestObservationContext;
	}

	@Override
	public void onStop(ClientRequestObservationContext context) {
		ClientRequest request = context.getRequest();
		ClientResponse response = context.getResponse();
		if (request == null || response == null) {
			return;
		}
		Optional<PeerInstance> instance = this.registry.instanceFor(request.url());
		instance.ifPresent((peer) -> peer.responded(response.statusCode().value()));
	}

}
