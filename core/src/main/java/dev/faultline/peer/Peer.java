package dev.faultline.peer;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicReference;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A downstream service this service calls, with one or more instances, the first being
 * the primary and the others standbys in order. A peer is suspected when all of its
 * instances are.
 *
 * <p>
 * With {@link Routing#FAILOVER failover} routing (the default) requests go to the active
 * instance. When it is suspected, the first instance that is not takes over. With
 * failback the primary takes over again as soon as it is available; without (the
 * default) traffic stays on the instance that works, so a primary that flaps does not
 * drag traffic back and forth. With {@link Routing#BALANCED balanced} routing each
 * request goes to one of the available instances, the less loaded of two picked at
 * random.
 */
public final class Peer {

	private static final Logger logger = LoggerFactory.getLogger(Peer.class);

	private final String name;

	// Replaced whole when discovery lists other instances; read without locking.
	private volatile List<PeerInstance> instances;

	private final String serviceId;

	private final boolean failback;

	private final Routing routing;

	private final AtomicReference<PeerInstance> active;

	/**
	 * Creates a peer that stays on a working standby.
	 * @param name the peer's name, as configured under {@code faultline.peers}
	 * @param instances its instances, the primary first; at least one
	 */
	public Peer(String name, List<PeerInstance> instances) {
		this(name, instances, false);
	}

	/**
	 * Creates a peer.
	 * @param name the peer's name, as configured under {@code faultline.peers}
	 * @param instances its instances, the primary first; at least one
	 * @param failback whether traffic returns to the primary once it is available again
	 */
	public Peer(String name, List<PeerInstance> instances, boolean failback) {
		this(name, instances, failback, Routing.FAILOVER);
	}

	/**
	 * Creates a peer.
	 * @param name the peer's name, as configured under {@code faultline.peers}
	 * @param instances its instances, the primary first; at least one
	 * @param failback whether traffic returns to the primary once it is available again
	 * (failover routing only)
	 * @param routing how requests are spread over the instances
	 */
	public Peer(String name, List<PeerInstance> instances, boolean failback, Routing routing) {
		this(name, instances, null, failback, routing);
		if (this.instances.isEmpty()) {
			throw new IllegalArgumentException("Peer '" + name + "' needs at least one instance");
		}
	}

	private Peer(String name, List<PeerInstance> instances, String serviceId, boolean failback, Routing routing) {
		this.name = Objects.requireNonNull(name, "name");
		this.instances = List.copyOf(instances);
		this.serviceId = serviceId;
		this.failback = failback;
		this.routing = Objects.requireNonNull(routing, "routing");
		this.active = new AtomicReference<>(this.instances.isEmpty() ? null : this.instances.get(0));
	}

	/**
	 * Creates a peer whose instances come from service discovery, none until it lists
	 * some: see {@link PeerRegistry#update(String, List)}.
	 * @param name the peer's name, as configured under {@code faultline.peers}
	 * @param serviceId the service's id in discovery
	 * @param routing how requests are spread over the instances
	 * @return the peer
	 */
	public static Peer discovered(String name, String serviceId, Routing routing) {
		return new Peer(name, List.of(), Objects.requireNonNull(serviceId, "serviceId"), false, routing);
	}

	/**
	 * Returns the service id under which discovery lists this peer's instances.
	 * @return the service id, or {@code null} for a peer with configured instances
	 */
	public String getServiceId() {
		return this.serviceId;
	}

	/**
	 * Returns whether this peer's instances come from service discovery.
	 * @return whether they are discovered
	 */
	public boolean isDiscovered() {
		return this.serviceId != null;
	}

	// Through the registry only, which keeps its index of instances in step.
	void setInstances(List<PeerInstance> instances) {
		if (!isDiscovered()) {
			throw new IllegalStateException("Peer '" + this.name + "' has configured instances; only a discovered "
					+ "peer's instances change");
		}
		this.instances = List.copyOf(instances);
	}

	public String getName() {
		return this.name;
	}

	/**
	 * Returns the instances now, the primary first; a discovered peer's as discovery last
	 * listed them (none before it listed any).
	 * @return the instances
	 */
	public List<PeerInstance> getInstances() {
		return this.instances;
	}

	/**
	 * Returns whether traffic returns to the primary once it is available again.
	 * @return whether failback is on
	 */
	public boolean isFailback() {
		return this.failback;
	}

	/**
	 * Returns how requests are spread over the instances.
	 * @return the routing
	 */
	public Routing getRouting() {
		return this.routing;
	}

	/**
	 * Returns whether at least one instance is considered alive.
	 * @return {@code false} when every instance is suspected
	 */
	public boolean isAvailable() {
		for (PeerInstance instance : this.instances) {
			if (instance.isAvailable()) {
				return true;
			}
		}
		return false;
	}

	/**
	 * Returns the instance that requests go to now, failing over (or back) first if the
	 * detectors say so. When every instance is suspected, the active one stays.
	 * @return the active instance
	 */
	public PeerInstance activeInstance() {
		List<PeerInstance> instances = this.instances;
		PeerInstance current = this.active.get();
		if (current == null || !instances.contains(current)) {
			// Gone from discovery, or none listed before: the first that works takes over.
			PeerInstance next = firstAvailable(instances);
			next = (next != null || instances.isEmpty()) ? next : instances.get(0);
			return this.active.compareAndSet(current, next) ? next : this.active.get();
		}
		if (!this.failback && current.isAvailable()) {
			return current;
		}
		PeerInstance next = firstAvailable(instances);
		if (next == null || next == current) {
			return current;
		}
		if (this.active.compareAndSet(current, next)) {
			logger.warn("Peer '{}' {} from {} ({}) to {} ({})", this.name,
					(next == instances.get(0)) ? "fails back" : "fails over", current.getName(),
					current.displayUri(), next.getName(), next.displayUri());
			return next;
		}
		return this.active.get();
	}

	/**
	 * Returns whether the instance gets requests now (without failing over): with failover
	 * routing, whether it is the active one; balanced, whether it is available, or, when
	 * none is, whether it is any.
	 * @param instance one of this peer's instances
	 * @return whether it is active
	 */
	public boolean isActive(PeerInstance instance) {
		if (this.routing == Routing.BALANCED) {
			return instance.isAvailable() || !isAvailable();
		}
		return this.active.get() == instance;
	}

	/**
	 * Returns the instances in the order a request tries them, as the routing says: the
	 * first gets the request, the others are where it may be sent again when the first
	 * cannot have received it (a refused connection, for example).
	 * @return the instances to try
	 */
	public List<PeerInstance> requestOrder() {
		return (this.routing == Routing.BALANCED) ? balancedOrder() : failoverOrder();
	}

	// Of two available instances picked at random, the one with fewer requests in flight
	// first ("the power of two choices": nearly as even as the least loaded of all, without
	// every caller herding onto the same one), then the other available ones, least loaded
	// first, then the suspected ones. When none is available, all are treated alike.
	private List<PeerInstance> balancedOrder() {
		List<PeerInstance> instances = this.instances;
		if (instances.isEmpty()) {
			return List.of();
		}
		List<PeerInstance> available = new ArrayList<>(instances.size());
		List<PeerInstance> suspected = new ArrayList<>();
		for (PeerInstance instance : instances) {
			(instance.isAvailable() ? available : suspected).add(instance);
		}
		if (available.isEmpty()) {
			available = suspected;
			suspected = List.of();
		}
		List<PeerInstance> order = new ArrayList<>(instances.size());
		PeerInstance first = lessLoadedOfTwo(available);
		order.add(first);
		available.stream()
			.filter((instance) -> instance != first)
			.sorted(Comparator.comparingInt(PeerInstance::requestsInFlight))
			.forEach(order::add);
		order.addAll(suspected);
		return order;
	}

	private static PeerInstance lessLoadedOfTwo(List<PeerInstance> instances) {
		int size = instances.size();
		if (size == 1) {
			return instances.get(0);
		}
		ThreadLocalRandom random = ThreadLocalRandom.current();
		int a = random.nextInt(size);
		int b = random.nextInt(size - 1);
		if (b >= a) {
			b++;
		}
		PeerInstance first = instances.get(a);
		PeerInstance second = instances.get(b);
		return (second.requestsInFlight() < first.requestsInFlight()) ? second : first;
	}

	/**
	 * Returns the instances in the order failover routing tries them: the active one, then
	 * the other available ones, then the suspected ones, each group in configured order.
	 * @return the instances to try
	 */
	public List<PeerInstance> failoverOrder() {
		List<PeerInstance> instances = this.instances;
		PeerInstance first = activeInstance();
		if (first == null) {
			return List.of();
		}
		List<PeerInstance> order = new ArrayList<>(instances.size() + 1);
		order.add(first);
		List<PeerInstance> suspected = new ArrayList<>();
		for (PeerInstance instance : instances) {
			if (instance != first) {
				(instance.isAvailable() ? order : suspected).add(instance);
			}
		}
		order.addAll(suspected);
		return order;
	}

	private static PeerInstance firstAvailable(List<PeerInstance> instances) {
		for (PeerInstance instance : instances) {
			if (instance.isAvailable()) {
				return instance;
			}
		}
		return null;
	}

	@Override
	public String toString() {
		return "Peer '" + this.name + "' " + this.instances;
	}

}
