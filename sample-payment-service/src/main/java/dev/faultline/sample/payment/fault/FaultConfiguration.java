package dev.faultline.sample.payment.fault;

import dev.faultline.sample.payment.web.ProblemResponseWriter;

import org.springframework.boot.actuate.endpoint.web.PathMappedEndpoints;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

/**
 * Fault injection on the main server and the endpoint that switches it.
 */
@Configuration(proxyBeanMethods = false)
class FaultConfiguration {

	/**
	 * Just after Spring Boot's observation filter, so that injected latency and errors show
	 * in the {@code http.server.requests} metrics, and before anything reads the request.
	 */
	static final int FAULT_INJECTION_ORDER = Ordered.HIGHEST_PRECEDENCE + 10;

	@Bean
	FaultInjector faultInjector(FaultProperties properties) {
		return new FaultInjector(properties.getMaxHang());
	}

	@Bean
	ResourceFaults resourceFaults() {
		// More threads than a container's CPU quota lets run: a burn takes all of it.
		return new ResourceFaults(Math.max(4, 2 * Runtime.getRuntime().availableProcessors()));
	}

	@Bean
	FaultsEndpoint faultsEndpoint(FaultInjector injector, ResourceFaults resources) {
		return new FaultsEndpoint(injector, resources);
	}

	@Bean
	FilterRegistrationBean<FaultInjectionFilter> faultInjectionFilter(FaultInjector injector,
			PathMappedEndpoints endpoints, ProblemResponseWriter problems) {
		FilterRegistrationBean<FaultInjectionFilter> registration = new FilterRegistrationBean<>(
				new FaultInjectionFilter(injector, new FaultSwitchPath(endpoints), problems));
		registration.setOrder(FAULT_INJECTION_ORDER);
		return registration;
	}

	@Bean
	FaultsClearedOnShutdown faultsClearedOnShutdown(FaultInjector injector, ResourceFaults resources) {
		return new FaultsClearedOnShutdown(injector, resources);
	}

	/**
	 * Clears the faults when the service stops, before the web server's graceful shutdown
	 * (a lower phase), which would otherwise wait its whole timeout for requests that a
	 * hang holds.
	 */
	static final class FaultsClearedOnShutdown implements SmartLifecycle {

		private final FaultInjector injector;

		private final ResourceFaults resources;

		private volatile boolean running;

		FaultsClearedOnShutdown(FaultInjector injector, ResourceFaults resources) {
			this.injector = injector;
			this.resources = resources;
		}

		@Override
		public void start() {
			this.running = true;
		}

		@Override
		public void stop() {
			this.injector.clear();
			this.resources.clear();
			this.running = false;
		}

		@Override
		public boolean isRunning() {
			return this.running;
		}

	}

}
