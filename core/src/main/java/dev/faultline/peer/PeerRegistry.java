package dev.faultline.peer;

import java.net.URI;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The peers this service watches, by name, and the lookup from a request URL to the
 * instance it went to (used to turn traffic responses into passive heartbeats). A
 * discovered peer's instances change through {@link #update(String, List)}; readers see
 * either the instances before an update or after it, never a mix.
 */
public final class PeerRegistry {

	private final Map<String, Peer> peers;

	private volatile Index index;

	/**
	 * Creates a registry of the given peers.
	 * @param peers the peers, in the order they were configured
	 */
	public PeerRegistry(Collection<Peer> peers) {
		Map<String, Peer> byName = new LinkedHashMap<>();
		for (Peer peer : peers) {
			if (byName.putIfAbsent(peer.getName(), peer) != null) {
				throw new IllegalArgumentException("Peer '" + peer.getName() + "' is declared twice");
			}
		}
		this.peers = Collections.unmodifiableMap(byName);
		this.index = new Index(byName.values());
	}

	/**
	 * Replaces the instances of a discovered peer with those discovery lists now. An
	 * instance kept from before should be passed as the same object, so that its detector
	 * and counts carry on; one left out is dropped.
	 * @param peer the name of a discovered peer
	 * @param instances its instances now, possibly none
	 * @throws IllegalArgumentException if no such peer is declared
	 * @throws IllegalStateException if the peer's instances are configured, not discovered
	 */
	public synchronized void update(String peer, List<PeerInstance> instances) {
		Peer target = this.peers.get(peer);
		if (target == null) {
			throw new IllegalArgumentException("No peer '" + peer + "' is declared");
		}
		target.setInstances(instances);
		this.index = new Index(this.peers.values());
	}

	/**
	 * Returns the peers by name, in the order they were configured.
	 * @return the peers
	 */
	public Map<String, Peer> getPeers() {
		return this.peers;
	}

	/**
	 * Returns the peer of that name, if declared.
	 * @param name the peer's name
	 * @return the peer
	 */
	public Optional<Peer> find(String name) {
		return Optional.ofNullable(this.peers.get(name));
	}

	/**
	 * Returns every instance of every peer now. The list returned is replaced, not
	 * changed, when a discovered peer's instances change: compare it by identity to see
	 * whether they did.
	 * @return the instances
	 */
	public List<PeerInstance> getInstances() {
		return this.index.instances;
	}

	/**
	 * Returns the instance that a request to {@code uri} went to: same scheme, host and
	 * port, and a path under the instance's base path. Where several match, the one with
	 * the longest base path wins.
	 * @param uri the request URL
	 * @return the instance, if the URL belongs to a peer
	 */
	public Optional<PeerInstance> instanceFor(URI uri) {
		if (uri == null || uri.getScheme() == null || uri.getHost() == null) {
			return Optional.empty();
		}
		List<PeerInstance> candidates = this.index.byOrigin.get(origin(uri));
		if (candidates == null) {
			return Optional.empty();
		}
		String path = (uri.getRawPath() != null) ? uri.getRawPath() : "";
		PeerInstance best = null;
		int bestLength = -1;
		for (PeerInstance candidate : candidates) {
			String base = basePath(candidate.getUri());
			if (isUnder(path, base) && base.length() > bestLength) {
				best = candidate;
				bestLength = base.length();
			}
		}
		return Optional.ofNullable(best);
	}

	// Rebuilt whole on every update: updates are rare (discovery's changes), lookups are per
	// request.
	private static final class Index {

		private final List<PeerInstance> instances;

		// Keyed by "scheme://host:port": the lookup runs once per outgoing request.
		private final Map<String, List<PeerInstance>> byOrigin = new HashMap<>();

		Index(Collection<Peer> peers) {
			List<PeerInstance> all = new ArrayList<>();
			for (Peer peer : peers) {
				for (PeerInstance instance : peer.getInstances()) {
					all.add(instance);
					this.byOrigin.computeIfAbsent(origin(instance.getUri()), (key) -> new ArrayList<>()).add(instance);
				}
			}
			this.instances = List.copyOf(all);
		}

	}

	private static boolean isUnder(String path, String base) {
		return base.isEmpty() || path.equals(base) || path.startsWith(base + "/");
	}

	private static String basePath(URI uri) {
		String path = (uri.getRawPath() != null) ? uri.getRawPath() : "";
		return path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
	}

	private static String origin(URI uri) {
		String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
		int port = uri.getPort();
		if (port == -1) {
			port = "https".equals(scheme) ? 443 : 80;
		}
		return scheme + "://" + uri.getHost().toLowerCase(Locale.ROOT) + ":" + port;
	}

}
