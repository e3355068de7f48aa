package dev.faultline.peer;

import java.io.IOException;
import java.util.Optional;

import org.springframework.http.HttpRequest;
import org.springframework.http.client.ClientHttpRequestExecution;
import org.springframework.http.client.ClientHttpRequestInterceptor;
import org.springframework.http.client.ClientHttpResponse;

/**
 * Turns every response that this service's own {@code RestClient} or
 * {@code RestTemplate} traffic gets from a peer into a passive heartbeat. Any status
 * counts (a 500 still proves the process is there to answer) except the peer's gateway
 * statuses, 502, 503 and 504 by default: behind a proxy, sidecar or ingress those are
 * the proxy answering for a peer it cannot reach.
 */
public final class PassiveHeartbeatInterceptor implements ClientHttpRequestInterceptor {

	private final PeerRegistry registry;

	/**
	 * Creates an interceptor that reports to the given registry's instances.
	 * @param registry the peers
	 */
	public PassiveHeartbeatInterceptor(PeerRegistry registry) {
		this.registry = registry;
	}

	@Override
	public ClientHttpResponse intercept(HttpRequest request, byte[] body, ClientHttpRequestExecution execution)
			throws IOException {
		ClientHttpResponse response = execution.execute(request, body);
		Optional<PeerInstance> instance = this.registry.instanceFor(request.getURI());
		if (instance.isPresent()) {
			instance.get().responded(response.getStatusCode().value());
		}
		return response;
	}

}
