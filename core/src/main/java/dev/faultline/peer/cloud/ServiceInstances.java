package dev.faultline.peer.cloud;

import java.util.Optional;

import dev.faultline.peer.Peer;
import dev.faultline.peer.PeerInstance;
import dev.faultline.peer.PeerRegistry;

import org.springframework.cloud.client.ServiceInstance;

/**
 * How a Spring Cloud {@link ServiceInstance} is named and found among the peers.
 */
final class ServiceInstances {

	private ServiceInstances() {
	}

	/**
	 * Returns the name a discovered instance goes by: its instance id, or
	 * {@code host:port} where discovery gives none.
	 * @param service the service instance
	 * @return the name
	 */
	static String name(ServiceInstance service) {
		String id = service.getInstanceId();
		return (id != null && !id.isBlank()) ? id : service.getHost() + ":" + service.getPort();
	}

	/**
	 * Finds the peer instance a service instance is: the instance of that name in a peer
	 * discovered under its service id, else the instance at its URL.
	 * @param registry the peers
	 * @param service the service instance
	 * @return the peer instance, if Faultline watches it
	 */
	static Optional<PeerInstance> find(PeerRegistry registry, ServiceInstance service) {
		String name = name(service);
		for (Peer peer : registry.getPeers().values()) {
			if (peer.isDiscovered() && peer.getServiceId().equalsIgnoreCase(String.valueOf(service.getServiceId()))) {
				for (PeerInstance instance : peer.getInstances()) {
					if (instance.getName().equals(name)) {
						return Optional.of(instance);
					}
				}
			}
		}
		return (service.getUri() != null) ? registry.instanceFor(service.getUri()) : Optional.empty();
	}

}
