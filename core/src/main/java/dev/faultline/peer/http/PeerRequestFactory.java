package dev.faultline.peer.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;

import dev.faultline.peer.Peer;
import dev.faultline.peer.PeerInstance;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.client.AbstractClientHttpRequest;
import org.springframework.http.client.ClientHttpRequest;
import org.springframework.http.client.ClientHttpRequestFactory;
import org.springframework.http.client.ClientHttpResponse;

/**
 * Sends each request to a peer's active instance, falling over to the next instance when
 * the connection is refused, and counts every response as a passive heartbeat of the
 * instance that gave it.
 *
 * <p>
 * Only a refused connection is tried again elsewhere: the request never reached the
 * instance, so even a {@code POST} cannot have been applied twice. A request that
 * reached an instance and then failed or timed out is not repeated; its caller decides.
 */
public final class PeerRequestFactory implements ClientHttpRequestFactory {

	private final Peer peer;

	private final ClientHttpRequestFactory delegate;

	/**
	 * Creates a factory for requests to one peer.
	 * @param peer the peer
	 * @param delegate the factory that makes the real requests, with their timeouts
	 */
	public PeerRequestFactory(Peer peer, ClientHttpRequestFactory delegate) {
		this.peer = peer;
		this.delegate = delegate;
	}

	@Override
	public ClientHttpRequest createRequest(URI uri, HttpMethod httpMethod) {
		return new FailoverRequest(uri, httpMethod);
	}

	private final class FailoverRequest extends AbstractClientHttpRequest {

		private final URI uri;

		private final HttpMethod method;

		// Buffered, so the same body can go to a second instance after a refused connection.
		private final ByteArrayOutputStream body = new ByteArrayOutputStream(256);

		FailoverRequest(URI uri, HttpMethod method) {
			this.uri = uri;
			this.method = method;
		}

		@Override
		public HttpMethod getMethod() {
			return this.method;
		}

		@Override
		public URI getURI() {
			return this.uri;
		}

		@Override
		protected OutputStream getBodyInternal(HttpHeaders headers) {
			return this.body;
		}

		@Override
		protected ClientHttpResponse executeInternal(HttpHeaders headers) throws IOException {
			byte[] body = this.body.toByteArray();
			List<ConnectException> refusals = new ArrayList<>();
			List<String> refusedBy = new ArrayList<>();
			for (PeerInstance instance : PeerRequestFactory.this.peer.failoverOrder()) {
				URI target = instance.resolve(this.uri);
				ClientHttpRequest request = PeerRequestFactory.this.delegate.createRequest(target, this.method);
				// Name by name: HttpHeaders is a Map on Spring Framework 6 and not on 7, and
				// this jar runs on both.
				headers.forEach((name, values) -> request.getHeaders().addAll(name, values));
				if (body.length > 0) {
					try (OutputStream out = request.getBody()) {
						out.write(body);
					}
				}
				try {
					ClientHttpResponse response = request.execute();
					instance.responded(response.getStatusCode().value());
					return response;
				}
				catch (ConnectException ex) {
					refusals.add(ex);
					refusedBy.add(instance.getName() + " (" + target + ")");
				}
			}
			throw refused(refusals, refusedBy);
		}

		// Names the instances that refused: the request's own URL is only the placeholder.
		private ConnectException refused(List<ConnectException> refusals, List<String> refusedBy) {
			ConnectException refused = new ConnectException("Connection refused by peer '"
					+ PeerRequestFactory.this.peer.getName() + "' instance" + ((refusedBy.size() > 1) ? "s " : " ")
					+ String.join(", ", refusedBy));
			if (!refusals.isEmpty()) {
				refused.initCause(refusals.get(refusals.size() - 1));
				refusals.subList(0, refusals.size() - 1).forEach(refused::addSuppressed);
			}
			return refused;
		}

	}

}
