package dev.faultline.function;

import java.util.Locale;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreaker.State;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.event.CircuitBreakerOnStateTransitionEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs the transitions of a function's circuit that resilience4j makes on its own: an
 * open on the failure or slow-call rate, a half-open after the wait in the open state, and
 * a close once trial calls succeeded. Without them the log is silent while callers fail,
 * and never says that a circuit is closed again. Transitions made by the link to a peer
 * are logged by the link, with the peer's φ.
 */
final class CircuitTransitionLog {

	private static final Logger logger = LoggerFactory.getLogger(CircuitTransitionLog.class);

	// Set while the link to a peer moves a circuit: resilience4j announces a transition on
	// the thread that makes it, and the link logs its own.
	private static final ThreadLocal<Boolean> byLink = new ThreadLocal<>();

	private final String function;

	private final CircuitBreaker breaker;

	private CircuitTransitionLog(String function, CircuitBreaker breaker) {
		this.function = function;
		this.breaker = breaker;
	}

	/**
	 * Logs the transitions of the breaker from now on.
	 * @param function the function's name
	 * @param breaker its circuit breaker
	 */
	static void follow(String function, CircuitBreaker breaker) {
		CircuitTransitionLog log = new CircuitTransitionLog(function, breaker);
		breaker.getEventPublisher().onStateTransition(log::transitioned);
	}

	/**
	 * Makes a transition that the caller logs itself.
	 * @param transition the transition
	 */
	static void byLink(Runnable transition) {
		byLink.set(Boolean.TRUE);
		try {
			transition.run();
		}
		finally {
			byLink.remove();
		}
	}

	private void transitioned(CircuitBreakerOnStateTransitionEvent event) {
		State from = event.getStateTransition().getFromState();
		State to = event.getStateTransition().getToState();
		if (to == State.HALF_OPEN && from == State.OPEN && byLink.get() == null) {
			logger.info("Circuit of business function '{}' is half-open after its wait in the open state: "
					+ "its trial calls decide whether it closes", this.function);
		}
		else if (to == State.CLOSED && from == State.HALF_OPEN) {
			logger.info("Circuit of business function '{}' is closed: its trial calls succeeded", this.function);
		}
		else if (to == State.OPEN && (from == State.CLOSED || from == State.HALF_OPEN)) {
			String cause = cause();
			if (cause != null) {
				logger.warn("Opened the circuit of business function '{}': {}", this.function, cause);
			}
		}
	}

	// Why resilience4j opened it, or null when its rates are below the thresholds (the
	// link opened it).
	private String cause() {
		CircuitBreaker.Metrics metrics = this.breaker.getMetrics();
		CircuitBreakerConfig config = this.breaker.getCircuitBreakerConfig();
		if (metrics.getFailureRate() >= config.getFailureRateThreshold()) {
			return String.format(Locale.ROOT, "failure rate %.1f %% >= %.1f %% over the last %d calls",
					metrics.getFailureRate(), config.getFailureRateThreshold(), metrics.getNumberOfBufferedCalls());
		}
		if (metrics.getSlowCallRate() >= config.getSlowCallRateThreshold()) {
			return String.format(Locale.ROOT, "slow-call rate %.1f %% >= %.1f %% over the last %d calls",
					metrics.getSlowCallRate(), config.getSlowCallRateThreshold(), metrics.getNumberOfBufferedCalls());
		}
		return null;
	}

}
