package dev.faultline.autoconfigure;

import java.net.URI;
import java.time.Duration;
import java.util.List;

import dev.faultline.peer.http.DaemonThreads;
import dev.faultline.peer.TestPeerServer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.http.client.ClientHttpRequestFactoryBuilder;
import org.springframework.http.HttpMethod;
import org.springframework.http.client.ClientHttpRequestFactory;
import org.springframework.http.client.ClientHttpResponse;

import static org.assertj.core.api.Assertions.assertThat;

class PeerRequestFactoriesTests {

	private final TestPeerServer server = TestPeerServer.start();

	@AfterEach
	void stopServer() {
		this.server.close();
	}

	@Test
	void closedFactoriesOfAJdkClientLeaveNoThreadOfTheirOwn() throws Exception {
		PeerRequestFactories factories = PeerRequestFactories.forReadyClients(properties(),
				ApplicationHttpClients.of(ClientHttpRequestFactoryBuilder.jdk()), null,
				new DaemonThreads("peer-client"));
		ClientHttpRequestFactory factory = factories.apply("payment");
		try (ClientHttpResponse response = factory.createRequest(URI.create(this.server.uri() + "/pay"), HttpMethod.GET)
			.execute()) {
			assertThat(response.getStatusCode().value()).isEqualTo(200);
		}
		assertThat(threads(factories)).isNotEmpty();

		factories.close();

		Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> threads(factories).isEmpty());
	}

	private FaultlineProperties properties() {
		FaultlineProperties properties = new FaultlineProperties();
		FaultlineProperties.Peer peer = new FaultlineProperties.Peer();
		peer.setInstances(List.of(this.server.uri()));
		properties.getPeers().put("payment", peer);
		return properties;
	}

	private static List<String> threads(PeerRequestFactories factories) {
		return Thread.getAllStackTraces()
			.keySet()
			.stream()
			.filter(Thread::isAlive)
			.map(Thread::getName)
			.filter((name) -> name.startsWith(factories.threadNamePrefix()))
			.toList();
	}

}
