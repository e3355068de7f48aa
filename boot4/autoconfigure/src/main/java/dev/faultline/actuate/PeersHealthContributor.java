package dev.faultline.actuate;

import java.util.LinkedHashMap;
import java.util.Map;

import dev.faultline.peer.Peer;
import dev.faultline.peer.PeerInstance;
import dev.faultline.peer.PeerRegistry;

import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.HealthContributor;

/**
 * The {@code peers} health contributor: one component per peer, and below a peer with
 * several instances one component per instance ({@code primary}, {@code standby-1}, …).
 */
public final class PeersHealthContributor {

	private PeersHealthContributor() {
	}

	/**
	 * Creates the contributor for every peer of the registry.
	 * @param registry the peers
	 * @param downWhenSuspected whether a suspected instance is reported {@code DOWN}
	 * @return the contributor
	 */
	public static CompositeHealthContributor of(PeerRegistry registry, boolean downWhenSuspected) {
		return CompositeHealthContributor.fromMap(registry.getPeers(), (peer) -> contributorFor(peer, downWhenSuspected));
	}

	private static HealthContributor contributorFor(Peer peer, boolean downWhenSuspected) {
		if (peer.getInstances().size() == 1) {
			return new PeerInstanceHealthIndicator(peer, peer.getInstances().get(0), downWhenSuspected);
		}
		Map<String, PeerInstance> byName = new LinkedHashMap<>();
		peer.getInstances().forEach((instance) -> byName.put(instance.getName(), instance));
		return CompositeHealthContributor.fromMap(byName,
				(instance) -> new PeerInstanceHealthIndicator(peer, instance, downWhenSuspected));
	}

}
