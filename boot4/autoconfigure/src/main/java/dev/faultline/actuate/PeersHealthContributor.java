package dev.faultline.actuate;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

import dev.faultline.peer.Peer;
import dev.faultline.peer.PeerInstance;
import dev.faultline.peer.PeerRegistry;

import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthContributor;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.HealthContributors;
import org.springframework.boot.health.contributor.Status;

/**
 * The {@code peers} health contributor: one component per peer, and below a peer with
 * several instances one component per instance ({@code primary}, {@code standby-1}, …);
 * below a discovered peer one per instance that discovery lists now, by its instance id.
 */
public final class PeersHealthContributor {

	// The one component of a discovered peer while discovery lists no instance of it.
	private static final String NONE = "no-instance";

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
		if (peer.isDiscovered()) {
			return new DiscoveredInstances(peer, downWhenSuspected);
		}
		if (peer.getInstances().size() == 1) {
			return new PeerInstanceHealthIndicator(peer, peer.getInstances().get(0), downWhenSuspected);
		}
		Map<String, PeerInstance> byName = new LinkedHashMap<>();
		peer.getInstances().forEach((instance) -> byName.put(instance.getName(), instance));
		return CompositeHealthContributor.fromMap(byName,
				(instance) -> new PeerInstanceHealthIndicator(peer, instance, downWhenSuspected));
	}

	// The instances discovery lists at the moment of each health request, named by their
	// instance ids.
	private record DiscoveredInstances(Peer peer, boolean downWhenSuspected) implements CompositeHealthContributor {

		@Override
		public HealthContributor getContributor(String name) {
			if (this.peer.getInstances().isEmpty()) {
				return NONE.equals(name) ? none() : null;
			}
			for (PeerInstance instance : this.peer.getInstances()) {
				if (instance.getName().equals(name)) {
					return new PeerInstanceHealthIndicator(this.peer, instance, this.downWhenSuspected);
				}
			}
			return null;
		}

		// A peer with no instance is suspected: shown, not left out of health.
		private HealthIndicator none() {
			return () -> Health.status(this.downWhenSuspected ? Status.DOWN : PeerInstanceHealthIndicator.SUSPECTED)
				.withDetail("serviceId", this.peer.getServiceId())
				.withDetail("reason", "discovery lists no instance under this service id")
				.build();
		}

		@Override
		public Stream<HealthContributors.Entry> stream() {
			if (this.peer.getInstances().isEmpty()) {
				return Stream.of(new HealthContributors.Entry(NONE, none()));
			}
			return this.peer.getInstances()
				.stream()
				.map((instance) -> new HealthContributors.Entry(instance.getName(),
						new PeerInstanceHealthIndicator(this.peer, instance, this.downWhenSuspected)));
		}

	}

}
