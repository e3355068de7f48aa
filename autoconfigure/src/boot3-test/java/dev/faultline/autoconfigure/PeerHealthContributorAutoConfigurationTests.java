package dev.faultline.autoconfigure;

import org.junit.jupiter.api.Test;

import org.springframework.boot.actuate.health.CompositeHealthContributor;
import org.springframework.boot.actuate.health.HealthContributor;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

class PeerHealthContributorAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(
				AutoConfigurations.of(PeerAutoConfiguration.class, PeerHealthContributorAutoConfiguration.class))
		.withPropertyValues("faultline.peers.payment.instances[0]=http://127.0.0.1:8081");

	@Test
	void peersWhenDeclaredGetAPeersHealthContributorWithOneComponentEach() {
		this.contextRunner.withPropertyValues("faultline.peers.stock.instances[0]=http://127.0.0.1:8082")
			.run((context) -> {
				assertThat(context).hasBean("peersHealthContributor");
				CompositeHealthContributor peers = context.getBean("peersHealthContributor", CompositeHealthContributor.class);
				assertThat(peers.getContributor("payment")).isInstanceOf(HealthIndicator.class);
				assertThat(peers.getContributor("stock")).isInstanceOf(HealthIndicator.class);
			});
	}

	@Test
	void noPeersDeclaredMeansNoContributor() {
		new ApplicationContextRunner()
			.withConfiguration(
					AutoConfigurations.of(PeerAutoConfiguration.class, PeerHealthContributorAutoConfiguration.class))
			.run((context) -> assertThat(context).doesNotHaveBean("peersHealthContributor"));
	}

	@Test
	void peersHealthContributorWhenUserDefinesOneShouldBackOff() {
		this.contextRunner.withUserConfiguration(UserContributor.class)
			.run((context) -> assertThat(context).getBean("peersHealthContributor")
				.isSameAs(UserContributor.CONTRIBUTOR));
	}

	@Test
	void peersHealthWhenDisabledIsNotContributed() {
		this.contextRunner.withPropertyValues("management.health.peers.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean("peersHealthContributor"));
	}

	@Test
	void peersHealthWithoutActuatorIsNotContributed() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(HealthContributor.class))
			.run((context) -> assertThat(context).doesNotHaveBean("peersHealthContributor"));
	}

	@Configuration(proxyBeanMethods = false)
	static class UserContributor {

		static final HealthIndicator CONTRIBUTOR = () -> Health.up().build();

		@Bean
		HealthIndicator peersHealthContributor() {
			return CONTRIBUTOR;
		}

	}

}
