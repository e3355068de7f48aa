package dev.faultline.autoconfigure;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import dev.faultline.actuate.dashboard.Timeline;
import dev.faultline.actuate.dashboard.Timeline.Event;
import dev.faultline.actuate.dashboard.Timeline.FunctionReading;
import dev.faultline.actuate.dashboard.Timeline.Slice;
import dev.faultline.function.BusinessFunctions;
import dev.faultline.peer.PeerRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The timeline the dashboard draws, over real functions and a real peer: frames of φ,
 * circuits, threads and calls by cause; events in the order they happened; the window.
 */
class TimelineTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(BootAutoConfigurations.BULKHEADS,
				BootAutoConfigurations.CIRCUIT_BREAKERS, BootAutoConfigurations.TIME_LIMITERS, PeerAutoConfiguration.class,
				BusinessFunctionAutoConfiguration.class))
		// Nothing listens on port 9: the peer is suspected within seconds.
		.withPropertyValues("faultline.peers.payment-service.instances[0]=http://127.0.0.1:9",
				"faultline.peers.payment-service.heartbeat.interval=200ms",
				"faultline.peers.payment-service.heartbeat.timeout=100ms",
				"faultline.functions.payment.peer=payment-service", "faultline.functions.delivery=",
				"resilience4j.timelimiter.instances.delivery.timeout-duration=50ms");

	private final AtomicLong clock = new AtomicLong(1_000_000);

	@Test
	void framesCountEachFunctionsCallsPerSecondByCause() {
		this.contextRunner.run((context) -> {
			Timeline timeline = timeline(context, Duration.ofMinutes(5));
			BusinessFunctions functions = context.getBean(BusinessFunctions.class);
			timeline.sample();
			functions.call("delivery", () -> "booked", (cause) -> "later");
			functions.call("delivery", () -> {
				throw new IllegalStateException("warehouse down");
			}, (cause) -> "later");
			functions.call("delivery", () -> {
				Thread.sleep(2000);
				return "too late";
			}, (cause) -> "later");
			functions.get("delivery").getCircuitBreaker().transitionToOpenState();
			functions.call("delivery", () -> "booked", (cause) -> "later");
			this.clock.addAndGet(2000);

			timeline.sample();

			FunctionReading delivery = last(timeline.since(0)).functions().get("delivery");
			// Four calls in two seconds: one of each outcome but the full pool.
			assertThat(delivery.calls()).isEqualTo(2.0);
			assertThat(delivery.error()).isEqualTo(0.5);
			assertThat(delivery.timeLimit()).isEqualTo(0.5);
			assertThat(delivery.circuitOpen()).isEqualTo(0.5);
			assertThat(delivery.poolFull()).isZero();
			assertThat(delivery.circuit()).isEqualTo("OPEN");
			assertThat(last(timeline.since(0)).functions().get("payment").calls()).isZero();
		});
	}

	@Test
	void suspicionAndTheCircuitItOpensAreEventsInTheOrderTheyHappened() {
		this.contextRunner.run((context) -> {
			Timeline timeline = timeline(context, Duration.ofMinutes(5));
			// The monitor calls its listeners after each tick; here the test ticks for it.
			PeerRegistry peers = context.getBean(PeerRegistry.class);
			timeline.ticked();
			await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
				this.clock.incrementAndGet();
				timeline.ticked();
				assertThat(kinds(timeline.since(0).events())).contains("suspected", "opened");
			});
			assertThat(peers.find("payment-service").orElseThrow().isAvailable()).isFalse();
			List<Event> events = timeline.since(0).events();
			assertThat(events).filteredOn((event) -> event.kind().equals("suspected"))
				.singleElement()
				.satisfies((event) -> {
					assertThat(event.subject()).isEqualTo("payment-service/primary");
					assertThat(event.detail()).startsWith("phi ").contains(">= threshold");
				});
			assertThat(events).filteredOn((event) -> event.kind().equals("opened"))
				.singleElement()
				.satisfies((event) -> assertThat(event.subject()).isEqualTo("payment"));
		});
	}

	@Test
	void framesOlderThanTheWindowAreDroppedAndASliceHasOnlyWhatCameAfterItsTime() {
		this.contextRunner.run((context) -> {
			Timeline timeline = timeline(context, Duration.ofSeconds(3));
			for (int i = 0; i < 5; i++) {
				this.clock.addAndGet(1000);
				timeline.sample();
			}

			Slice all = timeline.since(0);

			assertThat(all.frames()).extracting(Timeline.Frame::time).containsExactly(1_003_000L, 1_004_000L, 1_005_000L);
			assertThat(all.now()).isEqualTo(1_005_000L);
			assertThat(timeline.since(1_004_000L).frames()).extracting(Timeline.Frame::time).containsExactly(1_005_000L);
			assertThat(all.frames().get(0).instances()).containsOnlyKeys("payment-service/primary");
			assertThat(all.peers().get("payment-service").instances()).containsEntry("primary", "http://127.0.0.1:9");
			assertThat(all.functions().get("delivery").timeLimitMs()).isEqualTo(50);
		});
	}

	@Test
	void infinitePhiOfAPeerNeverHeardFromIsWrittenAsTheCeilingJsonCanCarry() {
		this.contextRunner.run((context) -> {
			Timeline timeline = timeline(context, Duration.ofMinutes(5));
			await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
				timeline.sample();
				assertThat(last(timeline.since(0)).instances().get("payment-service/primary").phi())
					.isGreaterThan(5.0)
					.isLessThanOrEqualTo(Timeline.PHI_CEILING);
			});
		});
	}

	private Timeline timeline(ApplicationContext context, Duration window) {
		return new Timeline(context.getBean(BusinessFunctions.class), context.getBean(PeerRegistry.class),
				Duration.ofSeconds(1), window, this.clock::get);
	}

	private static Timeline.Frame last(Slice slice) {
		return slice.frames().get(slice.frames().size() - 1);
	}

	private static List<String> kinds(List<Event> events) {
		return events.stream().map(Event::kind).toList();
	}

}
