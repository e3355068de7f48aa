package dev.faultline.peer.http;

import java.net.ConnectException;
import java.util.ArrayList;
import java.util.List;

import dev.faultline.peer.Peer;
import dev.faultline.peer.PeerInstance;
import reactor.core.publisher.Mono;

import org.springframework.web.reactive.function.client.ClientRequest;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.ExchangeFilterFunction;
import org.springframework.web.reactive.function.client.ExchangeFunction;
import org.springframework.web.reactive.function.client.WebClientRequestException;

/**
 * The {@code WebClient} counterpart of {@link PeerRequestFactory}: sends each request to
 * an instance of a peer as its routing picks it, to the next one when it cannot have
 * reached the first (see {@link Resend}), and counts every response as a passive heartbeat
 * of the instance that gave it. A request's path and query are kept under the instance's
 * base URL. When no instance took the connection, the error names the instances tried,
 * not the client's placeholder base URL.
 */
public final class PeerExchangeFilter implements ExchangeFilterFunction {

	private final Peer peer;

	private final Resend resend;

	/**
	 * Creates the filter for one peer.
	 * @param peer the peer
	 * @param resend when a failed request goes to the next instance
	 */
	public PeerExchangeFilter(Peer peer, Resend resend) {
		this.peer = peer;
		this.resend = resend;
	}

	@Override
	public Mono<ClientResponse> filter(ClientRequest request, ExchangeFunction next) {
		return Mono.defer(() -> {
			List<PeerInstance> order = this.peer.requestOrder();
			if (order.isEmpty()) {
				return Mono.error(new ConnectException("Peer '" + this.peer.getName()
						+ "' has no instance to send to: discovery lists none under service id '"
						+ this.peer.getServiceId() + "'"));
			}
			return attempt(request, next, order, 0, new ArrayList<>());
		});
	}

	private Mono<ClientResponse> attempt(ClientRequest request, ExchangeFunction next, List<PeerInstance> order,
			int index, List<String> refusedOn) {
		PeerInstance instance = order.get(index);
		ClientRequest routed = ClientRequest.from(request).url(instance.resolve(request.url())).build();
		return next.exchange(routed)
			.doOnSubscribe((subscription) -> instance.requestStarted())
			.doFinally((signal) -> instance.requestEnded())
			.doOnNext((response) -> instance.responded(response.statusCode().value()))
			.onErrorResume((failure) -> {
				boolean refused = refusedConnection(failure);
				if (refused) {
					refusedOn.add(instance.getName() + " (" + routed.url() + ")");
				}
				if (index + 1 < order.size() && this.resend.after(request.method(), failure)) {
					return attempt(request, next, order, index + 1, refusedOn);
				}
				return Mono.error((refused && refusedOn.size() == index + 1) ? refusedEverywhere(request, failure, refusedOn)
						: failure);
			});
	}

	// Every instance tried refused the connection: say which, as the ready RestClient does.
	private Throwable refusedEverywhere(ClientRequest request, Throwable last, List<String> refusedOn) {
		ConnectException refused = PeerRequestFactory.refusedBy(this.peer, refusedOn);
		refused.initCause(last);
		return new WebClientRequestException(refused, request.method(), request.url(), request.headers());
	}

	private static boolean refusedConnection(Throwable failure) {
		for (Throwable cause = failure; cause != null && cause.getCause() != cause; cause = cause.getCause()) {
			if (cause instanceof ConnectException) {
				return true;
			}
		}
		return false;
	}

}
