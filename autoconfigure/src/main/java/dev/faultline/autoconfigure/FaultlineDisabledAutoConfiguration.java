package dev.faultline.autoconfigure;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;

import dev.faultline.function.BusinessFunction;
import dev.faultline.function.BusinessFunctions;
import dev.faultline.peer.http.DaemonThreads;
import dev.faultline.peer.http.PeerRestClients;
import io.github.resilience4j.bulkhead.ThreadPoolBulkhead;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.timelimiter.TimeLimiter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.ConfigurationPropertiesBinding;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.client.RestClient;

/**
 * What Faultline leaves in place when it is switched off with
 * {@code faultline.enabled=false}: the application still starts and works, unprotected.
 * Code that injects {@link BusinessFunctions} or {@link PeerRestClients} gets both, in a
 * pass-through form:
 * <ul>
 * <li>{@link BusinessFunctions#passThrough(java.util.Collection) business functions} run
 * each call directly on the caller's thread, without pool, circuit breaker, time limit or
 * fallback, and {@link BusinessFunction @BusinessFunction} methods run as the plain
 * methods they are;</li>
 * <li>{@link PeerRestClients#direct(Map, java.util.function.Supplier, java.util.function.Function)
 * each peer's client} sends its requests to the peer's first instance, with the peer's
 * connect and read timeouts and SSL bundle, and nothing watches the peers: no probes, no passive
 * heartbeats, no failure detector, no failover.</li>
 * </ul>
 * Nothing else of Faultline's is there: no resilience4j defaults, no {@code faultline}
 * Actuator endpoint, no {@code peers} health contributor, no {@code faultline.peer.*}
 * meters. The configuration under {@code faultline} is still bound and validated, so
 * turning Faultline back on cannot fail over a setting that was wrong all along.
 */
@AutoConfiguration
@ConditionalOnBooleanProperty(name = "faultline.enabled", havingValue = false)
@EnableConfigurationProperties(FaultlineProperties.class)
public final class FaultlineDisabledAutoConfiguration {

	private static final Logger logger = LoggerFactory.getLogger(FaultlineDisabledAutoConfiguration.class);

	FaultlineDisabledAutoConfiguration() {
		logger.info("Faultline is disabled (faultline.enabled=false): business functions run their calls directly "
				+ "on the caller's thread, and peers are called on their first instance without being watched");
	}

	@Bean
	@ConfigurationPropertiesBinding
	static EmptyFunctionConverter faultlineEmptyFunctionConverter() {
		return new EmptyFunctionConverter();
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass({ ThreadPoolBulkhead.class, CircuitBreaker.class, TimeLimiter.class })
	static class PassThroughFunctionsConfiguration {

		@Bean
		@ConditionalOnMissingBean
		BusinessFunctions businessFunctions(FaultlineProperties properties) {
			return BusinessFunctions.passThrough(properties.getFunctions().keySet());
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(RestClient.class)
	static class DirectPeerClientsConfiguration {

		@Bean
		@ConditionalOnMissingBean
		PeerRestClients peerRestClients(FaultlineProperties properties, ObjectProvider<RestClient.Builder> builders,
				BeanFactory beans, ObjectProvider<SslBundles> sslBundles) {
			Map<String, URI> firstInstances = new LinkedHashMap<>();
			// A discovered peer has no instance listed: its service id as a host name, as a
			// Kubernetes service resolves.
			properties.getPeers().forEach((name, peer) -> firstInstances.put(name, peer.isDiscovered()
					? URI.create("http://" + peer.getDiscovery().getServiceId()) : peer.getInstances().get(0)));
			return PeerRestClients.direct(firstInstances, () -> builders.getIfUnique(RestClient::builder),
					PeerRequestFactories.forReadyClients(properties, ApplicationHttpClients.of(beans),
							sslBundles.getIfAvailable(), new DaemonThreads("peer-client")));
		}

	}

}
