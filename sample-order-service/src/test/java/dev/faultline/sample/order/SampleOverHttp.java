package dev.faultline.sample.order;

import java.util.List;

import org.springframework.http.HttpEntity;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.client.NoOpResponseErrorHandler;
import org.springframework.web.client.RestTemplate;
import org.springframework.web.util.DefaultUriBuilderFactory;

/**
 * The sample order service as its customers reach it, over HTTP on 127.0.0.1.
 */
final class SampleOverHttp {

	private final RestTemplate rest;

	SampleOverHttp(int port) {
		// A plain RestTemplate, every status answered: TestRestTemplate moved module in Boot 4.
		this.rest = new RestTemplate();
		this.rest.setUriTemplateHandler(new DefaultUriBuilderFactory("http://127.0.0.1:" + port));
		this.rest.setErrorHandler(new NoOpResponseErrorHandler());
	}

	/** Places an order of the given customer, whatever the answer. */
	ResponseEntity<String> placeOrder(String customer) {
		HttpHeaders headers = new HttpHeaders();
		headers.setContentType(MediaType.APPLICATION_JSON);
		return this.rest.exchange("/orders", HttpMethod.POST, new HttpEntity<>("{\"customer\":\"" + customer
				+ "\",\"amount\":12.50,\"currency\":\"EUR\",\"postcode\":\"1011 AB\"}", headers), String.class);
	}

	/** Gets a path in the given type, whatever the answer. */
	ResponseEntity<String> get(String path, MediaType accept) {
		HttpHeaders headers = new HttpHeaders();
		headers.setAccept(List.of(accept));
		return this.rest.exchange(path, HttpMethod.GET, new HttpEntity<>(headers), String.class);
	}

}
