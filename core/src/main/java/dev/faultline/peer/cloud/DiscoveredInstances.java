package dev.faultline.peer.cloud;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;

import dev.faultline.peer.HeartbeatMonitor;
import dev.faultline.peer.Peer;
import dev.faultline.peer.PeerInstance;
import dev.faultline.peer.PeerRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.client.discovery.DiscoveryClient;
import org.springframework.context.SmartLifecycle;

/**
 * Keeps each discovered peer's instances as Spring Cloud's {@link DiscoveryClient} lists
 * them: asked when watching starts, every refresh interval, and whenever
 * {@link #refresh()} is called (on Spring Cloud's {@code HeartbeatEvent}, which discovery
 * clients publish when their catalog may have changed).
 *
 * <p>
 * An instance is known by its instance id (or {@code host:port} where discovery gives
 * none) and its URI: one still listed keeps its detector and counts; one newly listed
 * gets a new detector, watched from then with the same fair start as at startup; one no
 * longer listed is dropped. When discovery fails, the instances stay as they were.
 */
public final class DiscoveredInstances implements SmartLifecycle {

	/** Just before the heartbeat monitor, so it starts with the instances listed. */
	public static final int PHASE = HeartbeatMonitor.PHASE - 1;

	private static final Logger logger = LoggerFactory.getLogger(DiscoveredInstances.class);

	private final PeerRegistry registry;

	private final Function<String, List<ServiceInstance>> discovery;

	private final InstanceFactory instances;

	private final Duration refreshInterval;

	private final Set<String> failing = new LinkedHashSet<>();

	private final Set<String> empty = new LinkedHashSet<>();

	private final Supplier<List<String>> services;

	private volatile ScheduledExecutorService scheduler;

	/**
	 * Creates the link from discovery to the registry's discovered peers.
	 * @param registry the peers
	 * @param discovery the instances of a service id, such as
	 * {@link DiscoveryClient#getInstances(String)} of the application's discovery client
	 * @param instances makes an instance for a peer, with its detector
	 * @param refreshInterval how often discovery is asked
	 */
	public DiscoveredInstances(PeerRegistry registry, Function<String, List<ServiceInstance>> discovery,
			InstanceFactory instances, Duration refreshInterval) {
		this(registry, discovery, List::of, instances, refreshInterval);
	}

	/**
	 * Creates the link from discovery to the registry's discovered peers.
	 * @param registry the peers
	 * @param discovery the instances of a service id, such as
	 * {@link DiscoveryClient#getInstances(String)} of the application's discovery client
	 * @param services the service ids discovery knows, named when a peer's has no
	 * instance, such as {@link DiscoveryClient#getServices()}
	 * @param instances makes an instance for a peer, with its detector
	 * @param refreshInterval how often discovery is asked
	 */
	public DiscoveredInstances(PeerRegistry registry, Function<String, List<ServiceInstance>> discovery,
			Supplier<List<String>> services, InstanceFactory instances, Duration refreshInterval) {
		this.registry = registry;
		this.services = services;
		this.discovery = discovery;
		this.instances = instances;
		this.refreshInterval = refreshInterval;
	}

	/**
	 * Asks discovery for every discovered peer's instances now and updates those that
	 * changed.
	 */
	public synchronized void refresh() {
		for (Peer peer : this.registry.getPeers().values()) {
			if (peer.isDiscovered()) {
				refresh(peer);
			}
		}
	}

	private void refresh(Peer peer) {
		List<ServiceInstance> listed;
		try {
			listed = this.discovery.apply(peer.getServiceId());
		}
		catch (RuntimeException ex) {
			if (this.failing.add(peer.getName())) {
				logger.warn("Discovery failed to list service '{}' of peer '{}'; its instances stay as they were "
						+ "until it answers: {}", peer.getServiceId(), peer.getName(), ex.toString());
			}
			return;
		}
		if (this.failing.remove(peer.getName())) {
			logger.info("Discovery lists service '{}' of peer '{}' again", peer.getServiceId(), peer.getName());
		}
		Map<String, PeerInstance> current = new HashMap<>();
		peer.getInstances().forEach((instance) -> current.put(key(instance.getName(), instance.getUri()), instance));
		List<PeerInstance> next = new ArrayList<>();
		Set<String> names = new LinkedHashSet<>();
		boolean changed = false;
		for (ServiceInstance service : (listed != null) ? listed : List.<ServiceInstance>of()) {
			URI uri = service.getUri();
			String name = ServiceInstances.name(service);
			if (uri == null || !names.add(name)) {
				continue;
			}
			PeerInstance instance = current.remove(key(name, uri));
			if (instance == null) {
				instance = this.instances.create(peer, name, uri);
				changed = true;
				logger.info("Peer '{}' instance {} ({}) is listed by discovery", peer.getName(), name, uri);
			}
			next.add(instance);
		}
		if (changed || !current.isEmpty() || next.size() != peer.getInstances().size()) {
			this.registry.update(peer.getName(), next);
		}
		if (!next.isEmpty()) {
			this.empty.remove(peer.getName());
		}
		else if (this.empty.add(peer.getName())) {
			logger.warn("Discovery lists no instance under service id '{}': peer '{}' is suspected until it does. "
					+ "Service ids discovery knows: {}", peer.getServiceId(), peer.getName(), knownServices());
		}
	}

	private Object knownServices() {
		try {
			return this.services.get();
		}
		catch (RuntimeException ex) {
			return "(discovery could not list them: " + ex + ")";
		}
	}

	private static String key(String name, URI uri) {
		return name + " " + uri;
	}

	@Override
	public synchronized void start() {
		if (this.scheduler != null) {
			return;
		}
		refresh();
		this.scheduler = Executors.newSingleThreadScheduledExecutor((runnable) -> {
			Thread thread = new Thread(runnable, "faultline-discovery");
			thread.setDaemon(true);
			return thread;
		});
		long period = this.refreshInterval.toNanos();
		this.scheduler.scheduleWithFixedDelay(this::refreshSafely, period, period, TimeUnit.NANOSECONDS);
	}

	private void refreshSafely() {
		try {
			refresh();
		}
		catch (RuntimeException ex) {
			// The next refresh tries again: a dead schedule would freeze the instances.
			logger.error("Refreshing the discovered peers failed; the next refresh runs as scheduled", ex);
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
	public boolean isRunning() {
		return this.scheduler != null;
	}

	@Override
	public int getPhase() {
		return PHASE;
	}

	/**
	 * Makes the instance of a peer that discovery listed, with a detector of its own.
	 */
	@FunctionalInterface
	public interface InstanceFactory {

		/**
		 * Creates an instance.
		 * @param peer the discovered peer
		 * @param name the instance's name: its instance id in discovery
		 * @param uri its base URL
		 * @return the instance, watched from when the heartbeat monitor first sees it
		 */
		PeerInstance create(Peer peer, String name, URI uri);

	}

}
