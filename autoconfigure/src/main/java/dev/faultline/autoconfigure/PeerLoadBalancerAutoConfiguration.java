package dev.faultline.autoconfigure;

import dev.faultline.peer.PeerRegistry;
import dev.faultline.peer.cloud.LoadBalancedResponses;
import dev.faultline.peer.cloud.SuspectedInstancesFilter;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.cloud.loadbalancer.annotation.LoadBalancerClientSpecification;
import org.springframework.cloud.loadbalancer.core.ServiceInstanceListSupplier;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Auto-configuration for Spring Cloud LoadBalancer users: every load-balanced client
 * chooses among the instances Faultline does not suspect, and its responses are
 * heartbeats. Nothing in the application's clients changes.
 */
@AutoConfiguration(after = PeerAutoConfiguration.class)
@ConditionalOnClass({ ServiceInstanceListSupplier.class, LoadBalancerClientSpecification.class })
@ConditionalOnBean(PeerRegistry.class)
@ConditionalOnPeers
public final class PeerLoadBalancerAutoConfiguration {

	/**
	 * Registers {@link SuspectedInstancesConfiguration} in every load balancer's own
	 * context, as {@code @LoadBalancerClients(defaultConfiguration = …)} does: a name
	 * starting with {@code default.} applies to every service.
	 * @return the specification
	 */
	@Bean
	static LoadBalancerClientSpecification faultlineLoadBalancerSpecification() {
		return new LoadBalancerClientSpecification("default.faultline",
				new Class<?>[] { SuspectedInstancesConfiguration.class });
	}

	@Bean
	@ConditionalOnMissingBean
	LoadBalancedResponses faultlineLoadBalancedResponses(PeerRegistry registry) {
		return new LoadBalancedResponses(registry);
	}

	/**
	 * Configuration of each load balancer's context: its list of instances, whoever built
	 * it, leaves out those Faultline suspects.
	 */
	@Configuration(proxyBeanMethods = false)
	static class SuspectedInstancesConfiguration {

		@Bean
		static BeanPostProcessor faultlineSuspectedInstancesFilter(ObjectProvider<PeerRegistry> registry) {
			return new BeanPostProcessor() {

				@Override
				public Object postProcessAfterInitialization(Object bean, String beanName) {
					if (bean instanceof ServiceInstanceListSupplier supplier && !(bean instanceof SuspectedInstancesFilter)) {
						PeerRegistry peers = registry.getIfAvailable();
						return (peers != null) ? new SuspectedInstancesFilter(supplier, peers) : bean;
					}
					return bean;
				}

			};
		}

	}

}
