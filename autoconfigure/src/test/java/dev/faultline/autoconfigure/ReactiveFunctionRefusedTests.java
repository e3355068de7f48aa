package dev.faultline.autoconfigure;

import dev.faultline.function.FunctionRefusedException;
import dev.faultline.function.FunctionRefusedException.Reason;
import dev.faultline.web.FunctionRefusedExceptionHandler;
import dev.faultline.web.ReactiveFunctionRefusedExceptionHandler;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.http.HttpStatus;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A refused call in a Spring WebFlux application answers 503 with Retry-After and a
 * problem, as in Spring MVC (tests that run with WebFlux and Reactor on the classpath).
 */
class ReactiveFunctionRefusedTests {

	@Test
	void reactiveWebApplicationGetsTheReactiveHandlerAndNotTheServletOne() {
		new ReactiveWebApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(BootAutoConfigurations.BULKHEADS,
					BootAutoConfigurations.CIRCUIT_BREAKERS, BootAutoConfigurations.TIME_LIMITERS,
					PeerAutoConfiguration.class, BusinessFunctionAutoConfiguration.class,
					FunctionRefusedWebAutoConfiguration.class))
			.withPropertyValues("faultline.functions.order=")
			.run((context) -> {
				assertThat(context).hasSingleBean(ReactiveFunctionRefusedExceptionHandler.class);
				assertThat(context).doesNotHaveBean(FunctionRefusedExceptionHandler.class);
			});
	}

	@Test
	void refusedMonoAnswers503WithRetryAfterAndAProblemNamingTheFunctionAndCause() {
		WebTestClient client = WebTestClient.bindToController(new Orders())
			.controllerAdvice(new ReactiveFunctionRefusedExceptionHandler())
			.build();

		client.get()
			.uri("/orders")
			.exchange()
			.expectStatus()
			.isEqualTo(HttpStatus.SERVICE_UNAVAILABLE)
			.expectHeader()
			.valueEquals("Retry-After", "1")
			.expectBody()
			.jsonPath("$.type")
			.isEqualTo(FunctionRefusedExceptionHandler.TYPE.toString())
			.jsonPath("$.function")
			.isEqualTo("order")
			.jsonPath("$.cause")
			.isEqualTo("concurrency-limit");
	}

	@RestController
	static class Orders {

		@GetMapping("/orders")
		Mono<String> orders() {
			return Mono.error(new FunctionRefusedException("order", Reason.CONCURRENCY_LIMIT,
					java.time.Duration.ofSeconds(1), null));
		}

	}

}
