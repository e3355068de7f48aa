package dev.faultline.autoconfigure;

import dev.faultline.web.FunctionRefusedExceptionHandler;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.DispatcherServlet;

import static org.assertj.core.api.Assertions.assertThat;

class FunctionRefusedWebAutoConfigurationTests {

	private static final AutoConfigurations CONFIGURATIONS = AutoConfigurations.of(BootAutoConfigurations.BULKHEADS,
			BootAutoConfigurations.CIRCUIT_BREAKERS, BootAutoConfigurations.TIME_LIMITERS, PeerAutoConfiguration.class,
			BusinessFunctionAutoConfiguration.class, FunctionRefusedWebAutoConfiguration.class);

	private final WebApplicationContextRunner contextRunner = new WebApplicationContextRunner()
		.withConfiguration(CONFIGURATIONS)
		.withPropertyValues("faultline.functions.order=");

	@Test
	void servletWebApplicationGetsTheHandler() {
		this.contextRunner.run((context) -> assertThat(context).hasSingleBean(FunctionRefusedExceptionHandler.class));
	}

	@Test
	void handlerBacksOffFromTheApplicationsOwn() {
		this.contextRunner.withUserConfiguration(OwnHandlerConfiguration.class)
			.run((context) -> assertThat(context).getBean(FunctionRefusedExceptionHandler.class)
				.isSameAs(context.getBean(OwnHandlerConfiguration.class).handler));
	}

	@Test
	void propertyTurnsTheHandlerOff() {
		this.contextRunner.withPropertyValues("faultline.web.refusals.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(FunctionRefusedExceptionHandler.class));
	}

	@Test
	void disabledFaultlineHasNoHandler() {
		this.contextRunner.withPropertyValues("faultline.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(FunctionRefusedExceptionHandler.class));
	}

	@Test
	void applicationThatIsNotAServletWebApplicationHasNoHandler() {
		new ApplicationContextRunner().withConfiguration(CONFIGURATIONS)
			.withPropertyValues("faultline.functions.order=")
			.run((context) -> assertThat(context).doesNotHaveBean(FunctionRefusedExceptionHandler.class));
	}

	@Test
	void applicationWithoutSpringMvcHasNoHandler() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(DispatcherServlet.class))
			.run((context) -> assertThat(context).doesNotHaveBean(FunctionRefusedExceptionHandler.class));
	}

	@Configuration(proxyBeanMethods = false)
	static class OwnHandlerConfiguration {

		final FunctionRefusedExceptionHandler handler = new FunctionRefusedExceptionHandler();

		@Bean
		FunctionRefusedExceptionHandler ownHandler() {
			return this.handler;
		}

	}

}
