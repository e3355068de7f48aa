package dev.faultline.autoconfigure;

import dev.faultline.actuate.PeerMetrics;
import dev.faultline.peer.PeerRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration of the peer meters ({@code faultline.peer.*}).
 */
@AutoConfiguration(after = PeerAutoConfiguration.class)
@ConditionalOnClass(MeterBinder.class)
@ConditionalOnBean(PeerRegistry.class)
public final class PeerMetricsAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	PeerMetrics peerMetrics(PeerRegistry registry) {
		return new PeerMetrics(registry);
	}

}
