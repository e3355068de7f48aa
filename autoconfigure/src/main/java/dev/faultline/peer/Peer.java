package dev.faultline.peer;

import java.util.List;
import java.util.Objects;

/**
 * A downstream service this service calls, with one or more instances, the first being
 * the primary. A peer is suspected when all of its instances are.
 */
public final class Peer {

	private final String name;

	private final List<PeerInstance> instances;

	/**
	 * Creates a peer.
	 * @param name the peer's name, as configured under {@code faultline.peers}
	 * @param instances its instances, the primary first; at least one
	 */
	public Peer(String name, List<PeerInstance> instances) {
		this.name = Objects.requireNonNull(name, "name");
		this.instances = List.copyOf(instances);
		if (this.instances.isEmpty()) {
			throw new IllegalArgumentException("Peer '" + name + "' needs at least one instance");
		}
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

	@Override
	public String toString() {
		return "Peer '" + this.name + "' " + this.instances;
	}

}
