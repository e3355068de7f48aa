package dev.faultline.autoconfigure;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import dev.faultline.detector.AdaptiveFailureDetector;
import dev.faultline.detector.AdaptiveSettings;
import dev.faultline.detector.DetectorSettings;
import dev.faultline.detector.DetectorType;
import dev.faultline.detector.FixedTimeoutDetector;
import dev.faultline.detector.MonotonicClock;
import dev.faultline.detector.PhiAccrualFailureDetector;
import dev.faultline.detector.PhiAccrualSettings;
import dev.faultline.peer.HeartbeatMode;
import dev.faultline.peer.HeartbeatMonitor;
import dev.faultline.peer.HeartbeatProbe;
import dev.faultline.peer.ProbeResult;
import dev.faultline.peer.LocalPauseWatch;
import dev.faultline.peer.http.PassiveHeartbeatObservationHandler;
import dev.faultline.peer.Peer;
import dev.faultline.peer.PeerInstance;
import dev.faultline.peer.PeerRegistry;
import dev.faultline.peer.Routing;
import dev.faultline.peer.http.PeerRestClients;
import dev.faultline.peer.http.Resend;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.client.observation.ClientRequestObservationContext;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;

class PeerAutoConfigurationTests {

	private static final String PAYMENT = "faultline.peers.payment";

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(PeerAutoConfiguration.class));

	@Test
	void peerWhenDeclaredIsRegisteredWithItsInstancesAndDefaults() {
		this.contextRunner
			.withPropertyValues(PAYMENT + ".instances[0]=http://127.0.0.1:8081",
					PAYMENT + ".instances[1]=http://127.0.0.1:8082")
			.run((context) -> {
				PeerRegistry registry = context.getBean(PeerRegistry.class);
				assertThat(registry.find("payment")).hasValueSatisfying((peer) -> {
					assertThat(peer.getInstances()).extracting(PeerInstance::getName)
						.containsExactly("primary", "standby-1");
					PeerInstance primary = peer.getInstances().get(0);
					assertThat(primary.getHeartbeat().path()).isEqualTo("/actuator/health/liveness");
					assertThat(primary.getHeartbeat().interval()).isEqualTo(Duration.ofSeconds(1));
					assertThat(primary.getHeartbeat().timeout()).isEqualTo(Duration.ofMillis(500));
					assertThat(primary.getHeartbeat().mode()).isEqualTo(HeartbeatMode.HYBRID);
					assertThat(primary.getDetector()).isInstanceOf(AdaptiveFailureDetector.class);
					assertThat(((AdaptiveFailureDetector) primary.getDetector()).settings())
						.isEqualTo(AdaptiveSettings.DEFAULTS);
				});
				assertThat(context).hasSingleBean(HeartbeatMonitor.class);
				assertThat(context.getBean(HeartbeatMonitor.class).isRunning()).isTrue();
				assertThat(registry.find("payment")).get().extracting(Peer::getRouting).isEqualTo(Routing.FAILOVER);
			});
	}

	@Test
	void discoveredPeerWithoutSpringCloudFailsStartupNamingThePropertyAndWhatToAdd() {
		// This module's tests run without Spring Cloud, as most applications do.
		this.contextRunner.withPropertyValues(PAYMENT + ".discovery.service-id=payment").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause()
				.hasMessageContaining("faultline.peers.payment.discovery.service-id")
				.hasMessageContaining("spring-cloud-starter-netflix-eureka-client")
				.hasMessageContaining("faultline.peers.payment.instances");
		});
	}

	@Test
	void balancedRoutingIsThePeersRouting() {
		this.contextRunner
			.withPropertyValues(PAYMENT + ".instances=http://127.0.0.1:8081,http://127.0.0.1:8082",
					PAYMENT + ".routing=balanced", PAYMENT + ".client.resend-idempotent-on=timeout,gateway-status")
			.run((context) -> {
				assertThat(context.getBean(PeerRegistry.class).find("payment")).get()
					.extracting(Peer::getRouting)
					.isEqualTo(Routing.BALANCED);
				assertThat(context.getBean(FaultlineProperties.class).getPeers().get("payment").getClient()
					.getResendIdempotentOn()).containsExactly(Resend.Condition.TIMEOUT, Resend.Condition.GATEWAY_STATUS);
			});
	}

	@Test
	void detectorPropertiesDefaultToTheLibrarysSettings() {
		assertThat(PeerAutoConfiguration.detectorSettings(new FaultlineProperties.Peer()))
			.isEqualTo(DetectorSettings.of(DetectorType.ADAPTIVE, Duration.ofSeconds(1)));
	}

	@Test
	void detectorPropertiesAreMappedToTheirSettings() {
		FaultlineProperties.Peer peer = new FaultlineProperties.Peer();
		peer.getHeartbeat().setInterval(Duration.ofSeconds(2));
		FaultlineProperties.Detector detector = peer.getDetector();
		detector.setType(DetectorType.FIXED);
		detector.setThreshold(7.0);
		detector.setMemoryHalfLife(100);
		detector.setMaxTailExponent(50);
		detector.setOutageFactor(3);
		detector.setMaxSamples(20);
		detector.setMinStdDeviation(Duration.ofMillis(20));
		detector.setAcceptableHeartbeatPause(Duration.ofMillis(300));
		detector.setFirstHeartbeatEstimate(Duration.ofMillis(400));
		detector.setMissedHeartbeats(4);
		assertThat(PeerAutoConfiguration.detectorSettings(peer)).isEqualTo(new DetectorSettings(DetectorType.FIXED,
				Duration.ofSeconds(2), 7.0, 100, 50, 3, 20, Duration.ofMillis(20), Duration.ofMillis(300),
				Duration.ofMillis(400), 4));
	}

	@Test
	void detectorPauseAndFirstEstimateWhenUnsetFollowTheHeartbeatInterval() {
		this.contextRunner
			.withPropertyValues(PAYMENT + ".instances[0]=http://127.0.0.1:8081", PAYMENT + ".heartbeat.interval=3s",
					PAYMENT + ".detector.type=phi", PAYMENT + ".detector.threshold=10", PAYMENT + ".detector.max-samples=50",
					PAYMENT + ".detector.min-std-deviation=50ms")
			.run((context) -> {
				PhiAccrualSettings settings = ((PhiAccrualFailureDetector) onlyInstance(context).getDetector())
					.settings();
				assertThat(settings).isEqualTo(new PhiAccrualSettings(10, 50, Duration.ofMillis(50),
						Duration.ofSeconds(3), Duration.ofSeconds(3)));
			});
	}

	@Test
	void classicPhiWithoutAThresholdGetsItsOwnDefaultOf8() {
		this.contextRunner
			.withPropertyValues(PAYMENT + ".instances[0]=http://127.0.0.1:8081", PAYMENT + ".detector.type=phi")
			.run((context) -> assertThat(((PhiAccrualFailureDetector) onlyInstance(context).getDetector()).settings())
				.isEqualTo(PhiAccrualSettings.DEFAULTS));
	}

	@Test
	void adaptiveSettingsFollowTheirPropertiesAndTheHeartbeatInterval() {
		this.contextRunner
			.withPropertyValues(PAYMENT + ".instances[0]=http://127.0.0.1:8081", PAYMENT + ".heartbeat.interval=2s",
					PAYMENT + ".detector.threshold=6", PAYMENT + ".detector.memory-half-life=100",
					PAYMENT + ".detector.max-tail-exponent=50", PAYMENT + ".detector.outage-factor=3")
			.run((context) -> assertThat(((AdaptiveFailureDetector) onlyInstance(context).getDetector()).settings())
				.isEqualTo(new AdaptiveSettings(6, Duration.ofSeconds(2), 100, 50, 3)));
	}

	@Test
	void detectorTypeFixedUsesFixedTimeoutDetector() {
		this.contextRunner
			.withPropertyValues(PAYMENT + ".instances[0]=http://127.0.0.1:8081", PAYMENT + ".detector.type=fixed",
					PAYMENT + ".detector.missed-heartbeats=5")
			.run((context) -> assertThat(onlyInstance(context).getDetector())
				.isInstanceOf(FixedTimeoutDetector.class));
	}

	@Test
	void faultlineWhenDisabledCreatesNothing() {
		this.contextRunner
			.withPropertyValues("faultline.enabled=false", PAYMENT + ".instances[0]=http://127.0.0.1:8081")
			.run((context) -> assertThat(context).doesNotHaveBean(PeerRegistry.class)
				.doesNotHaveBean(HeartbeatMonitor.class));
	}

	@Test
	void peerRegistryWhenUserDefinesOneShouldBackOff() {
		this.contextRunner.withUserConfiguration(UserBeans.class)
			.withPropertyValues(PAYMENT + ".instances[0]=http://127.0.0.1:8081")
			.run((context) -> assertThat(context.getBean(PeerRegistry.class)).isSameAs(UserBeans.REGISTRY));
	}

	@Test
	void clockWhenUserDefinesOneShouldBackOff() {
		this.contextRunner.withUserConfiguration(UserBeans.class)
			.run((context) -> assertThat(context.getBean(MonotonicClock.class)).isSameAs(UserBeans.CLOCK));
	}

	@Test
	void localPauseWatchWhenUserDefinesOneShouldBackOff() {
		this.contextRunner.withUserConfiguration(UserBeans.class)
			.run((context) -> assertThat(context.getBean(LocalPauseWatch.class)).isSameAs(UserBeans.PAUSE_WATCH));
	}

	@Test
	void heartbeatProbeWhenUserDefinesOneShouldBackOff() {
		this.contextRunner.withUserConfiguration(UserBeans.class)
			.run((context) -> assertThat(context.getBean(HeartbeatProbe.class)).isSameAs(UserBeans.PROBE));
	}

	@Test
	void heartbeatMonitorWhenUserDefinesOneShouldBackOff() {
		this.contextRunner.withUserConfiguration(UserMonitor.class)
			.run((context) -> assertThat(context).getBean(HeartbeatMonitor.class)
				.isSameAs(context.getBean("userMonitor")));
	}

	@Test
	void withoutSpringWebNeitherPassiveHeartbeatsNorTheHttpProbeAreConfigured() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(ClientRequestObservationContext.class))
			.withUserConfiguration(UserBeans.class)
			.withPropertyValues(PAYMENT + ".instances[0]=http://127.0.0.1:8081")
			.run((context) -> assertThat(context).hasSingleBean(HeartbeatMonitor.class)
				.doesNotHaveBean(PassiveHeartbeatObservationHandler.class)
				.doesNotHaveBean(PeerRestClients.class)
				.getBean(HeartbeatProbe.class)
				.isSameAs(UserBeans.PROBE));
	}

	@Test
	void noInterceptorIsAddedToTheApplicationsClientBuilders() {
		this.contextRunner
			.withConfiguration(AutoConfigurations.of(BootAutoConfigurations.HTTP_MESSAGE_CONVERTERS,
					BootAutoConfigurations.REST_CLIENT, BootAutoConfigurations.REST_TEMPLATE))
			.withPropertyValues(PAYMENT + ".instances[0]=http://127.0.0.1:8081")
			.run((context) -> {
				assertThat(BootAutoConfigurations.restTemplate(context).getInterceptors()).isEmpty();
				assertThat(context.getBean(RestClient.Builder.class).build().mutate())
					.satisfies((builder) -> builder.requestInterceptors((interceptors) -> assertThat(interceptors).isEmpty()));
			});
	}

	private static PeerInstance onlyInstance(org.springframework.context.ApplicationContext context) {
		return context.getBean(PeerRegistry.class).getInstances().get(0);
	}

	@Configuration(proxyBeanMethods = false)
	static class UserBeans {

		static final PeerRegistry REGISTRY = new PeerRegistry(java.util.List.of());

		static final MonotonicClock CLOCK = () -> 42L;

		static final LocalPauseWatch PAUSE_WATCH = new LocalPauseWatch(Duration.ofSeconds(1), Duration.ofSeconds(2));

		static final HeartbeatProbe PROBE = (instance) -> CompletableFuture.completedFuture(ProbeResult.answered(200));

		@Bean
		PeerRegistry userRegistry() {
			return REGISTRY;
		}

		@Bean
		MonotonicClock userClock() {
			return CLOCK;
		}

		@Bean
		LocalPauseWatch userPauseWatch() {
			return PAUSE_WATCH;
		}

		@Bean
		HeartbeatProbe userProbe() {
			return PROBE;
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UserMonitor {

		@Bean
		HeartbeatMonitor userMonitor(PeerRegistry registry, MonotonicClock clock, LocalPauseWatch pauseWatch) {
			return new HeartbeatMonitor(registry, (instance) -> CompletableFuture.completedFuture(ProbeResult.answered(200)), clock,
					pauseWatch, Duration.ofMillis(100));
		}

	}

}
