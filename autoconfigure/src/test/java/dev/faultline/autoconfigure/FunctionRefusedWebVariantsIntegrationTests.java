package dev.faultline.autoconfigure;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.faultline.autoconfigure.FunctionRefusedWebIntegrationTests.RefusingApplication;
import dev.faultline.function.BusinessFunctions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.test.context.TestPropertySource;
import org.springframework.web.client.RestTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The same application with Spring MVC's own problem details on, and with the 503 answer
 * turned off.
 */
class FunctionRefusedWebVariantsIntegrationTests {

	@TestPropertySource("classpath:refusing-application.properties")
	abstract static class FullOrderPool {

		@LocalServerPort
		int port;

		RestTemplate rest() {
			return LocalRestTemplate.on(this.port);
		}

		@Autowired
		BusinessFunctions functions;

		private final List<CompletableFuture<Boolean>> blocked = new ArrayList<>();

		ResponseEntity<String> orderWhileThePoolIsFull() {
			FunctionRefusedWebIntegrationTests.fillThePool(this.functions, "order", this.blocked);
			return rest().getForEntity("/orders", String.class);
		}

		@AfterEach
		void release() {
			this.blocked.forEach((call) -> call.complete(true));
		}

	}

	@Nested
	@SpringBootTest(classes = RefusingApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
			properties = "spring.mvc.problemdetails.enabled=true")
	class WithSpringMvcProblemDetails extends FullOrderPool {

		@Test
		void fullPoolAnswers503WithRetryAfterAndTheProblem() throws Exception {
			ResponseEntity<String> response = orderWhileThePoolIsFull();

			assertThat(response.getStatusCode()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
			assertThat(response.getHeaders().getFirst(HttpHeaders.RETRY_AFTER)).isEqualTo("1");
			assertThat(response.getHeaders().getContentType()).isEqualTo(FunctionRefusedWebIntegrationTests.PROBLEM);
			assertThat(new ObjectMapper().readTree(response.getBody()).path("cause").asText()).isEqualTo("pool-full");
		}

	}

	@Nested
	@SpringBootTest(classes = RefusingApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
			properties = "faultline.web.refusals.enabled=false")
	class WithThe503AnswerTurnedOff extends FullOrderPool {

		@Test
		void fullPoolIsLeftToTheApplicationsUsualHandling() {
			ResponseEntity<String> response = orderWhileThePoolIsFull();

			assertThat(response.getStatusCode()).isEqualTo(HttpStatus.INTERNAL_SERVER_ERROR);
			assertThat(response.getHeaders().getFirst(HttpHeaders.RETRY_AFTER)).isNull();
		}

	}

}
