package dev.faultline.actuate;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

import dev.faultline.peer.Peer;
import dev.faultline.peer.PeerInstance;
import dev.faultline.peer.PeerRegistry;

import org.springframework.boot.actuate.health.CompositeHealthContributor;
import org.springframework.boot.actuate.health.HealthContributor;
import org.springframework.boot.actuate.health.NamedContributor;

/**
 * The {@code peers} health contributor: one component per peer, and below a peer with
 * several instances one component per instance ({@code primary}, {@code standby-1}, …).
 */
public final class PeersHealthContributor implements CompositeHealthContributor {

	private final Map<String, HealthContributor> contributors;

	/**
	 * Creates the contributor for every peer of the registry.
	 * @param registry the peers
	 * @param downWhenSuspected whether a suspected instance is reported {@code DOWN}
	 */
	public PeersHealthContributor(PeerRegistry registry, boolean downWhenSuspected) {
		Map<String, HealthContributor> byPeer = new LinkedHashMap<>();
		for (Peer peer : registry.getPeers().values()) {
			byPeer.put(peer.getName(), contributorFor(peer, downWhenSuspected));
		}
		this.contributors = byPeer;
	}

	private static HealthContributor contributorFor(Peer peer, boolean downWhenSuspected) {
		if (peer.getInstances().size() == 1) {
			return new PeerInstanceHealthIndicator(peer, peer.getInstances().get(0), downWhenSuspected);
		}
		Map<String, HealthContributor> byInstance = new LinkedHashMap<>();
		for (PeerInstance instance : peer.getInstances()) {
			byInstance.put(instance.getName(), new PeerInstanceHealthIndicator(peer, instance, downWhenSuspected));
		}
		return CompositeHealthContributor.fromMap(byInstance);
	}

	@Override
	public HealthContributor getContributor(String name) {
		return this.contributors.get(name);
	}

	@Override
	public Iterator<NamedContributor<HealthContributor>> iterator() {
		return this.contributors.entrySet()
			.stream()
			.map((entry) -> NamedContributor.of(entry.getKey(), entry.getValue()))
			.iterator();
	}

}
