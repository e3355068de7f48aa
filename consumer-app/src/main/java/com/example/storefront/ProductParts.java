package com.example.storefront;

import dev.faultline.function.BusinessFunction;
import dev.faultline.peer.http.PeerRestClients;

import org.springframework.stereotype.Service;

/**
 * Fetches each part of a product page from its peer, one business function per part, each
 * with a fallback so a page always renders.
 */
@Service
public class ProductParts {

	private final PeerRestClients peers;

	public ProductParts(PeerRestClients peers) {
		this.peers = peers;
	}

	@BusinessFunction(value = "product", fallbackMethod = "noDetails")
	public String details(String id) {
		return fetch("catalog", "/products/{id}", id);
	}

	@BusinessFunction(value = "price", fallbackMethod = "noPrice")
	public String price(String id) {
		return fetch("pricing", "/prices/{id}", id);
	}

	@BusinessFunction(value = "stock", fallbackMethod = "noStock")
	public String stock(String id) {
		return fetch("inventory", "/stock/{id}", id);
	}

	@BusinessFunction(value = "reviews", fallbackMethod = "noReviews")
	public String reviews(String id) {
		return fetch("reviews", "/reviews/{id}", id);
	}

	String noDetails(String id, Throwable cause) {
		return ProductPage.NO_DETAILS;
	}

	String noPrice(String id, Throwable cause) {
		return ProductPage.NO_PRICE;
	}

	String noStock(String id, Throwable cause) {
		return ProductPage.NO_STOCK;
	}

	String noReviews(String id, Throwable cause) {
		return ProductPage.NO_REVIEWS;
	}

	private String fetch(String peer, String path, String id) {
		return this.peers.get(peer).get().uri(path, id).retrieve().body(String.class);
	}

}
