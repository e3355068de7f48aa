package com.example.reactivestore;

import dev.faultline.function.BusinessFunction;
import dev.faultline.peer.http.PeerWebClients;
import reactor.core.publisher.Mono;

import org.springframework.stereotype.Service;

/**
 * Fetches each part of a product page from its peer through the peer's ready
 * {@code WebClient}, one business function per part, each with a fallback so a page
 * always renders.
 */
@Service
public class ProductParts {

	private final PeerWebClients peers;

	public ProductParts(PeerWebClients peers) {
		this.peers = peers;
	}

	@BusinessFunction(value = "product", fallbackMethod = "noDetails")
	public Mono<String> details(String id) {
		return fetch("catalog", "/products/{id}", id);
	}

	@BusinessFunction(value = "price", fallbackMethod = "noPrice")
	public Mono<String> price(String id) {
		return fetch("pricing", "/prices/{id}", id);
	}

	@BusinessFunction(value = "stock", fallbackMethod = "noStock")
	public Mono<String> stock(String id) {
		return fetch("inventory", "/stock/{id}", id);
	}

	@BusinessFunction(value = "reviews", fallbackMethod = "noReviews")
	public Mono<String> reviews(String id) {
		return fetch("reviews", "/reviews/{id}", id);
	}

	Mono<String> noDetails(String id, Throwable cause) {
		return Mono.just(ProductPage.NO_DETAILS);
	}

	Mono<String> noPrice(String id, Throwable cause) {
		return Mono.just(ProductPage.NO_PRICE);
	}

	Mono<String> noStock(String id, Throwable cause) {
		return Mono.just(ProductPage.NO_STOCK);
	}

	Mono<String> noReviews(String id, Throwable cause) {
		return Mono.just(ProductPage.NO_REVIEWS);
	}

	private Mono<String> fetch(String peer, String path, String id) {
		return this.peers.get(peer).get().uri(path, id).retrieve().bodyToMono(String.class);
	}

}
