package dev.faultline.autoconfigure;

import dev.faultline.function.BusinessFunctions;
import dev.faultline.web.FunctionRefusedExceptionHandler;
import dev.faultline.web.ReactiveFunctionRefusedExceptionHandler;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication.Type;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Auto-configuration of the answer a Spring MVC or WebFlux application gives to a call
 * that a business function without a fallback refused: {@code 503}, {@code Retry-After}
 * and an RFC 9457 problem body, whether or not Spring's own problem details are enabled.
 */
@AutoConfiguration(after = BusinessFunctionAutoConfiguration.class)
@ConditionalOnClass(BusinessFunctions.class)
@ConditionalOnBean(BusinessFunctions.class)
@ConditionalOnBooleanProperty(name = "faultline.web.refusals.enabled", matchIfMissing = true)
public final class FunctionRefusedWebAutoConfiguration {

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnWebApplication(type = Type.SERVLET)
	@ConditionalOnClass(name = "org.springframework.web.servlet.DispatcherServlet")
	static class ServletConfiguration {

		@Bean
		@ConditionalOnMissingBean
		FunctionRefusedExceptionHandler functionRefusedExceptionHandler() {
			return new FunctionRefusedExceptionHandler();
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnWebApplication(type = Type.REACTIVE)
	@ConditionalOnClass(name = "org.springframework.web.reactive.DispatcherHandler")
	static class ReactiveConfiguration {

		@Bean
		@ConditionalOnMissingBean
		ReactiveFunctionRefusedExceptionHandler reactiveFunctionRefusedExceptionHandler() {
			return new ReactiveFunctionRefusedExceptionHandler();
		}

	}

}
