package com.example.storefront;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/**
 * Serves product pages.
 */
@RestController
public class ProductPageController {

	private final ProductParts parts;

	public ProductPageController(ProductParts parts) {
		this.parts = parts;
	}

	@GetMapping("/products/{id}")
	public ProductPage page(@PathVariable String id) {
		return new ProductPage(this.parts.details(id), this.parts.price(id), this.parts.stock(id),
				this.parts.reviews(id));
	}

}
