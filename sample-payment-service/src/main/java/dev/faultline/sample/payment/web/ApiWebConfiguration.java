package dev.faultline.sample.payment.web;

import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

/**
 * Servlet filters of the main server that guard the API.
 */
@Configuration(proxyBeanMethods = false)
class ApiWebConfiguration {

	/**
	 * After fault injection (a hung service reads nothing) and before anything parses the
	 * body.
	 */
	static final int BODY_LIMIT_ORDER = Ordered.HIGHEST_PRECEDENCE + 20;

	@Bean
	FilterRegistrationBean<RequestBodyLimitFilter> requestBodyLimitFilter(ApiProperties properties,
			ProblemResponseWriter problems) {
		FilterRegistrationBean<RequestBodyLimitFilter> registration = new FilterRegistrationBean<>(
				new RequestBodyLimitFilter(properties.getMaxBodySize().toBytes(), problems));
		registration.setOrder(BODY_LIMIT_ORDER);
		return registration;
	}

}
