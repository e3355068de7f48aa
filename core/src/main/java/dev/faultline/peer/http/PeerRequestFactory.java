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
 * Sends each request to an instance of a peer, as the peer's routing picks it, sends it
 * to the next one when it cannot have reached the first (see {@link Resend}), and counts
 * every response as a passive heartbeat of the instance that gave it.
 *
 * <p>
 * A request that reached an instance and then failed or timed out is not repeated unless
 * it is idempotent and the peer's {@link Resend} says so; otherwise its caller decides.
 */
public final class PeerRequestFactory implements ClientHttpRequestFactory {

	private final Peer peer;

	private final ClientHttpRequestFactory delegate;

	private final Resend resend;

	/**
	 * Creates a factory for requests to one peer that sends a request elsewhere only when
	 * it cannot have reached the instance.
	 * @param peer the peer
	 * @param delegate the factory that makes the real requests, with their timeouts
	 */
	public PeerRequestFactory(Peer peer, ClientHttpRequestFactory delegate) {
		this(peer, delegate, Resend.connectFailuresOnly());
	}

	/**
	 * Creates a factory for requests to one peer.
	 * @param peer the peer
	 * @param delegate the factory that makes the real requests, with their timeouts
	 * @param resend when a failed request goes to the next instance
	 */
	public PeerRequestFactory(Peer peer, ClientHttpRequestFactory delegate, Resend resend) {
		this.peer = peer;
		this.delegate = delegate;
		this.resend = resend;
	}

	@Override
	public ClientHttpRequest createRequest(URI uri, HttpMethod httpMethod) {
		return new RoutedRequest(uri, httpMethod);
	}

	private final class RoutedRequest extends AbstractClientHttpRequest {

		private final URI uri;

		private final HttpMethod method;

		// Buffered, so the same body can go to a second instance.
		private final ByteArrayOutputStream body = new ByteArrayOutputStream(256);

		RoutedRequest(URI uri, HttpMethod method) {
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
			List<IOException> failures = new ArrayList<>();
			List<String> failedOn = new ArrayList<>();
			List<PeerInstance> order = PeerRequestFactory.this.peer.requestOrder();
			if (order.isEmpty()) {
				throw new ConnectException("Peer '" + PeerRequestFactory.this.peer.getName()
						+ "' has no instance to send to: discovery lists none under service id '"
						+ PeerRequestFactory.this.peer.getServiceId() + "'");
			}
			for (int i = 0; i < order.size(); i++) {
				PeerInstance instance = order.get(i);
				boolean last = i == order.size() - 1;
				URI target = instance.resolve(this.uri);
				ClientHttpResponse response;
				instance.requestStarted();
				try {
					response = send(target, headers, body);
				}
				catch (IOException ex) {
					failures.add(ex);
					failedOn.add(instance.getName() + " (" + target + ")");
					if (last || !PeerRequestFactory.this.resend.after(this.method, ex)) {
						throw failed(failures, failedOn);
					}
					continue;
				}
				finally {
					instance.requestEnded();
				}
				int status = response.getStatusCode().value();
				instance.responded(status);
				if (!last && !instance.getHeartbeat().isHeartbeat(status)
						&& PeerRequestFactory.this.resend.afterGatewayStatus(this.method)) {
					response.close();
					continue;
				}
				return response;
			}
			// Unreachable: the last instance returns its response or throws.
			throw failed(failures, failedOn);
		}

		private ClientHttpResponse send(URI target, HttpHeaders headers, byte[] body) throws IOException {
			ClientHttpRequest request = PeerRequestFactory.this.delegate.createRequest(target, this.method);
			// Name by name: HttpHeaders is a Map on Spring Framework 6 and not on 7, and
			// this jar runs on both.
			headers.forEach((name, values) -> request.getHeaders().addAll(name, values));
			if (body.length > 0) {
				try (OutputStream out = request.getBody()) {
					out.write(body);
				}
			}
			return request.execute();
		}

		// A connection refused everywhere is a ConnectException naming the instances (the
		// request's own URL is only the placeholder); any other last failure is thrown as
		// it is, of its own type, with the failures before it suppressed.
		private IOException failed(List<IOException> failures, List<String> failedOn) {
			IOException last = failures.get(failures.size() - 1);
			List<IOException> earlier = failures.subList(0, failures.size() - 1);
			if (!failures.stream().allMatch(ConnectException.class::isInstance)) {
				earlier.forEach(last::addSuppressed);
				return last;
			}
			ConnectException refused = refusedBy(PeerRequestFactory.this.peer, failedOn);
			refused.initCause(last);
			earlier.forEach(refused::addSuppressed);
			return refused;
		}

	}

	/**
	 * Returns the failure of a request that no instance of the peer took the connection
	 * of, naming the instances tried (the request's own URL is only the placeholder).
	 * @param peer the peer
	 * @param failedOn each instance tried, as {@code name (url)}
	 * @return the exception, without a cause
	 */
	static ConnectException refusedBy(Peer peer, List<String> failedOn) {
		return new ConnectException("Connection refused by peer '" + peer.getName() + "' instance"
				+ ((failedOn.size() > 1) ? "s " : " ") + String.join(", ", failedOn));
	}

}
