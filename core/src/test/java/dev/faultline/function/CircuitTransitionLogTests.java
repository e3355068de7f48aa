package dev.faultline.function;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(OutputCaptureExtension.class)
class CircuitTransitionLogTests {

	private final CircuitBreaker breaker = CircuitBreaker.of("payment",
			CircuitBreakerConfig.custom()
				.slidingWindowSize(4)
				.minimumNumberOfCalls(4)
				.failureRateThreshold(50)
				.permittedNumberOfCallsInHalfOpenState(1)
				.waitDurationInOpenState(Duration.ofMillis(1))
				.build());

	@Test
	void circuitOpenedOnItsFailureRateAndClosedByTrialCallsIsLogged(CapturedOutput output) {
		CircuitTransitionLog.follow("payment", this.breaker);
		for (int i = 0; i < 4; i++) {
			this.breaker.onError(0, TimeUnit.NANOSECONDS, new IllegalStateException("down"));
		}
		assertThat(output).contains("Opened the circuit of business function 'payment': failure rate 100.0 % >= "
				+ "50.0 % over the last 4 calls");

		this.breaker.transitionToHalfOpenState();
		assertThat(output).contains("Circuit of business function 'payment' is half-open after its wait in the open "
				+ "state: its trial calls decide whether it closes");
		this.breaker.onSuccess(0, TimeUnit.NANOSECONDS);

		assertThat(output).contains("Circuit of business function 'payment' is closed: its trial calls succeeded");
	}

	@Test
	void circuitMadeHalfOpenByThePeersLinkIsLeftToTheLinksOwnLine(CapturedOutput output) {
		CircuitTransitionLog.follow("payment", this.breaker);
		this.breaker.transitionToOpenStateFor(Duration.ofDays(1));

		CircuitTransitionLog.byLink(this.breaker::transitionToHalfOpenState);

		assertThat(this.breaker.getState()).isEqualTo(CircuitBreaker.State.HALF_OPEN);
		assertThat(output).doesNotContain("half-open after its wait");
	}

	@Test
	void circuitOpenedWhileItsRatesAreBelowTheThresholdsIsLeftToWhoeverOpenedIt(CapturedOutput output) {
		CircuitTransitionLog.follow("payment", this.breaker);

		this.breaker.transitionToOpenStateFor(Duration.ofDays(1));

		assertThat(output).doesNotContain("Opened the circuit");
	}

}
