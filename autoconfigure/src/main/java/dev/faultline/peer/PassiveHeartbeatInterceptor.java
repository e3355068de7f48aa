package dev.faultline.peer;

import java.io.IOException;

import org.springframework.http.HttpRequest;
import org.springframework.http.client.ClientHttpRequestExecution;
import org.springframework.http.client.ClientHttpRequestInterceptor;
import org.springframework.http.client.ClientHttpResponse;

/**
 * Turns every response that this service's own {@code RestClient} or
 * {@code RestTemplate} traffic gets from a peer into a passive heartbeat. Any status
 * counts: a 500 still proves the process is there to answer.
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
		this.registry.instanceFor(request.getURI())
			.ifPresent((instance) -> instance.heartbeat(HeartbeatKind.PASSIVE));
		return response;
	}

}
