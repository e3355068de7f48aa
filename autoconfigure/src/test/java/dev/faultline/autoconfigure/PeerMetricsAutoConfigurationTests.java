package dev.faultline.autoconfigure;

import dev.faultline.actuate.PeerMetrics;
import dev.faultline.detector.AdaptiveSettings;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

class PeerMetricsAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(PeerAutoConfiguration.class, PeerMetricsAutoConfiguration.class))
		.withPropertyValues("faultline.peers.payment.instances[0]=http://127.0.0.1:8081",
				"faultline.peers.payment.instances[1]=http://127.0.0.1:8082");

	@Test
	void peerMetricsBindPhiAvailabilityAndHeartbeatsPerInstance() {
		this.contextRunner.run((context) -> {
			SimpleMeterRegistry registry = new SimpleMeterRegistry();
			context.getBean(PeerMetrics.class).bindTo(registry);

			assertThat(registry.get("faultline.peer.phi").tags("peer", "payment").gauges()).hasSize(2);
			assertThat(registry.get("faultline.peer.phi").tags("peer", "payment", "instance", "standby-1").gauge().value())
				.isFinite()
				.isGreaterThanOrEqualTo(0.0);
			assertThat(registry.get("faultline.peer.phi.threshold").tags("peer", "payment", "instance", "primary")
				.gauge()
				.value()).isEqualTo(AdaptiveSettings.DEFAULTS.threshold());
			assertThat(registry.get("faultline.peer.available").tags("instance", "primary").gauge().value())
				.isEqualTo(1.0);
			assertThat(registry.get("faultline.peer.heartbeats").tags("kind", "passive").functionCounters()).hasSize(2);
			assertThat(registry.get("faultline.peer.heartbeats").tags("kind", "active").functionCounters()).hasSize(2);
			assertThat(registry.get("faultline.peer.probe.failures").functionCounters()).hasSize(2);
			assertThat(registry.get("faultline.peer.requests").functionCounters()).hasSize(2);
		});
	}

	@Test
	void peerMetricsWhenUserDefinesThemShouldBackOff() {
		this.contextRunner.withUserConfiguration(UserMetrics.class)
			.run((context) -> assertThat(context).getBean(PeerMetrics.class).isSameAs(context.getBean("userMetrics")));
	}

	@Test
	void peerMetricsWithoutMicrometerAreNotConfigured() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(MeterBinder.class))
			.run((context) -> assertThat(context).doesNotHaveBean(PeerMetrics.class));
	}

	@Configuration(proxyBeanMethods = false)
	static class UserMetrics {

		@Bean
		PeerMetrics userMetrics(dev.faultline.peer.PeerRegistry registry) {
			return new PeerMetrics(registry);
		}

	}

}
