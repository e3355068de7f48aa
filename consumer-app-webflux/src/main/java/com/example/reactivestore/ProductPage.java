package com.example.reactivestore;

/**
 * What the shop shows for one product, each part from its own service or its fallback.
 */
public record ProductPage(String product, String price, String stock, String reviews) {

	static final String NO_DETAILS = "product details unavailable";

	static final String NO_PRICE = "price unavailable";

	static final String NO_STOCK = "stock unknown";

	static final String NO_REVIEWS = "no reviews yet";

}
