package dev.faultline.peer;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A downstream service this service calls, with one or more instances, the first being
 * the primary and the others standbys in order. A peer is suspected when all of its
 * instances are.
 *
 * <p>
 * Requests go to the active instance. When it is suspected, the first instance that is
 * not takes over. With failback the primary takes over again as soon as it is available;
 * without (the default) traffic stays on the instance that works, so a primary that
 * flaps does not drag traffic back and forth.
 */
public final class Peer {

	private static final Logger logger = LoggerFactory.getLogger(Peer.class);

	private final String name;

	private final List<PeerInstance> instances;

	private final boolean failback;

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
		this.name = Objects.requireNonNull(name, "name");
		this.instances = List.copyOf(instances);
		if (this.instances.isEmpty()) {
			throw new IllegalArgumentException("Peer '" + name + "' needs at least one instance");
		}
		this.failback = failback;
		this.active = new AtomicReference<>(this.instances.get(0));
	}

	public String getName() {
		return this.name;
	}

	/**
	 * Returns the instances, the primary first.
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
		PeerInstance current = this.active.get();
		if (!this.failback && current.isAvailable()) {
			return current;
		}
		PeerInstance next = firstAvailable();
		if (next == null || next == current) {
			return current;
		}
		if (this.active.compareAndSet(current, next)) {
			logger.warn("Peer '{}' {} from {} ({}) to {} ({})", this.name,
					(next == this.instances.get(0)) ? "fails back" : "fails over", current.getName(),
					current.displayUri(), next.getName(), next.displayUri());
			return next;
		}
		return this.active.get();
	}

	/**
	 * Returns whether the instance is the one requests go to now (without failing over).
	 * @param instance one of this peer's instances
	 * @return whether it is active
	 */
	public boolean isActive(PeerInstance instance) {
		return this.active.get() == instance;
	}

	/**
	 * Returns the instances in the order a request tries them: the active one, then the
	 * other available ones, then the suspected ones, each group in configured order.
	 * @return the instances to try
	 */
	public List<PeerInstance> failoverOrder() {
		PeerInstance first = activeInstance();
		List<PeerInstance> order = new ArrayList<>(this.instances.size());
		order.add(first);
		List<PeerInstance> suspected = new ArrayList<>();
		for (PeerInstance instance : this.instances) {
			if (instance != first) {
				(instance.isAvailable() ? order : suspected).add(instance);
			}
		}
		order.addAll(suspected);
		return order;
	}

	private PeerInstance firstAvailable() {
		for (PeerInstance instance : this.instances) {
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
