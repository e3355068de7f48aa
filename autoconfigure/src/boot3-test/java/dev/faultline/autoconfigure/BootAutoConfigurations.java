package dev.faultline.autoconfigure;

import java.lang.annotation.Annotation;

import io.github.resilience4j.springboot3.bulkhead.autoconfigure.BulkheadAutoConfiguration;
import io.github.resilience4j.springboot3.circuitbreaker.autoconfigure.CircuitBreakerAutoConfiguration;
import io.github.resilience4j.springboot3.timelimiter.autoconfigure.TimeLimiterAutoConfiguration;

import org.springframework.boot.actuate.autoconfigure.health.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.actuate.autoconfigure.metrics.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.metrics.MetricsAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.observation.ObservationAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.observation.web.client.HttpClientObservationsAutoConfiguration;
import org.springframework.boot.autoconfigure.http.HttpMessageConvertersAutoConfiguration;
import org.springframework.boot.autoconfigure.http.client.HttpClientAutoConfiguration;
import org.springframework.boot.autoconfigure.web.client.RestClientAutoConfiguration;
import org.springframework.boot.autoconfigure.web.client.RestTemplateAutoConfiguration;
import org.springframework.boot.web.client.RestTemplateBuilder;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.client.RestTemplate;

/**
 * Spring Boot 3.5's and resilience4j-spring-boot3's auto-configurations that the tests
 * written once for both Boot lines start beside Faultline's: Boot 4 moved most of them to
 * modules and packages of their own, so each line names its own here.
 */
final class BootAutoConfigurations {

	static final Class<?> HTTP_MESSAGE_CONVERTERS = HttpMessageConvertersAutoConfiguration.class;

	static final Class<?> HTTP_CLIENT = HttpClientAutoConfiguration.class;

	static final Class<?> REST_CLIENT = RestClientAutoConfiguration.class;

	static final Class<?> REST_TEMPLATE = RestTemplateAutoConfiguration.class;

	static final Class<?> OBSERVATION = ObservationAutoConfiguration.class;

	static final Class<?> CLIENT_OBSERVATIONS = HttpClientObservationsAutoConfiguration.class;

	static final Class<?> METRICS = MetricsAutoConfiguration.class;

	static final Class<?> COMPOSITE_METER_REGISTRY = CompositeMeterRegistryAutoConfiguration.class;

	static final Class<?> BULKHEADS = BulkheadAutoConfiguration.class;

	static final Class<?> CIRCUIT_BREAKERS = CircuitBreakerAutoConfiguration.class;

	static final Class<?> TIME_LIMITERS = TimeLimiterAutoConfiguration.class;

	/** The property that names the SSL bundle of the application's HTTP clients. */
	static final String HTTP_CLIENT_SSL_BUNDLE = "spring.http.client.ssl.bundle";

	static final Class<? extends Annotation> ENABLED_HEALTH_INDICATOR = ConditionalOnEnabledHealthIndicator.class;

	private BootAutoConfigurations() {
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
