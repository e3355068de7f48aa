package dev.faultline.autoconfigure;

import java.util.List;

import dev.faultline.actuate.dashboard.DashboardEndpoint;
import dev.faultline.actuate.dashboard.DashboardPage;
import dev.faultline.actuate.dashboard.Timeline;
import dev.faultline.function.BusinessFunctions;
import dev.faultline.peer.PeerRegistry;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * Auto-configuration of the {@code faultlinedashboard} Actuator endpoint, its page and
 * the timeline it draws. Nothing is sampled unless the endpoint is exposed.
 */
@AutoConfiguration(after = { PeerAutoConfiguration.class, BusinessFunctionAutoConfiguration.class })
@ConditionalOnClass({ Endpoint.class, BusinessFunctions.class, io.github.resilience4j.bulkhead.ThreadPoolBulkhead.class })
@ConditionalOnWebApplication
@ConditionalOnBean(PeerRegistry.class)
@ConditionalOnAvailableEndpoint(DashboardEndpoint.class)
public final class FaultlineDashboardAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	Timeline faultlineTimeline(ObjectProvider<BusinessFunctions> functions, PeerRegistry peers,
			FaultlineProperties properties) {
		return new Timeline(functions.getIfAvailable(() -> new BusinessFunctions(List.of())), peers,
				properties.getDashboard().getInterval(), properties.getDashboard().getWindow());
	}

	@Bean
	@ConditionalOnMissingBean
	DashboardPage faultlineDashboardPage(Environment environment) {
		return new DashboardPage(environment.getProperty("spring.application.name", "application"));
	}

	@Bean
	@ConditionalOnMissingBean
	DashboardEndpoint faultlineDashboardEndpoint(DashboardPage page, Timeline timeline) {
		return new DashboardEndpoint(page, timeline);
	}

}
