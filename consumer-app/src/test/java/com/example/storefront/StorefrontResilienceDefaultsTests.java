package com.example.storefront;

import java.time.Duration;

import com.example.peers.PlainPeer;
import dev.faultline.function.BusinessFunctions;
import dev.faultline.function.IsolatedFunction;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.timelimiter.TimeLimiterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The storefront with its own application.yml: Faultline's defaults reach its business
 * functions, while the circuit breaker it wrote itself with resilience4j's API, and any it
 * creates on demand, keep resilience4j's own defaults.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE)
@DirtiesContext // closed after the class, so it stops probing the peers
class StorefrontResilienceDefaultsTests {

	private static final CircuitBreakerConfig RESILIENCE4J = CircuitBreakerConfig.ofDefaults();

	private static final PlainPeer engine = PlainPeer.answeringEverywhere("recommendations");

	@Autowired
	private Recommendations recommendations;

	@Autowired
	private BusinessFunctions functions;

	@Autowired
	private CircuitBreakerRegistry circuitBreakers;

	@Autowired
	private TimeLimiterRegistry timeLimiters;

	@DynamicPropertySource
	static void engine(DynamicPropertyRegistry registry) {
		registry.add("storefront.recommendations.url", engine::url);
	}

	@AfterAll
	static void stopEngine() {
		engine.close();
	}

	@Test
	void theShopsOwnCircuitBreakerKeepsItsValueAndResilience4jsDefaults() {
		CircuitBreakerConfig breaker = this.recommendations.circuitBreaker().getCircuitBreakerConfig();
		assertThat(breaker.getFailureRateThreshold()).isEqualTo(25);
		assertThat(breaker.getSlidingWindowSize()).isEqualTo(RESILIENCE4J.getSlidingWindowSize());
		assertThat(breaker.getMinimumNumberOfCalls()).isEqualTo(RESILIENCE4J.getMinimumNumberOfCalls());
		assertThat(breaker.getWaitIntervalFunctionInOpenState().apply(1)).isEqualTo(60_000);
		assertThat(breaker.isAutomaticTransitionFromOpenToHalfOpenEnabled()).isFalse();
		assertThat(this.recommendations.forProduct("42")).isEqualTo("recommendations answers /recommendations/42");
	}

	@Test
	void instancesCreatedOnDemandKeepResilience4jsDefaults() {
		assertThat(this.circuitBreakers.circuitBreaker("newsletter").getCircuitBreakerConfig().getSlidingWindowSize())
			.isEqualTo(RESILIENCE4J.getSlidingWindowSize());
		assertThat(this.timeLimiters.timeLimiter("newsletter").getTimeLimiterConfig().getTimeoutDuration())
			.isEqualTo(Duration.ofSeconds(1));
	}

	@Test
	void businessFunctionsGetFaultlinesDefaults() {
		for (String name : this.functions.getFunctions().keySet()) {
			IsolatedFunction function = this.functions.get(name);
			CircuitBreakerConfig breaker = function.getCircuitBreaker().getCircuitBreakerConfig();
			assertThat(breaker.getSlidingWindowSize()).as(name).isEqualTo(20);
			assertThat(breaker.getMinimumNumberOfCalls()).as(name).isEqualTo(10);
			assertThat(breaker.getWaitIntervalFunctionInOpenState().apply(1)).as(name).isEqualTo(5_000);
			assertThat(breaker.isAutomaticTransitionFromOpenToHalfOpenEnabled()).as(name).isTrue();
			assertThat(function.getBulkhead().getBulkheadConfig().getMaxThreadPoolSize()).as(name).isEqualTo(8);
			assertThat(function.getBulkhead().getBulkheadConfig().getQueueCapacity()).as(name).isEqualTo(16);
			assertThat(function.timeLimit()).as(name).isEqualTo(Duration.ofSeconds(2));
		}
		assertThat(this.functions.getFunctions()).containsOnlyKeys("product", "price", "stock", "reviews");
	}

}
