package dev.faultline.peer;

import java.time.Duration;
import java.util.Collection;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import dev.faultline.detector.DetectorSnapshot;
import dev.faultline.detector.MonotonicClock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.SmartLifecycle;

/**
 * Sends the active probes and watches for pauses of this service itself.
 *
 * <p>
 * One daemon thread ticks at a fixed period, short against every heartbeat interval. On
 * each tick it records the tick with the {@link LocalPauseWatch}, sends the probes that
 * are due (asynchronously: the thread never waits on a peer) and logs every instance that
 * became suspected or available since the last tick.
 */
public final class HeartbeatMonitor implements SmartLifecycle {

	/**
	 * The lifecycle phase: below Spring Boot's web server start and stop
	 * ({@code DEFAULT_PHASE - 2048}) and its graceful shutdown ({@code DEFAULT_PHASE - 1024}),
	 * so watching starts before the server takes requests and stops only after it has
	 * drained them: a request still in flight keeps its detection and circuits.
	 */
	public static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 4096;

	/** The longest tick; shorter when a heartbeat interval is short. */
	public static final Duration MAX_TICK = Duration.ofMillis(100);

	private static final Duration MIN_TICK = Duration.ofMillis(10);

	private static final Logger logger = LoggerFactory.getLogger(HeartbeatMonitor.class);

	private final PeerRegistry registry;

	private final HeartbeatProbe probe;

	private final MonotonicClock clock;

	private final LocalPauseWatch pauseWatch;

	private final Duration tick;

	// What was last reported of each instance watched, and the registry's list it came
	// from; touched by the monitor's thread only (and before it starts).
	private final Map<PeerInstance, Boolean> available = new IdentityHashMap<>();

	private List<PeerInstance> watched;

	private final List<Listener> listeners;

	private volatile ScheduledExecutorService scheduler;

	/**
	 * Creates a monitor for every instance of the registry.
	 * @param registry the peers
	 * @param probe how to probe an instance
	 * @param clock the clock the detectors read
	 * @param pauseWatch the watch for pauses of this service
	 * @param tick the tick period, see {@link #tickFor(Collection)}
	 */
	public HeartbeatMonitor(PeerRegistry registry, HeartbeatProbe probe, MonotonicClock clock,
			LocalPauseWatch pauseWatch, Duration tick) {
		this(registry, probe, clock, pauseWatch, tick, List.of());
	}

	/**
	 * Creates a monitor for every instance of the registry that tells listeners after
	 * each tick.
	 * @param registry the peers
	 * @param probe how to probe an instance
	 * @param clock the clock the detectors read
	 * @param pauseWatch the watch for pauses of this service
	 * @param tick the tick period, see {@link #tickFor(Collection)}
	 * @param listeners called on the monitor's thread after each tick
	 */
	public HeartbeatMonitor(PeerRegistry registry, HeartbeatProbe probe, MonotonicClock clock,
			LocalPauseWatch pauseWatch, Duration tick, List<Listener> listeners) {
		this.listeners = List.copyOf(listeners);
		this.registry = registry;
		this.probe = probe;
		this.clock = clock;
		this.pauseWatch = pauseWatch;
		this.tick = tick;
		this.watched = registry.getInstances();
		this.watched.forEach((instance) -> this.available.put(instance, true));
	}

	/**
	 * Returns the tick period for peers with these heartbeat settings: a tenth of the
	 * shortest interval, between 10 ms and {@link #MAX_TICK}, so a probe leaves at most a
	 * tenth of an interval late.
	 * @param settings the heartbeat settings of every peer
	 * @return the tick period
	 */
	public static Duration tickFor(Collection<HeartbeatSettings> settings) {
		Duration tick = MAX_TICK;
		for (HeartbeatSettings heartbeat : settings) {
			Duration tenth = heartbeat.interval().dividedBy(10);
			if (tenth.compareTo(tick) < 0) {
				tick = tenth;
			}
		}
		return (tick.compareTo(MIN_TICK) < 0) ? MIN_TICK : tick;
	}

	/**
	 * Runs one tick now. The scheduler calls this; tests and the detection replay call it
	 * on a clock of their own instead of {@link #start() starting} the monitor.
	 */
	public void tick() {
		long now = this.clock.nanoTime();
		this.pauseWatch.tick(now);
		List<PeerInstance> instances = this.registry.getInstances();
		if (instances != this.watched) {
			follow(instances, true);
		}
		for (PeerInstance instance : instances) {
			if (instance.startProbeIfDue(now)) {
				send(instance);
			}
			reportChange(instance);
		}
		for (Listener listener : this.listeners) {
			try {
				listener.ticked();
			}
			catch (RuntimeException ex) {
				// One listener's failure must not keep the others from acting on this tick.
				logger.error("Heartbeat monitor listener {} failed; the next tick calls it again", listener, ex);
			}
		}
	}

	private void send(PeerInstance instance) {
		CompletableFuture<ProbeResult> answer;
		try {
			answer = this.probe.probe(instance);
		}
		catch (RuntimeException ex) {
			answer = CompletableFuture.failedFuture(ex);
		}
		// The answer is handled on the monitor's thread, like everything else it does, not
		// on whatever thread of the HTTP client completed it.
		answer.whenCompleteAsync((result, failure) -> {
			try {
				instance.probed((result != null) ? result
						: (failure != null) ? ProbeResult.noAnswer(failure) : ProbeResult.noAnswer("no result"));
			}
			finally {
				instance.probeFinished();
			}
		}, this::onMonitorThread);
	}

	private void onMonitorThread(Runnable task) {
		ScheduledExecutorService scheduler = this.scheduler;
		if (scheduler != null) {
			try {
				scheduler.execute(task);
				return;
			}
			catch (RejectedExecutionException ex) {
				// stopping: handle it here
			}
		}
		task.run();
	}

	// Discovery listed other instances: a new one is watched from now, with the same fair
	// start as at startup; one no longer listed is dropped.
	private void follow(List<PeerInstance> instances, boolean logNew) {
		Set<PeerInstance> listed = Collections.newSetFromMap(new IdentityHashMap<>());
		listed.addAll(instances);
		for (Iterator<PeerInstance> it = this.available.keySet().iterator(); it.hasNext();) {
			PeerInstance instance = it.next();
			if (!listed.contains(instance)) {
				it.remove();
				logger.info("Peer '{}' instance {} ({}) is no longer listed by discovery: not watched any more",
						instance.getPeerName(), instance.getName(), instance.displayUri());
			}
		}
		for (PeerInstance instance : instances) {
			if (!this.available.containsKey(instance)) {
				this.available.put(instance, true);
				instance.startWatching();
				if (logNew) {
					logWatching(instance);
				}
			}
		}
		this.watched = instances;
	}

	private void reportChange(PeerInstance instance) {
		boolean now = instance.isAvailable();
		Boolean before = this.available.put(instance, now);
		if (before == null || now == before) {
			return;
		}
		DetectorSnapshot snapshot = instance.snapshot();
		// a peer never heard from is not "available again", nor silent "after" a heartbeat
		boolean heard = instance.heartbeats(HeartbeatKind.ACTIVE) + instance.heartbeats(HeartbeatKind.PASSIVE) > 0;
		if (now) {
			logger.info("Peer '{}' instance {} ({}) is available{}: phi {} < threshold {}", instance.getPeerName(),
					instance.getName(), instance.displayUri(), heard ? " again" : ", first heard from now",
					format(snapshot.phi()), format(snapshot.threshold()));
		}
		else {
			ProbeResult lastProbe = instance.lastProbe();
			logger.warn("Peer '{}' instance {} ({}) is suspected: phi {} >= threshold {} after {} ms {}{}",
					instance.getPeerName(), instance.getName(), instance.displayUri(), format(snapshot.phi()),
					format(snapshot.threshold()), snapshot.sinceLastHeartbeat().toMillis(),
					heard ? "without a heartbeat" : "of watching without ever being heard from",
					(lastProbe != null) ? " (last probe: " + lastProbe + ")" : "");
		}
	}

	private void logWatching(PeerInstance instance) {
		HeartbeatSettings heartbeat = instance.getHeartbeat();
		logger.info("Watching peer '{}' instance {} ({}): {} heartbeats every {} ms, probing {} with a {} ms "
				+ "timeout; {}, threshold {}", instance.getPeerName(), instance.getName(), instance.displayUri(),
				heartbeat.mode().name().toLowerCase(Locale.ROOT), heartbeat.interval().toMillis(), heartbeat.path(),
				heartbeat.timeout().toMillis(), instance.getDetector().getClass().getSimpleName(),
				format(instance.getDetector().threshold()));
	}

	private static String format(double value) {
		return String.format(Locale.ROOT, "%.2f", value);
	}

	private void tickSafely() {
		try {
			tick();
		}
		catch (Throwable ex) {
			// Whatever a tick throws must not cancel the schedule: a dead monitor would leave
			// the pause watch holding every conviction, every peer available for good. The
			// next tick tries again.
			logger.error("Heartbeat monitor tick failed; the next tick runs as scheduled", ex);
		}
	}

	/**
	 * Starts every instance's watch from now. Watching starts with the first probe, not
	 * when the instances were created: the rest of this service's startup must neither
	 * read as the peers' silence nor be learned as an interval.
	 */
	public void startWatching() {
		follow(this.registry.getInstances(), false);
		this.watched.forEach(PeerInstance::startWatching);
	}

	@Override
	public synchronized void start() {
		if (this.scheduler != null || this.registry.getPeers().isEmpty()) {
			return;
		}
		startWatching();
		this.watched.forEach(this::logWatching);
		for (Peer peer : this.registry.getPeers().values()) {
			if (peer.isDiscovered() && peer.getInstances().isEmpty()) {
				logger.info("Watching peer '{}': no instance listed yet under service id '{}'", peer.getName(),
						peer.getServiceId());
			}
		}
		this.scheduler = Executors.newSingleThreadScheduledExecutor((runnable) -> {
			Thread thread = new Thread(runnable, "faultline-heartbeat");
			thread.setDaemon(true);
			return thread;
		});
		long period = this.tick.toNanos();
		this.scheduler.scheduleAtFixedRate(this::tickSafely, 0, period, TimeUnit.NANOSECONDS);
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

	@Override
	public int getPhase() {
		return PHASE;
	}

	/**
	 * Something that acts on the peers' state as the monitor sees it, such as the link
	 * from a suspected peer to the circuits of the functions that call it.
	 */
	@FunctionalInterface
	public interface Listener {

		/**
		 * Called on the monitor's thread after each tick; must be quick.
		 */
		void ticked();

	}

}
