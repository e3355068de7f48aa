package dev.faultline.peer;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.URI;

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
			ConnectException refused = null;
			for (PeerInstance instance : PeerRequestFactory.this.peer.failoverOrder()) {
				ClientHttpRequest request = PeerRequestFactory.this.delegate.createRequest(instance.resolve(this.uri),
						this.method);
				request.getHeaders().putAll(headers);
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
					if (refused != null) {
						ex.addSuppressed(refused);
					}
					refused = ex;
				}
			}
			throw refused;
		}

	}

}
