package dev.faultline.sample.payment.fault;

import dev.faultline.sample.payment.web.ProblemResponseWriter;

import org.springframework.boot.actuate.autoconfigure.web.ManagementContextConfiguration;
import org.springframework.boot.actuate.autoconfigure.web.ManagementContextType;
import org.springframework.boot.actuate.endpoint.web.PathMappedEndpoints;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;

/**
 * The token check in front of the {@code faults} endpoint, on the server that exposes
 * Actuator: the management server when it has its own port, else the main one. Listed in
 * {@code META-INF/spring/…ManagementContextConfiguration.imports}, never scanned.
 */
@ManagementContextConfiguration(value = ManagementContextType.ANY, proxyBeanMethods = false)
class FaultSwitchManagementConfiguration {

	@Bean
	FilterRegistrationBean<FaultTokenFilter> faultTokenFilter(FaultProperties properties,
			PathMappedEndpoints endpoints, ProblemResponseWriter problems) {
		FilterRegistrationBean<FaultTokenFilter> registration = new FilterRegistrationBean<>(
				new FaultTokenFilter(properties.getToken(), new FaultSwitchPath(endpoints), problems));
		registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
		return registration;
	}

}
