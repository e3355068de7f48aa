package dev.faultline.benchmarks.replay;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import dev.faultline.autoconfigure.FaultlineProperties;
import dev.faultline.detector.DetectorSettings;
import dev.faultline.detector.DetectorType;
import dev.faultline.detector.FailureDetector;
import dev.faultline.function.BusinessFunctions;
import dev.faultline.function.IsolatedFunction;
import dev.faultline.function.PeerCircuitLinks;
import dev.faultline.function.TimeLimitScheduler;
import dev.faultline.peer.HeartbeatMonitor;
import dev.faultline.peer.HeartbeatProbe;
import dev.faultline.peer.HeartbeatSettings;
import dev.faultline.peer.LocalPauseWatch;
import dev.faultline.peer.Peer;
import dev.faultline.peer.PeerInstance;
import dev.faultline.peer.PeerRegistry;
import dev.faultline.peer.ProbeResult;
import io.github.resilience4j.bulkhead.ThreadPoolBulkhead;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.timelimiter.TimeLimiter;
import io.micrometer.context.ContextSnapshotFactory;

/**
 * Replays a trace through the whole peer path a service runs, not the bare detector:
 * the detector Faultline's properties make with nothing set but the interval, inside a
 * {@link PeerInstance} with its sampling rule, watched by a {@link HeartbeatMonitor}
 * ticking on the virtual clock with hybrid probing, and a {@link PeerCircuitLinks} link
 * holding a function's circuit, all from the application's start.
 *
 * <p>
 * The application creates its beans {@link #STARTUP} before the monitor starts at the
 * trace's first arrival. A trace is what one monitor heard, so its arrivals are answers
 * to the monitor's probes: one that comes while a probe is in flight (sent by the
 * monitor when due, no longer than its timeout ago) answers that probe; the monitor's
 * own schedule is not the trace sender's, so an arrival may also come with no probe in
 * flight, and it is taken as the answer to one that the replay could not line up.
 * Either way it passes the instance's sampling rule. Between arrivals the monitor ticks,
 * probes with no arrival time out and fail, and the link acts only on a tick, as in a
 * service.
 *
 * <p>
 * Mistakes are counted as the link saw them: each time it began to hold the circuit open
 * before the crash. Detection times are those of the link: for each silence, the first
 * tick at which the instance's detector suspects it had nothing more arrived, found as
 * in {@link Replay} and rounded up to the tick; the same instants give the mean T_D.
 */
public final class LiveStackReplay {

	/** How long the application took to start before the monitor began to watch. */
	public static final Duration STARTUP = Duration.ofSeconds(20);

	private static final long NANOS_PER_MILLI = 1_000_000L;

	private static final long HORIZON_NANOS = Duration.ofHours(1).toNanos();

	private LiveStackReplay() {
	}

	/**
	 * Replays the trace through the live peer path with Faultline's defaults.
	 * @param trace the trace
	 * @param policy the name the result carries in the tables
	 * @return the metrics, as {@link Replay#run} gives them for a bare detector
	 */
	public static ReplayResult run(Trace trace, DetectorPolicy policy) {
		long first = trace.arrivalMillis(0) * NANOS_PER_MILLI;
		long crash = trace.crashMillis() * NANOS_PER_MILLI;
		VirtualClock clock = new VirtualClock(first - STARTUP.toNanos());
		FaultlineProperties.Peer properties = new FaultlineProperties.Peer();
		properties.getHeartbeat().setInterval(trace.interval());
		if (properties.getHeartbeat().getTimeout().compareTo(trace.interval()) >= 0) {
			properties.getHeartbeat().setTimeout(trace.interval().dividedBy(2));
		}
		HeartbeatSettings heartbeat = properties.toHeartbeatSettings();
		Duration tickPeriod = HeartbeatMonitor.tickFor(List.of(heartbeat));
		long tick = tickPeriod.toNanos();
		long timeout = heartbeat.timeout().toNanos();
		LocalPauseWatch pauseWatch = new LocalPauseWatch(tickPeriod, Duration.ofMillis(500));
		FailureDetector detector = FailureDetector.create(DetectorSettings.of(DetectorType.ADAPTIVE, trace.interval()),
				clock);
		PeerInstance instance = new PeerInstance("peer", "primary", URI.create("http://127.0.0.1:1"), heartbeat,
				detector, clock, pauseWatch);
		PeerRegistry registry = new PeerRegistry(List.of(new Peer("peer", List.of(instance))));
		TraceProbe probe = new TraceProbe(clock);
		try (TimeLimitScheduler timer = new TimeLimitScheduler()) {
			CircuitBreaker breaker = CircuitBreaker.ofDefaults("call");
			IsolatedFunction function = new IsolatedFunction("call", ThreadPoolBulkhead.ofDefaults("call"), breaker,
					TimeLimiter.ofDefaults("call"), "peer", timer.executor(), ContextSnapshotFactory.builder().build());
			PeerCircuitLinks links = new PeerCircuitLinks(new BusinessFunctions(List.of(function)), registry);
			HeartbeatMonitor monitor = new HeartbeatMonitor(registry, probe, clock, pauseWatch, tickPeriod,
					List.of(links));
			Walk walk = new Walk(clock, monitor, links, probe, timeout, tick, first);
			clock.set(first);
			monitor.startWatching();
			long mistakes = 0;
			long suspected = 0;
			double detectionIntegral = 0.0;
			long suspicion = Replay.NEVER;
			for (int i = 0; i < trace.size(); i++) {
				long start = trace.arrivalMillis(i) * NANOS_PER_MILLI;
				if (i > 0) {
					mistakes += walk.tickUntil(start);
					clock.set(start);
					probe.arrive(start, timeout, instance);
				}
				long end = (i + 1 < trace.size()) ? trace.arrivalMillis(i + 1) * NANOS_PER_MILLI : crash;
				suspicion = walk.onTick(Replay.suspicionInstant(detector, clock, start, end));
				clock.set(start);
				if (suspicion < end) {
					suspected += end - suspicion;
				}
				detectionIntegral += Replay.detectionIntegral(suspicion, start, end);
			}
			mistakes += walk.tickUntil(crash);
			long detectionAtCrash = walk.detectionAfter(crash);
			return new ReplayResult(trace, policy, mistakes, crash - first, suspected, detectionAtCrash,
					detectionIntegral / (crash - first));
		}
	}

	/** Drives the monitor's ticks on the virtual clock and watches the link. */
	private static final class Walk {

		private final VirtualClock clock;

		private final HeartbeatMonitor monitor;

		private final PeerCircuitLinks links;

		private final TraceProbe probe;

		private final long timeout;

		private final long tick;

		private long nextTick;

		private boolean holding;

		Walk(VirtualClock clock, HeartbeatMonitor monitor, PeerCircuitLinks links, TraceProbe probe, long timeout,
				long tick, long firstTick) {
			this.clock = clock;
			this.monitor = monitor;
			this.links = links;
			this.probe = probe;
			this.timeout = timeout;
			this.tick = tick;
			this.nextTick = firstTick;
		}

		/**
		 * Runs every tick before {@code until} and returns how often the link began to hold
		 * the circuit open.
		 */
		long tickUntil(long until) {
			long opened = 0;
			while (this.nextTick < until) {
				this.clock.set(this.nextTick);
				this.probe.expire(this.nextTick, this.timeout);
				this.monitor.tick();
				boolean holding = this.links.isHolding("call");
				if (holding && !this.holding) {
					opened++;
				}
				this.holding = holding;
				this.nextTick += this.tick;
			}
			return opened;
		}

		/** The first tick at or after the instant, where the link acts on it. */
		long onTick(long instant) {
			if (instant == Replay.NEVER) {
				return Replay.NEVER;
			}
			long ticks = Math.max(0, Math.floorDiv(instant - this.nextTick + this.tick - 1, this.tick));
			return this.nextTick + ticks * this.tick;
		}

		/** Ticks on after the crash until the link holds the circuit: T_D of the crash. */
		long detectionAfter(long crash) {
			while (!this.holding) {
				if (this.nextTick - crash > HORIZON_NANOS) {
					return Long.MAX_VALUE;
				}
				tickUntil(this.nextTick + 1);
			}
			return Math.max(0, this.nextTick - this.tick - crash);
		}

	}

	/**
	 * A probe answered by the trace: the monitor sends it, the next arrival within its
	 * timeout answers it, and otherwise it fails when the timeout passes.
	 */
	private static final class TraceProbe implements HeartbeatProbe {

		private final VirtualClock clock;

		private CompletableFuture<ProbeResult> pending;

		private long sentAt;

		TraceProbe(VirtualClock clock) {
			this.clock = clock;
		}

		@Override
		public CompletableFuture<ProbeResult> probe(PeerInstance instance) {
			this.pending = new CompletableFuture<>();
			this.sentAt = this.clock.nanoTime();
			return this.pending;
		}

		void arrive(long now, long timeout, PeerInstance instance) {
			if (this.pending != null && now - this.sentAt <= timeout) {
				CompletableFuture<ProbeResult> answered = this.pending;
				this.pending = null;
				answered.complete(ProbeResult.answered(200));
			}
			else {
				instance.probed(ProbeResult.answered(200));
			}
		}

		void expire(long now, long timeout) {
			if (this.pending != null && now - this.sentAt > timeout) {
				CompletableFuture<ProbeResult> failed = this.pending;
				this.pending = null;
				failed.complete(ProbeResult.noAnswer("no answer within the timeout"));
			}
		}

	}

}
