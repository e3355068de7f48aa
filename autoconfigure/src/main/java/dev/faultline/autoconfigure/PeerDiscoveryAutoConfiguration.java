package dev.faultline.autoconfigure;

import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;

import dev.faultline.detector.MonotonicClock;
import dev.faultline.peer.LocalPauseWatch;
import dev.faultline.peer.PeerRegistry;
import dev.faultline.peer.cloud.DiscoveredInstances;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.client.discovery.DiscoveryClient;
import org.springframework.cloud.client.discovery.event.HeartbeatEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration of the peers whose instances come from Spring Cloud's
 * {@link DiscoveryClient}, when Spring Cloud Commons is on the classpath.
 */
@AutoConfiguration(after = PeerAutoConfiguration.class)
@ConditionalOnClass(DiscoveryClient.class)
@ConditionalOnBean(PeerRegistry.class)
@ConditionalOnPeers
public final class PeerDiscoveryAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	DiscoveredInstances discoveredInstances(PeerRegistry registry, ObjectProvider<DiscoveryClient> discovery,
			FaultlineProperties properties, MonotonicClock clock, LocalPauseWatch pauseWatch) {
		DiscoveryClient client = discovery.getIfAvailable();
		if (client == null) {
			properties.getPeers()
				.entrySet()
				.stream()
				.filter((entry) -> entry.getValue().isDiscovered())
				.findFirst()
				.ifPresent((entry) -> {
					throw new InvalidConfigurationPropertyValueException(
							"faultline.peers." + entry.getKey() + ".discovery.service-id",
							entry.getValue().getDiscovery().getServiceId(),
							"needs a Spring Cloud DiscoveryClient bean, and there is none: add a discovery client "
									+ "(such as spring-cloud-starter-netflix-eureka-client) or turn on the one "
									+ "you have, or list the instances under faultline.peers." + entry.getKey()
									+ ".instances");
				});
		}
		// Without a client there is no discovered peer either: nothing to list.
		Function<String, List<ServiceInstance>> listing = (client != null) ? client::getInstances
				: (serviceId) -> List.of();
		Supplier<List<String>> services = (client != null) ? client::getServices : List::of;
		return new DiscoveredInstances(registry, listing, services,
				(peer, name, uri) -> PeerAutoConfiguration.instance(peer.getName(), name, uri,
						properties.getPeers().get(peer.getName()), clock, pauseWatch),
				properties.getMonitor().getDiscoveryRefreshInterval());
	}

	// Discovery clients publish it when their catalog may have changed: ask at once.
	@Bean
	ApplicationListener<HeartbeatEvent> faultlineDiscoveryRefresh(ObjectProvider<DiscoveredInstances> instances) {
		return (event) -> instances.ifAvailable(DiscoveredInstances::refresh);
	}

}
