package dev.faultline.autoconfigure;

import java.time.Duration;

import dev.faultline.peer.HeartbeatKind;
import dev.faultline.peer.PeerRegistry;
import dev.faultline.peer.TestPeerServer;
import dev.faultline.peer.http.PeerWebClients;
import dev.faultline.peer.http.ReactivePassiveHeartbeatObservationHandler;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.client.reactive.JdkClientHttpConnector;
import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The ready WebClient per peer and passive heartbeats from WebClient traffic (tests that
 * run with WebFlux and Reactor on the classpath), against a real HTTP server.
 */
class ReactivePeerClientsTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(PeerAutoConfiguration.class))
		.withUserConfiguration(WebClientBuilderConfiguration.class);

	@Test
	void readyWebClientOfAPeerSendsToItsInstanceAndCountsTheAnswerAsAHeartbeat() {
		try (TestPeerServer payment = TestPeerServer.start()) {
			this.contextRunner.withPropertyValues("faultline.peers.payment.instances=" + payment.uri(),
					"faultline.peers.payment.heartbeat.mode=passive")
				.run((context) -> {
					assertThat(context).hasSingleBean(ReactivePassiveHeartbeatObservationHandler.class);
					WebClient client = context.getBean(PeerWebClients.class).get("payment");
					Integer status = client.get().uri("/pay").retrieve().toBodilessEntity()
						.map((entity) -> entity.getStatusCode().value())
						.block(Duration.ofSeconds(10));
					assertThat(status).isEqualTo(200);
					assertThat(payment.requests()).isEqualTo(1);
					assertThat(context.getBean(PeerRegistry.class).getInstances().get(0)
						.heartbeats(HeartbeatKind.PASSIVE)).isEqualTo(1);
				});
		}
	}

	@Test
	void readyWebClientsBackOffFromTheApplicationsOwn() {
		PeerWebClients own = new PeerWebClients(new PeerRegistry(java.util.List.of()), WebClient::builder,
				(peer) -> null);
		this.contextRunner.withPropertyValues("faultline.peers.payment.instances=http://127.0.0.1:9")
			.withBean(PeerWebClients.class, () -> own)
			.run((context) -> assertThat(context).getBean(PeerWebClients.class).isSameAs(own));
	}

	@Configuration(proxyBeanMethods = false)
	static class WebClientBuilderConfiguration {

		@Bean
		WebClient.Builder webClientBuilder() {
			return WebClient.builder().clientConnector(new JdkClientHttpConnector());
		}

	}

}
