package dev.faultline.autoconfigure;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import dev.faultline.function.BusinessFunctions;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.contextpropagation.ObservationThreadLocalAccessor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.security.authentication.TestingAuthenticationToken;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The caller's MDC, Spring Security context, current Observation and request attributes
 * reach the pool thread that runs a call and the fallback, with the context snapshot
 * factory that the auto-configuration builds; and nothing of one call is left on a pool
 * thread for the next.
 */
class ContextPropagationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(BootAutoConfigurations.BULKHEADS, BootAutoConfigurations.CIRCUIT_BREAKERS,
				BootAutoConfigurations.TIME_LIMITERS, PeerAutoConfiguration.class, BusinessFunctionAutoConfiguration.class))
		.withPropertyValues("faultline.functions.payment.peer=",
				"resilience4j.thread-pool-bulkhead.instances.payment.core-thread-pool-size=1",
				"resilience4j.thread-pool-bulkhead.instances.payment.max-thread-pool-size=1",
				"resilience4j.timelimiter.instances.payment.timeout-duration=200ms");

	private final ObservationRegistry observations = ObservationRegistry.create();

	private final RequestAttributes request = new ServletRequestAttributes(new MockHttpServletRequest("POST", "/orders"));

	@AfterEach
	void clearCaller() {
		MDC.clear();
		SecurityContextHolder.clearContext();
		RequestContextHolder.resetRequestAttributes();
	}

	@Test
	void callersContextReachesThePoolThread() {
		this.contextRunner.run((context) -> {
			BusinessFunctions functions = context.getBean(BusinessFunctions.class);
			Observation observation = startObservation();
			try (Observation.Scope scope = observation.openScope()) {
				setCallerContext();
				List<Object> seen = functions.call("payment", this::currentContext, (cause) -> List.of(cause));
				assertThat(seen).containsExactly("order-42", "customer", observation, this.request, false);
			}
		});
	}

	@Test
	void callersContextReachesTheFallbackOfATimedOutAsynchronousCall() {
		this.contextRunner.run((context) -> {
			BusinessFunctions functions = context.getBean(BusinessFunctions.class);
			Observation observation = startObservation();
			try (Observation.Scope scope = observation.openScope()) {
				setCallerContext();
				List<Object> seen = new CopyOnWriteArrayList<>();
				CompletableFuture<String> result = functions.callAsync("payment", () -> new CompletableFuture<String>(),
						(cause) -> {
							seen.addAll(currentContext());
							seen.add(Thread.currentThread().getName());
							return CompletableFuture.completedFuture("pending");
						});
				assertThat(result.get(10, TimeUnit.SECONDS)).isEqualTo("pending");
				assertThat(seen).containsExactly("order-42", "customer", observation, this.request, false,
						"faultline-time-limit");
			}
		});
	}

	@Test
	void poolThreadCarriesNothingOfThePreviousCaller() {
		this.contextRunner.run((context) -> {
			BusinessFunctions functions = context.getBean(BusinessFunctions.class);
			setCallerContext();
			functions.call("payment", this::currentContext, (cause) -> List.of(cause));
			clearCaller();

			List<Object> seen = functions.call("payment", this::currentContext, (cause) -> List.of(cause));

			assertThat(seen).containsExactly(null, null, null, null, false);
		});
	}

	private Observation startObservation() {
		ObservationThreadLocalAccessor.getInstance().setObservationRegistry(this.observations);
		this.observations.observationConfig().observationHandler((ctx) -> true);
		return Observation.start("checkout", this.observations);
	}

	private void setCallerContext() {
		MDC.put("order", "order-42");
		SecurityContextHolder.getContext().setAuthentication(new TestingAuthenticationToken("customer", "secret"));
		RequestContextHolder.setRequestAttributes(this.request);
	}

	private List<Object> currentContext() {
		var authentication = SecurityContextHolder.getContext().getAuthentication();
		List<Object> seen = new java.util.ArrayList<>();
		seen.add(MDC.get("order"));
		seen.add((authentication != null) ? authentication.getName() : null);
		seen.add(this.observations.getCurrentObservation());
		seen.add(RequestContextHolder.getRequestAttributes());
		seen.add(Thread.currentThread().isInterrupted());
		return seen;
	}

}
