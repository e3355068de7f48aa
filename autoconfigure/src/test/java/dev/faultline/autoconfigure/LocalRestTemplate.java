package dev.faultline.autoconfigure;

import org.springframework.http.client.SimpleClientHttpRequestFactory;
import org.springframework.web.client.NoOpResponseErrorHandler;
import org.springframework.web.client.RestTemplate;
import org.springframework.web.util.DefaultUriBuilderFactory;

/**
 * A plain {@link RestTemplate} on the test's own server, answering every status instead
 * of throwing: what Spring Boot's {@code TestRestTemplate} gives, from Spring Framework
 * alone, so the same tests run on both Boot lines (Boot 4 moved that class).
 */
final class LocalRestTemplate {

	private LocalRestTemplate() {
	}

	static RestTemplate on(int port) {
		RestTemplate rest = new RestTemplate(new SimpleClientHttpRequestFactory());
		rest.setUriTemplateHandler(new DefaultUriBuilderFactory("http://127.0.0.1:" + port));
		rest.setErrorHandler(new NoOpResponseErrorHandler());
		return rest;
	}

}
