package com.example.reactivestore;

import reactor.core.publisher.Mono;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/**
 * Serves product pages, asking for the four parts at once.
 */
@RestController
public class ProductPageController {

	private final ProductParts parts;

	public ProductPageController(ProductParts parts) {
		this.parts = parts;
	}

	@GetMapping("/products/{id}")
	public Mono<ProductPage> page(@PathVariable String id) {
		return Mono.zip(this.parts.details(id), this.parts.price(id), this.parts.stock(id), this.parts.reviews(id))
			.map((parts) -> new ProductPage(parts.getT1(), parts.getT2(), parts.getT3(), parts.getT4()));
	}

}
