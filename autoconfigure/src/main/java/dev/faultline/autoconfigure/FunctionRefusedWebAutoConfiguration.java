package dev.faultline.autoconfigure;

import dev.faultline.function.BusinessFunctions;
import dev.faultline.web.FunctionRefusedExceptionHandler;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication.Type;
import org.springframework.context.annotation.Bean;
import org.springframework.web.servlet.DispatcherServlet;

/**
 * Auto-configuration of the answer a Spring MVC application gives to a call that a
 * business function without a fallback refused: {@code 503}, {@code Retry-After} and an
 * RFC 9457 problem body, whether or not {@code spring.mvc.problemdetails.enabled} is set.
 */
@AutoConfiguration(after = BusinessFunctionAutoConfiguration.class)
@ConditionalOnWebApplication(type = Type.SERVLET)
@ConditionalOnClass({ DispatcherServlet.class, BusinessFunctions.class })
@ConditionalOnBean(BusinessFunctions.class)
@ConditionalOnBooleanProperty(name = "faultline.web.refusals.enabled", matchIfMissing = true)
public final class FunctionRefusedWebAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	FunctionRefusedExceptionHandler functionRefusedExceptionHandler() {
		return new FunctionRefusedExceptionHandler();
	}

}
