package com.example.storefront;

import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Service;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestClientException;

/**
 * Recommendations from a third-party engine, behind a circuit breaker of the shop's own,
 * written with resilience4j's API and configured under
 * {@code resilience4j.circuitbreaker.instances.recommendations}: no business function of
 * Faultline's.
 */
@Service
public class Recommendations {

	static final String NONE = "no recommendations";

	private final CircuitBreaker breaker;

	private final RestClient engine;

	public Recommendations(CircuitBreakerRegistry breakers, RestClient.Builder builder,
			@Value("${storefront.recommendations.url:http://127.0.0.1:8095}") String url) {
		this.breaker = breakers.circuitBreaker("recommendations");
		this.engine = builder.baseUrl(url).build();
	}

	public String forProduct(String id) {
		try {
			return this.breaker.executeSupplier(
					() -> this.engine.get().uri("/recommendations/{id}", id).retrieve().body(String.class));
		}
		catch (CallNotPermittedException | RestClientException ex) {
			return NONE;
		}
	}

	CircuitBreaker circuitBreaker() {
		return this.breaker;
	}

}
