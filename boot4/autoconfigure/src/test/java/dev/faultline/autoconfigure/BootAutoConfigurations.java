package dev.faultline.autoconfigure;

import java.lang.annotation.Annotation;

import io.github.resilience4j.springboot.bulkhead.autoconfigure.BulkheadAutoConfiguration;
import io.github.resilience4j.springboot.circuitbreaker.autoconfigure.CircuitBreakerAutoConfiguration;
import io.github.resilience4j.springboot.timelimiter.autoconfigure.TimeLimiterAutoConfiguration;

import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration;
import org.springframework.boot.http.converter.autoconfigure.HttpMessageConvertersAutoConfiguration;
import org.springframework.boot.http.client.autoconfigure.HttpClientAutoConfiguration;
import org.springframework.boot.restclient.autoconfigure.RestClientAutoConfiguration;
import org.springframework.boot.restclient.autoconfigure.RestClientObservationAutoConfiguration;
import org.springframework.boot.restclient.autoconfigure.RestTemplateAutoConfiguration;
import org.springframework.boot.restclient.autoconfigure.RestTemplateObservationAutoConfiguration;
import org.springframework.boot.restclient.RestTemplateBuilder;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.client.RestTemplate;

/**
 * Spring Boot 4's and resilience4j-spring-boot4's auto-configurations that the tests
 * written once for both Boot lines start beside Faultline's, in the modules and packages
 * Boot 4 moved them to.
 */
final class BootAutoConfigurations {

	static final Class<?> HTTP_MESSAGE_CONVERTERS = HttpMessageConvertersAutoConfiguration.class;

	static final Class<?> HTTP_CLIENT = HttpClientAutoConfiguration.class;

	static final Class<?> REST_CLIENT = RestClientAutoConfiguration.class;

	static final Class<?> REST_TEMPLATE = RestTemplateAutoConfiguration.class;

	static final Class<?> OBSERVATION = ObservationAutoConfiguration.class;

	static final Class<?> CLIENT_OBSERVATIONS = ClientObservations.class;

	static final Class<?> METRICS = MetricsAutoConfiguration.class;

	static final Class<?> COMPOSITE_METER_REGISTRY = CompositeMeterRegistryAutoConfiguration.class;

	static final Class<?> BULKHEADS = BulkheadAutoConfiguration.class;

	static final Class<?> CIRCUIT_BREAKERS = CircuitBreakerAutoConfiguration.class;

	static final Class<?> TIME_LIMITERS = TimeLimiterAutoConfiguration.class;

	/** The property that names the SSL bundle of the application's HTTP clients. */
	static final String HTTP_CLIENT_SSL_BUNDLE = "spring.http.clients.ssl.bundle";

	static final Class<? extends Annotation> ENABLED_HEALTH_INDICATOR = ConditionalOnEnabledHealthIndicator.class;

	private BootAutoConfigurations() {
	}

	/** The observations of RestClient and RestTemplate requests: two classes on Boot 4. */
	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration({ RestClientObservationAutoConfiguration.class,
			RestTemplateObservationAutoConfiguration.class })
	static class ClientObservations {

	}

	/** resilience4j's registries, for an annotation that needs a class literal. */
	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration({ BulkheadAutoConfiguration.class, CircuitBreakerAutoConfiguration.class,
			TimeLimiterAutoConfiguration.class })
	static class Resilience4j {

	}

	/** A RestTemplate from the context's Spring Boot {@code RestTemplateBuilder}. */
	static RestTemplate restTemplate(ApplicationContext context) {
		return context.getBean(RestTemplateBuilder.class).build();
	}

}
