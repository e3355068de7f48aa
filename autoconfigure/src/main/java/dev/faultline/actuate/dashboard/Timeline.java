package dev.faultline.actuate.dashboard;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

import dev.faultline.detector.DetectorSnapshot;
import dev.faultline.function.BusinessFunctions;
import dev.faultline.function.IsolatedFunction;
import dev.faultline.function.Partitions;
import dev.faultline.peer.HeartbeatMonitor;
import dev.faultline.peer.Peer;
import dev.faultline.peer.PeerInstance;
import dev.faultline.peer.PeerRegistry;
import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.ThreadPoolBulkhead;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;

import org.springframework.context.SmartLifecycle;
import org.springframework.core.Ordered;

/**
 * What the dashboard draws: a frame of every peer instance's φ and every function's
 * circuit, threads and calls each interval, kept for a window of the last minutes, and the
 * latest events (an instance suspected or available again, a failover, a circuit's
 * transitions) with their times. Circuit transitions come from the breakers' own events;
 * the peers' from the heartbeat monitor's ticks, when it has just judged them, so that a
 * suspicion and the circuit it opens come in the order they happened.
 */
public final class Timeline implements SmartLifecycle, HeartbeatMonitor.Listener, Ordered {

	/** The most events kept: the page shows the latest. */
	public static final int EVENTS_KEPT = 200;

	/** The busiest keys of a partitioned function shown. */
	static final int BUSIEST_KEYS = 3;

	/** A φ beyond any threshold, written instead of an infinite one, which JSON cannot carry. */
	public static final double PHI_CEILING = 1000;

	private final BusinessFunctions functions;

	private final PeerRegistry peers;

	private final Duration interval;

	private final Duration window;

	private final int framesKept;

	private final LongSupplier clock;

	private final Map<String, FunctionOutcomes> outcomes = new ConcurrentHashMap<>();

	private final Deque<Frame> frames = new ArrayDeque<>();

	private final Deque<Event> events = new ArrayDeque<>();

	private Map<String, FunctionOutcomes.Counts> lastCounts = Map.of();

	// What the last tick saw: each instance's availability, each peer's active instance.
	private final Map<String, Boolean> availability = new HashMap<>();

	private final Map<String, String> activeInstances = new HashMap<>();

	private long lastTime;

	private ScheduledExecutorService scheduler;

	/**
	 * Creates a timeline.
	 * @param functions the business functions
	 * @param peers the peers
	 * @param interval the time between frames
	 * @param window how long frames are kept
	 */
	public Timeline(BusinessFunctions functions, PeerRegistry peers, Duration interval, Duration window) {
		this(functions, peers, interval, window, System::currentTimeMillis);
	}

	/**
	 * Creates a timeline on a clock of its own, such as a test's.
	 * @param functions the business functions
	 * @param peers the peers
	 * @param interval the time between frames
	 * @param window how long frames are kept
	 * @param clock the time in milliseconds since the epoch
	 */
	public Timeline(BusinessFunctions functions, PeerRegistry peers, Duration interval, Duration window,
			LongSupplier clock) {
		this.functions = functions;
		this.peers = peers;
		this.interval = interval;
		this.window = window;
		this.framesKept = (int) Math.max(1, window.toMillis() / interval.toMillis());
		this.clock = clock;
		functions.getFunctions().forEach((name, function) -> {
			this.outcomes.put(name, new FunctionOutcomes(function));
			function.getCircuitBreaker()
				.getEventPublisher()
				.onStateTransition((event) -> circuitChanged(name, event.getStateTransition(),
						event.getCreationTime().toInstant().toEpochMilli()));
		});
	}

	/**
	 * Takes a frame now: called every interval while running, and by tests.
	 */
	public synchronized void sample() {
		long now = this.clock.getAsLong();
		Map<String, InstanceReading> instances = new LinkedHashMap<>();
		this.peers.getPeers().forEach((name, peer) -> {
			for (PeerInstance instance : peer.getInstances()) {
				instances.put(key(name, instance), read(peer, instance));
			}
		});
		double seconds = (this.lastTime > 0) ? Math.max(1, now - this.lastTime) / 1000.0 : 0;
		Map<String, FunctionOutcomes.Counts> counts = new LinkedHashMap<>();
		Map<String, FunctionReading> functions = new LinkedHashMap<>();
		this.functions.getFunctions().forEach((name, function) -> {
			FunctionOutcomes.Counts current = this.outcomes.get(name).counts();
			counts.put(name, current);
			functions.put(name, read(function, current, this.lastCounts.get(name), seconds));
		});
		this.frames.addLast(new Frame(now, instances, functions));
		while (this.frames.size() > this.framesKept) {
			this.frames.removeFirst();
		}
		this.lastCounts = counts;
		this.lastTime = now;
	}

	/**
	 * Returns what changed after the given time: the frames and events since, with the
	 * peers and functions as they are now.
	 * @param since a time in milliseconds since the epoch, as the last slice's
	 * {@code now}; {@code 0} for the whole window
	 * @return the slice
	 */
	public synchronized Slice since(long since) {
		List<Frame> frames = new ArrayList<>();
		for (Frame frame : this.frames) {
			if (frame.time() > since) {
				frames.add(frame);
			}
		}
		List<Event> events = new ArrayList<>();
		for (Event event : this.events) {
			if (event.time() > since) {
				events.add(event);
			}
		}
		long now = (this.frames.isEmpty()) ? since : this.frames.getLast().time();
		return new Slice(now, this.interval.toMillis(), this.window.toMillis(), peerLayout(), functionLayout(), frames,
				events);
	}

	private Map<String, PeerLayout> peerLayout() {
		Map<String, PeerLayout> layout = new LinkedHashMap<>();
		this.peers.getPeers().forEach((name, peer) -> {
			Map<String, String> instances = new LinkedHashMap<>();
			peer.getInstances().forEach((instance) -> instances.put(instance.getName(), instance.displayUri()));
			layout.put(name, new PeerLayout(peer.isAvailable(), instances));
		});
		return layout;
	}

	private Map<String, FunctionLayout> functionLayout() {
		Map<String, FunctionLayout> layout = new LinkedHashMap<>();
		this.functions.getFunctions().forEach((name, function) -> {
			ThreadPoolBulkhead pool = function.getBulkhead();
			Bulkhead limit = function.getConcurrencyLimit();
			int threads = (pool != null) ? pool.getMetrics().getMaximumThreadPoolSize()
					: limit.getMetrics().getMaxAllowedConcurrentCalls();
			int queue = (pool != null) ? pool.getMetrics().getQueueCapacity() : 0;
			Partitions partitions = function.getPartitions();
			layout.put(name, new FunctionLayout(function.getPeer(), threads, queue, function.timeLimit().toMillis(),
					function.getCircuitBreaker().getState().name(), (partitions != null) ? partitions.share() : 0,
					(partitions != null) ? partitions.busiest(BUSIEST_KEYS) : Map.of()));
		});
		return layout;
	}

	private static InstanceReading read(Peer peer, PeerInstance instance) {
		DetectorSnapshot snapshot = instance.snapshot();
		double phi = Double.isFinite(snapshot.phi()) ? Math.min(snapshot.phi(), PHI_CEILING) : PHI_CEILING;
		return new InstanceReading(Math.round(phi * 1000.0) / 1000.0, snapshot.threshold(), instance.isAvailable(),
				peer.isActive(instance));
	}

	private static FunctionReading read(IsolatedFunction function, FunctionOutcomes.Counts now,
			FunctionOutcomes.Counts before, double seconds) {
		ThreadPoolBulkhead pool = function.getBulkhead();
		int active;
		int queued;
		if (pool != null) {
			active = pool.getMetrics().getActiveThreadCount() + inFlight(function.getReactiveConcurrencyLimit());
			queued = pool.getMetrics().getQueueDepth();
		}
		else {
			Bulkhead.Metrics limit = function.getConcurrencyLimit().getMetrics();
			active = limit.getMaxAllowedConcurrentCalls() - limit.getAvailableConcurrentCalls();
			queued = 0;
		}
		String state = function.getCircuitBreaker().getState().name();
		if (before == null || seconds == 0) {
			return new FunctionReading(state, active, queued, 0, 0, 0, 0, 0, 0);
		}
		return new FunctionReading(state, active, queued, rate(now.total() - before.total(), seconds),
				rate(now.circuitOpen() - before.circuitOpen(), seconds), rate(now.poolFull() - before.poolFull(), seconds),
				rate(now.partitionFull() - before.partitionFull(), seconds),
				rate(now.timeLimit() - before.timeLimit(), seconds), rate(now.error() - before.error(), seconds));
	}

	// Mono and Flux calls hold no thread of the pool but count as the function's work.
	private static int inFlight(Bulkhead limit) {
		return (limit != null)
				? limit.getMetrics().getMaxAllowedConcurrentCalls() - limit.getMetrics().getAvailableConcurrentCalls() : 0;
	}

	private static double rate(long calls, double seconds) {
		return Math.round(calls / seconds * 100.0) / 100.0;
	}

	/**
	 * Notes the peers' changes as the heartbeat monitor has just judged them: an instance
	 * suspected or available again, a peer's traffic moved to another instance.
	 */
	@Override
	public synchronized void ticked() {
		long now = this.clock.getAsLong();
		this.peers.getPeers().forEach((name, peer) -> {
			PeerInstance active = null;
			for (PeerInstance instance : peer.getInstances()) {
				String key = key(name, instance);
				boolean available = instance.isAvailable();
				Boolean before = this.availability.put(key, available);
				if (before != null && before != available) {
					DetectorSnapshot snapshot = instance.snapshot();
					event(now, available ? "available" : "suspected", key, String.format(Locale.ROOT,
							"phi %.2f %s threshold %.2f", snapshot.phi(), available ? "<" : ">=", snapshot.threshold()));
				}
				if (active == null && peer.isActive(instance)) {
					active = instance;
				}
			}
			String activeName = (active != null) ? active.getName() : null;
			String before = this.activeInstances.put(name, activeName);
			if (before != null && activeName != null && !before.equals(activeName)) {
				event(now, "failover", name, "from " + before + " to " + activeName);
			}
		});
	}

	/**
	 * Runs first among the monitor's listeners: before the link from a peer to its
	 * circuits acts on the same tick, so the events come in the order they happened.
	 */
	@Override
	public int getOrder() {
		return Ordered.HIGHEST_PRECEDENCE;
	}

	private void circuitChanged(String function, CircuitBreaker.StateTransition transition, long time) {
		String kind = switch (transition.getToState()) {
			case OPEN -> "opened";
			case HALF_OPEN -> "half-open";
			case CLOSED -> "closed";
			case FORCED_OPEN -> "forced-open";
			case DISABLED -> "disabled";
			case METRICS_ONLY -> "metrics-only";
		};
		synchronized (this) {
			event(time, kind, function, "circuit " + transition.getFromState() + " to " + transition.getToState());
		}
	}

	private void event(long time, String kind, String subject, String detail) {
		this.events.addLast(new Event(time, kind, subject, detail));
		while (this.events.size() > EVENTS_KEPT) {
			this.events.removeFirst();
		}
	}

	private static String key(String peer, PeerInstance instance) {
		return peer + "/" + instance.getName();
	}

	@Override
	public synchronized void start() {
		if (this.scheduler != null) {
			return;
		}
		this.scheduler = Executors.newSingleThreadScheduledExecutor((runnable) -> {
			Thread thread = new Thread(runnable, "faultline-dashboard");
			thread.setDaemon(true);
			return thread;
		});
		this.scheduler.scheduleAtFixedRate(this::sampleQuietly, 0, this.interval.toMillis(), TimeUnit.MILLISECONDS);
	}

	// A failed frame must not end the schedule: the next one is taken all the same.
	private void sampleQuietly() {
		try {
			sample();
		}
		catch (RuntimeException ex) {
			// Nothing to draw this interval; the next frame tells the story again.
		}
	}

	@Override
	public synchronized void stop() {
		if (this.scheduler != null) {
			this.scheduler.shutdownNow();
			this.scheduler = null;
		}
	}

	@Override
	public synchronized boolean isRunning() {
		return this.scheduler != null;
	}

	/**
	 * A peer instance's reading in one frame.
	 *
	 * @param phi its φ, at most {@value #PHI_CEILING}
	 * @param threshold the φ at which it is suspected
	 * @param available whether it is available (not suspected)
	 * @param active whether traffic goes to it
	 */
	public record InstanceReading(double phi, double threshold, boolean available, boolean active) {
	}

	/**
	 * A function's reading in one frame; the rates are calls per second since the frame
	 * before.
	 *
	 * @param circuit its circuit's state
	 * @param active its threads at work (calls in flight on virtual threads)
	 * @param queued the calls waiting in its pool's queue
	 * @param calls all calls
	 * @param circuitOpen calls the open circuit turned away
	 * @param poolFull calls refused by the full pool or concurrency limit
	 * @param partitionFull calls refused because their key held its share
	 * @param timeLimit calls past the time limit
	 * @param error calls that failed with their own error
	 */
	public record FunctionReading(String circuit, int active, int queued, double calls, double circuitOpen,
			double poolFull, double partitionFull, double timeLimit, double error) {
	}

	/**
	 * Every instance and function at one time.
	 *
	 * @param time milliseconds since the epoch
	 * @param instances the instances' readings, by {@code peer/instance}
	 * @param functions the functions' readings, by name
	 */
	public record Frame(long time, Map<String, InstanceReading> instances, Map<String, FunctionReading> functions) {
	}

	/**
	 * Something that happened.
	 *
	 * @param time milliseconds since the epoch
	 * @param kind {@code suspected}, {@code available}, {@code failover}, {@code opened},
	 * {@code half-open}, {@code closed}, or another circuit state an operator set
	 * @param subject the instance ({@code peer/instance}), peer or function
	 * @param detail a few words more
	 */
	public record Event(long time, String kind, String subject, String detail) {
	}

	/**
	 * A peer as it is now.
	 *
	 * @param available whether it is available
	 * @param instances its instances' URLs, by name
	 */
	public record PeerLayout(boolean available, Map<String, String> instances) {
	}

	/**
	 * A function as it is now.
	 *
	 * @param peer the peer it is linked to, if any
	 * @param threads its pool's most threads, or its concurrency limit
	 * @param queue its pool's queue capacity
	 * @param timeLimitMs its time limit
	 * @param circuit its circuit's state
	 * @param partitionShare the most places one key may hold; 0 when not partitioned
	 * @param busiestKeys the keys holding the most places now, busiest first
	 */
	public record FunctionLayout(String peer, int threads, int queue, long timeLimitMs, String circuit,
			int partitionShare, Map<String, Integer> busiestKeys) {
	}

	/**
	 * What changed since a time.
	 *
	 * @param now the time of the latest frame, to ask from next
	 * @param intervalMs the time between frames
	 * @param windowMs how long frames are kept
	 * @param peers the peers now
	 * @param functions the functions now
	 * @param frames the frames since
	 * @param events the events since
	 */
	public record Slice(long now, long intervalMs, long windowMs, Map<String, PeerLayout> peers,
			Map<String, FunctionLayout> functions, List<Frame> frames, List<Event> events) {
	}

}
