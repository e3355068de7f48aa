package dev.faultline.autoconfigure;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.faultline.detector.DetectorSettings;
import dev.faultline.detector.FailureDetector;
import dev.faultline.detector.MonotonicClock;
import dev.faultline.peer.http.DaemonThreads;
import dev.faultline.peer.HeartbeatMonitor;
import dev.faultline.peer.HeartbeatProbe;
import dev.faultline.peer.http.HttpHeartbeatProbe;
import dev.faultline.peer.LocalPauseWatch;
import dev.faultline.peer.http.PassiveHeartbeatObservationHandler;
import dev.faultline.peer.Peer;
import dev.faultline.peer.PeerInstance;
import dev.faultline.peer.PeerRegistry;
import dev.faultline.peer.http.PeerRestClients;
import dev.faultline.peer.http.PeerWebClients;
import dev.faultline.peer.http.ReactivePassiveHeartbeatObservationHandler;
import dev.faultline.peer.http.Resend;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.ConfigurationPropertiesBinding;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.client.observation.ClientRequestObservationContext;
import org.springframework.util.ClassUtils;
import org.springframework.web.client.RestClient;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * Auto-configuration for downstream peers: their failure detectors, the heartbeat
 * monitor that probes them, and passive heartbeats from this service's own HTTP traffic.
 */
@AutoConfiguration
@ConditionalOnBooleanProperty(name = "faultline.enabled", matchIfMissing = true)
@EnableConfigurationProperties(FaultlineProperties.class)
public final class PeerAutoConfiguration {

	static final String DISCOVERY_CLIENT = "org.springframework.cloud.client.discovery.DiscoveryClient";

	@Bean
	@ConfigurationPropertiesBinding
	static EmptyFunctionConverter faultlineEmptyFunctionConverter() {
		return new EmptyFunctionConverter();
	}

	@Bean
	@ConditionalOnMissingBean
	MonotonicClock faultlineClock() {
		return MonotonicClock.SYSTEM;
	}

	@Bean
	@ConditionalOnMissingBean
	LocalPauseWatch localPauseWatch(FaultlineProperties properties) {
		return new LocalPauseWatch(tick(properties), properties.getMonitor().getMaxLocalPause());
	}

	@Bean
	@ConditionalOnMissingBean
	PeerRegistry peerRegistry(FaultlineProperties properties, MonotonicClock clock, LocalPauseWatch pauseWatch) {
		List<Peer> peers = new ArrayList<>();
		properties.getPeers().forEach((name, peer) -> {
			if (peer.isDiscovered()) {
				requireDiscoveryClientClass(name, peer);
				peers.add(Peer.discovered(name, peer.getDiscovery().getServiceId(), peer.getRouting()));
				return;
			}
			List<PeerInstance> instances = new ArrayList<>();
			for (int i = 0; i < peer.getInstances().size(); i++) {
				instances.add(instance(name, instanceName(i), peer.getInstances().get(i), peer, clock, pauseWatch));
			}
			peers.add(new Peer(name, instances, peer.isFailback(), peer.getRouting()));
		});
		return new PeerRegistry(peers);
	}

	@Bean
	@ConditionalOnMissingBean
	HeartbeatMonitor heartbeatMonitor(PeerRegistry registry, HeartbeatProbe probe, MonotonicClock clock,
			LocalPauseWatch pauseWatch, FaultlineProperties properties,
			ObjectProvider<HeartbeatMonitor.Listener> listeners) {
		return new HeartbeatMonitor(registry, probe, clock, pauseWatch, tick(properties),
				listeners.orderedStream().toList());
	}

	private static Duration tick(FaultlineProperties properties) {
		return HeartbeatMonitor
			.tickFor(properties.getPeers().values().stream().map(FaultlineProperties.Peer::toHeartbeatSettings).toList());
	}

	/**
	 * Returns the detector settings of a peer, as its properties give them; those left
	 * unset ({@code null}) take the defaults that {@link DetectorSettings} derives from
	 * the type and the heartbeat interval.
	 * @param peer the properties of the peer
	 * @return the settings each of its instances' detectors is built from
	 */
	static DetectorSettings detectorSettings(FaultlineProperties.Peer peer) {
		FaultlineProperties.Detector detector = peer.getDetector();
		return DetectorSettings.of(detector.getType(), peer.getHeartbeat().getInterval())
			.withThreshold(detector.getThreshold())
			.withMemoryHalfLife(detector.getMemoryHalfLife())
			.withMaxTailExponent(detector.getMaxTailExponent())
			.withOutageFactor(detector.getOutageFactor())
			.withMaxSamples(detector.getMaxSamples())
			.withMinStdDeviation(detector.getMinStdDeviation())
			.withAcceptableHeartbeatPause(detector.getAcceptableHeartbeatPause())
			.withFirstHeartbeatEstimate(detector.getFirstHeartbeatEstimate())
			.withMissedHeartbeats(detector.getMissedHeartbeats());
	}

	static PeerInstance instance(String peerName, String name, URI uri, FaultlineProperties.Peer peer,
			MonotonicClock clock, LocalPauseWatch pauseWatch) {
		return new PeerInstance(peerName, name, uri, peer.toHeartbeatSettings(),
				FailureDetector.create(detectorSettings(peer), clock), clock, pauseWatch);
	}

	private static void requireDiscoveryClientClass(String name, FaultlineProperties.Peer peer) {
		if (!ClassUtils.isPresent(DISCOVERY_CLIENT, PeerAutoConfiguration.class.getClassLoader())) {
			throw new InvalidConfigurationPropertyValueException("faultline.peers." + name + ".discovery.service-id",
					peer.getDiscovery().getServiceId(), "needs Spring Cloud's DiscoveryClient, and no Spring Cloud "
							+ "discovery is on the classpath: add a discovery client (such as "
							+ "spring-cloud-starter-netflix-eureka-client, spring-cloud-starter-consul-discovery, "
							+ "spring-cloud-starter-kubernetes-client, or spring-cloud-commons for its simple one "
							+ "from spring.cloud.discovery.client.simple.instances), or list the instances under faultline.peers."
							+ name + ".instances");
		}
	}

	// The first instance is the primary, the others stand by in order.
	private static String instanceName(int index) {
		return (index == 0) ? "primary" : "standby-" + index;
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(ClientRequestObservationContext.class)
	static class HttpClientConfiguration {

		// Seen through the clients' observations, so that no interceptor makes Spring
		// buffer the bodies of requests that never go to a peer.
		@Bean
		@ConditionalOnMissingBean
		PassiveHeartbeatObservationHandler passiveHeartbeatObservationHandler(PeerRegistry registry) {
			return new PassiveHeartbeatObservationHandler(registry);
		}

		@Bean
		@ConditionalOnMissingBean
		HeartbeatProbe heartbeatProbe(FaultlineProperties properties, BeanFactory beans,
				ObjectProvider<SslBundles> sslBundles) {
			DaemonThreads threads = new DaemonThreads("probe");
			return new HttpHeartbeatProbe(PeerRequestFactories.forProbes(properties, ApplicationHttpClients.of(beans),
					sslBundles.getIfAvailable(), threads), threads);
		}

		@Bean
		@ConditionalOnMissingBean
		PeerRestClients peerRestClients(PeerRegistry registry, FaultlineProperties properties,
				ObjectProvider<RestClient.Builder> builders, BeanFactory beans, ObjectProvider<SslBundles> sslBundles) {
			return new PeerRestClients(registry, () -> builders.getIfUnique(RestClient::builder),
					PeerRequestFactories.forReadyClients(properties, ApplicationHttpClients.of(beans),
							sslBundles.getIfAvailable(), new DaemonThreads("peer-client")),
					(name) -> Resend.idempotentAlsoOn(properties.getPeers().get(name).getClient().getResendIdempotentOn()));
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = { "org.springframework.web.reactive.function.client.WebClient",
			"reactor.core.publisher.Mono" })
	static class WebClientConfiguration {

		// The same passive heartbeats from the application's own WebClient traffic.
		@Bean
		@ConditionalOnMissingBean
		ReactivePassiveHeartbeatObservationHandler reactivePassiveHeartbeatObservationHandler(PeerRegistry registry) {
			return new ReactivePassiveHeartbeatObservationHandler(registry);
		}

		@Bean
		@ConditionalOnMissingBean
		PeerWebClients peerWebClients(PeerRegistry registry, FaultlineProperties properties,
				ObjectProvider<WebClient.Builder> builders) {
			return new PeerWebClients(registry, () -> builders.getIfUnique(WebClient::builder),
					(name) -> Resend.idempotentAlsoOn(properties.getPeers().get(name).getClient().getResendIdempotentOn()));
		}

	}

}
