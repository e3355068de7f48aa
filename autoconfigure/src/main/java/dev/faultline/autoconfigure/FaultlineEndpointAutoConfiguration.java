package dev.faultline.autoconfigure;

import java.util.List;

import dev.faultline.actuate.FaultlineEndpoint;
import dev.faultline.function.BusinessFunctions;
import dev.faultline.peer.PeerRegistry;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration of the {@code faultline} Actuator endpoint.
 */
@AutoConfiguration(after = { PeerAutoConfiguration.class, BusinessFunctionAutoConfiguration.class })
@ConditionalOnClass({ Endpoint.class, BusinessFunctions.class, io.github.resilience4j.bulkhead.ThreadPoolBulkhead.class })
@ConditionalOnBean(PeerRegistry.class)
@ConditionalOnAvailableEndpoint(FaultlineEndpoint.class)
public final class FaultlineEndpointAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	FaultlineEndpoint faultlineEndpoint(ObjectProvider<BusinessFunctions> functions, PeerRegistry peers) {
		return new FaultlineEndpoint(functions.getIfAvailable(() -> new BusinessFunctions(List.of())), peers);
	}

}
