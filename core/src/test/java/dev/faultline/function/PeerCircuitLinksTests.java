package dev.faultline.function;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.net.URI;
import java.time.Duration;
import java.util.List;

import dev.faultline.detector.ManualClock;
import dev.faultline.detector.PhiAccrualFailureDetector;
import dev.faultline.detector.PhiAccrualSettings;
import dev.faultline.peer.HeartbeatKind;
import dev.faultline.peer.HeartbeatMode;
import dev.faultline.peer.HeartbeatSettings;
import dev.faultline.peer.LocalPauseWatch;
import dev.faultline.peer.Peer;
import dev.faultline.peer.PeerInstance;
import dev.faultline.peer.PeerRegistry;
import io.github.resilience4j.bulkhead.ThreadPoolBulkhead;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreaker.State;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.event.CircuitBreakerOnStateTransitionEvent;
import io.github.resilience4j.timelimiter.TimeLimiter;
import io.micrometer.context.ContextSnapshotFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class PeerCircuitLinksTests {

	private final ManualClock clock = new ManualClock();

	private final TimeLimitScheduler scheduler = new TimeLimitScheduler();

	private final PeerInstance instance = new PeerInstance("payment-service", "primary",
			URI.create("http://127.0.0.1:8081"),
			new HeartbeatSettings("/health", Duration.ofSeconds(1), Duration.ofMillis(500), HeartbeatMode.ACTIVE),
			new PhiAccrualFailureDetector(PhiAccrualSettings.DEFAULTS, this.clock), this.clock,
			new LocalPauseWatch(Duration.ofMillis(100), Duration.ofMillis(500)));

	private final CircuitBreaker breaker = CircuitBreaker.of("payment",
			CircuitBreakerConfig.custom()
				.waitDurationInOpenState(Duration.ofMillis(1))
				.automaticTransitionFromOpenToHalfOpenEnabled(false)
				.permittedNumberOfCallsInHalfOpenState(2)
				.build());

	private final IsolatedFunction payment = new IsolatedFunction("payment", ThreadPoolBulkhead.ofDefaults("payment"),
			this.breaker, TimeLimiter.ofDefaults("payment"), "payment-service", this.scheduler.executor(),
			ContextSnapshotFactory.builder().build());

	private final IsolatedFunction delivery = new IsolatedFunction("delivery", ThreadPoolBulkhead.ofDefaults("delivery"),
			CircuitBreaker.ofDefaults("delivery"), TimeLimiter.ofDefaults("delivery"), null, this.scheduler.executor(),
			ContextSnapshotFactory.builder().build());

	private final PeerCircuitLinks links = new PeerCircuitLinks(new BusinessFunctions(List.of(this.payment, this.delivery)),
			new PeerRegistry(List.of(new Peer("payment-service", List.of(this.instance)))));

	@AfterEach
	void cleanUp() {
		this.scheduler.close();
	}

	@Test
	void suspectedPeerOpensTheCircuitOfTheFunctionLinkedToItOnly() {
		java.util.List<CircuitBreakerOnStateTransitionEvent> events = new java.util.ArrayList<>();
		this.breaker.getEventPublisher().onStateTransition(events::add);
		heartbeatsFor(Duration.ofSeconds(5));
		this.links.ticked();
		assertThat(this.breaker.getState()).isEqualTo(State.CLOSED);

		this.clock.advance(Duration.ofSeconds(10));
		this.links.ticked();

		assertThat(this.breaker.getState()).isEqualTo(State.OPEN);
		assertThat(this.links.isHolding("payment")).isTrue();
		assertThat(this.delivery.getCircuitBreaker().getState()).isEqualTo(State.CLOSED);
		assertThat(events).extracting((event) -> event.getStateTransition().getToState()).containsExactly(State.OPEN);
		assertThat(this.payment.call(() -> "paid", (cause) -> cause.getClass().getSimpleName()))
			.isEqualTo("CallNotPermittedException");
	}

	@Test
	void circuitStaysOpenWhilePeerIsSuspectedEvenPastItsWaitDuration() throws InterruptedException {
		this.clock.advance(Duration.ofSeconds(10));
		this.links.ticked();
		Thread.sleep(20);
		this.links.ticked();

		assertThat(this.breaker.getState()).isEqualTo(State.OPEN);
		assertThat(this.breaker.tryAcquirePermission()).isFalse();
	}

	@Test
	void peerHeardFromAgainMovesTheCircuitToHalfOpenAndTrialCallsCloseIt() {
		this.clock.advance(Duration.ofSeconds(10));
		this.links.ticked();

		this.instance.heartbeat(HeartbeatKind.ACTIVE);
		this.links.ticked();
		assertThat(this.breaker.getState()).isEqualTo(State.HALF_OPEN);
		this.payment.call(() -> "paid", (cause) -> "pending");
		this.payment.call(() -> "paid", (cause) -> "pending");

		assertThat(this.breaker.getState()).isEqualTo(State.CLOSED);
	}

	@Test
	void circuitForcedOpenByAnOperatorIsLeftAloneWhenThePeerReturns() {
		this.clock.advance(Duration.ofSeconds(10));
		this.links.ticked();
		this.breaker.transitionToForcedOpenState();
		this.instance.heartbeat(HeartbeatKind.ACTIVE);

		this.links.ticked();

		assertThat(this.breaker.getState()).isEqualTo(State.FORCED_OPEN);
	}

	@Test
	void circuitDisabledByAnOperatorIsLeftAloneWhileThePeerIsSuspected() {
		this.breaker.transitionToDisabledState();
		this.clock.advance(Duration.ofSeconds(10));

		this.links.ticked();

		assertThat(this.breaker.getState()).isEqualTo(State.DISABLED);
	}

	@Test
	void operatorReleasingTheCircuitWhileThePeerIsStillSuspectedLetsTheLinkOpenItAgain() {
		this.breaker.transitionToForcedOpenState();
		this.clock.advance(Duration.ofSeconds(10));
		this.links.ticked();
		this.breaker.transitionToClosedState();

		this.links.ticked();

		assertThat(this.breaker.getState()).isEqualTo(State.OPEN);
	}

	@Test
	void circuitThatResilienceOpenedOnFailuresIsHeldOpenPastItsOwnWaitOnceThePeerIsSuspected() {
		// resilience4j opened it first, for its own wait of 1 ms, then the peer is suspected
		this.breaker.transitionToOpenState();
		this.clock.advance(Duration.ofSeconds(10));

		this.links.ticked();

		assertThat(this.links.isHolding("payment")).isTrue();
		await().during(Duration.ofMillis(100)).atMost(Duration.ofSeconds(2))
			.until(() -> !this.breaker.tryAcquirePermission() && this.breaker.getState() == State.OPEN);
	}

	@Test
	void stateChangedByAnOperatorBetweenTheLinksLookAndItsTransitionDoesNotAbortTheTick() {
		// The operator set metrics-only after the link read CLOSED: the transition is refused.
		CircuitBreaker real = CircuitBreaker.ofDefaults("first");
		real.transitionToMetricsOnlyState();
		CircuitBreaker seenClosed = (CircuitBreaker) Proxy.newProxyInstance(getClass().getClassLoader(),
				new Class<?>[] { CircuitBreaker.class }, (proxy, method, args) -> {
					if (method.getName().equals("getState")) {
						return State.CLOSED;
					}
					try {
						return method.invoke(real, args);
					}
					catch (InvocationTargetException ex) {
						throw ex.getCause();
					}
				});
		IsolatedFunction first = new IsolatedFunction("first", ThreadPoolBulkhead.ofDefaults("first"), seenClosed,
				TimeLimiter.ofDefaults("first"), "payment-service", this.scheduler.executor(),
				ContextSnapshotFactory.builder().build());
		PeerCircuitLinks links = new PeerCircuitLinks(new BusinessFunctions(List.of(first, this.payment)),
				new PeerRegistry(List.of(new Peer("payment-service", List.of(this.instance)))));
		this.clock.advance(Duration.ofSeconds(10));

		links.ticked();

		assertThat(real.getState()).isEqualTo(State.METRICS_ONLY);
		assertThat(this.breaker.getState()).isEqualTo(State.OPEN);
		assertThat(links.isHolding("payment")).isTrue();
	}

	private void heartbeatsFor(Duration duration) {
		for (long i = 0; i < duration.toSeconds(); i++) {
			this.clock.advance(Duration.ofSeconds(1));
			this.instance.heartbeat(HeartbeatKind.ACTIVE);
		}
	}

}
