package dev.faultline.autoconfigure;

import dev.faultline.actuate.PeersHealthContributor;
import dev.faultline.peer.PeerRegistry;

import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthContributor;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration of the {@code peers} health contributor. Peers never join the
 * liveness or readiness groups unless the user adds them.
 */
@AutoConfiguration(after = PeerAutoConfiguration.class)
@ConditionalOnClass(HealthContributor.class)
@ConditionalOnBean(PeerRegistry.class)
@ConditionalOnPeers
@ConditionalOnEnabledHealthIndicator("peers")
public final class PeerHealthContributorAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean(name = "peersHealthContributor")
	HealthContributor peersHealthContributor(PeerRegistry registry, FaultlineProperties properties) {
		return PeersHealthContributor.of(registry, properties.getHealth().isDownWhenSuspected());
	}

}
