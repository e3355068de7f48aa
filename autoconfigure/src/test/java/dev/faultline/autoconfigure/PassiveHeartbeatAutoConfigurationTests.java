package dev.faultline.autoconfigure;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpServer;
import dev.faultline.peer.HeartbeatKind;
import dev.faultline.peer.http.PassiveHeartbeatObservationHandler;
import dev.faultline.peer.PeerInstance;
import dev.faultline.peer.PeerRegistry;
import dev.faultline.peer.http.PeerRestClients;
import dev.faultline.peer.TestPeerServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.http.StreamingHttpOutputMessage;
import org.springframework.http.client.ClientHttpRequest;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Passive heartbeats as an application sees them: through the observations of the
 * clients it builds from Spring Boot's builders, without Faultline changing how those
 * clients send the requests that go elsewhere.
 */
class PassiveHeartbeatAutoConfigurationTests {

	private static final String PAYMENT = "faultline.peers.payment";

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(PeerAutoConfiguration.class, BootAutoConfigurations.OBSERVATION,
				BootAutoConfigurations.CLIENT_OBSERVATIONS, BootAutoConfigurations.HTTP_MESSAGE_CONVERTERS,
				BootAutoConfigurations.HTTP_CLIENT, BootAutoConfigurations.REST_CLIENT,
				BootAutoConfigurations.REST_TEMPLATE));

	private final TestPeerServer peer = TestPeerServer.start();

	private final UploadServer uploads = new UploadServer();

	@AfterEach
	void stopServers() {
		this.peer.close();
		this.uploads.close();
	}

	@Test
	void restClientFromBootsBuilderTurnsResponsesOfAPeerIntoPassiveHeartbeats() {
		this.peer.answer(500);
		passivePeer().run((context) -> {
			RestClient client = context.getBean(RestClient.Builder.class).baseUrl(this.peer.uri().toString()).build();
			client.get().uri("/payments/1").exchange((request, response) -> response.getStatusCode());
			client.get().uri("/payments/2").exchange((request, response) -> response.getStatusCode());

			assertThat(onlyInstance(context).heartbeats(HeartbeatKind.PASSIVE)).isEqualTo(2);
		});
	}

	@Test
	void restTemplateFromBootsBuilderTurnsResponsesOfAPeerIntoPassiveHeartbeats() {
		passivePeer().run((context) -> {
			BootAutoConfigurations.restTemplate(context)
				.getForEntity(this.peer.uri() + "/payments/1", String.class);

			assertThat(onlyInstance(context).heartbeats(HeartbeatKind.PASSIVE)).isEqualTo(1);
		});
	}

	@Test
	void restClientFromBootsBuilderThatCallsNoPeerStreamsItsBody() {
		passivePeer().run((context) -> {
			RestClient client = context.getBean(RestClient.Builder.class).build();

			String received = client.post()
				.uri(this.uploads.uri())
				.body(this.uploads::writeInTwoParts)
				.retrieve()
				.body(String.class);

			assertThat(received).isEqualTo(String.valueOf(UploadServer.LENGTH));
			// and the same builder still sees the peer
			client.get().uri(this.peer.uri() + "/payments/1").retrieve().toBodilessEntity();
			assertThat(onlyInstance(context).heartbeats(HeartbeatKind.PASSIVE)).isEqualTo(1);
		});
	}

	@Test
	void restTemplateFromBootsBuilderThatCallsNoPeerStreamsItsBody() {
		passivePeer().run((context) -> {
			String received = BootAutoConfigurations.restTemplate(context)
				.execute(this.uploads.uri(), HttpMethod.POST, this.uploads::writeInTwoParts,
						(response) -> new String(response.getBody().readAllBytes()));

			assertThat(received).isEqualTo(String.valueOf(UploadServer.LENGTH));
		});
	}

	@Test
	void readyClientRequestsCountOnceThoughTheyAreObservedToo() {
		passivePeer().run((context) -> {
			context.getBean(PeerRestClients.class).get("payment").get().uri("/payments/1").retrieve().toBodilessEntity();

			assertThat(onlyInstance(context).heartbeats(HeartbeatKind.PASSIVE)).isEqualTo(1);
		});
	}

	@Test
	void clientRequestObservationsWhenDisabledSeeNoPassiveHeartbeatsButTheReadyClientsStill() {
		passivePeer().withPropertyValues("management.observations.enable.http.client.requests=false")
			.run((context) -> {
				context.getBean(RestClient.Builder.class)
					.build()
					.get()
					.uri(this.peer.uri() + "/payments/1")
					.retrieve()
					.toBodilessEntity();
				assertThat(onlyInstance(context).heartbeats(HeartbeatKind.PASSIVE)).isZero();

				context.getBean(PeerRestClients.class).get("payment").get().uri("/payments/1").retrieve().toBodilessEntity();
				assertThat(onlyInstance(context).heartbeats(HeartbeatKind.PASSIVE)).isEqualTo(1);
			});
	}

	@Test
	void passiveHeartbeatObservationHandlerWhenUserDefinesOneShouldBackOff() {
		this.contextRunner.withUserConfiguration(UserHandler.class)
			.run((context) -> assertThat(context).getBean(PassiveHeartbeatObservationHandler.class)
				.isSameAs(context.getBean("userHandler")));
	}

	private ApplicationContextRunner passivePeer() {
		return this.contextRunner.withPropertyValues(PAYMENT + ".instances[0]=" + this.peer.uri(),
				PAYMENT + ".heartbeat.mode=passive");
	}

	private static PeerInstance onlyInstance(ApplicationContext context) {
		return context.getBean(PeerRegistry.class).getInstances().get(0);
	}

	@Configuration(proxyBeanMethods = false)
	static class UserHandler {

		@Bean
		PassiveHeartbeatObservationHandler userHandler(PeerRegistry registry) {
			return new PassiveHeartbeatObservationHandler(registry);
		}

	}

	/**
	 * A service that is no peer and takes uploads: it answers with how many bytes it got.
	 * The body is written in two parts, the second only once the server has read some of
	 * the first, so only a client that streams its body can complete the upload; a client
	 * that buffers it sends nothing before the writer is done, and the writer gives up.
	 */
	static final class UploadServer implements AutoCloseable {

		static final int PART = 64 * 1024;

		static final int LENGTH = 2 * PART;

		private final CountDownLatch firstPartRead = new CountDownLatch(1);

		private final AtomicInteger received = new AtomicInteger();

		private final ExecutorService executor = Executors.newCachedThreadPool();

		private final HttpServer server;

		UploadServer() {
			try {
				this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
			}
			catch (IOException ex) {
				throw new IllegalStateException(ex);
			}
			this.server.setExecutor(this.executor);
			this.server.createContext("/", (exchange) -> {
				try (InputStream in = exchange.getRequestBody()) {
					// Any byte of the first part before the rest is written proves streaming.
					byte[] buffer = new byte[8192];
					int first = in.read(buffer);
					this.received.addAndGet(Math.max(first, 0));
					this.firstPartRead.countDown();
					this.received.addAndGet(in.readAllBytes().length);
				}
				byte[] answer = String.valueOf(this.received.get()).getBytes();
				exchange.sendResponseHeaders(200, answer.length);
				try (OutputStream out = exchange.getResponseBody()) {
					out.write(answer);
				}
			});
			this.server.start();
		}

		URI uri() {
			return URI.create("http://127.0.0.1:" + this.server.getAddress().getPort() + "/uploads");
		}

		void writeInTwoParts(OutputStream out) throws IOException {
			byte[] part = new byte[PART];
			Arrays.fill(part, (byte) 'x');
			out.write(part);
			out.flush();
			try {
				if (!this.firstPartRead.await(5, TimeUnit.SECONDS)) {
					throw new IOException("The server got nothing of the body within 5 s: the client buffers it");
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IOException(ex);
			}
			out.write(part);
		}

		void writeInTwoParts(ClientHttpRequest request) throws IOException {
			if (request instanceof StreamingHttpOutputMessage streaming) {
				streaming.setBody(this::writeInTwoParts);
			}
			else {
				writeInTwoParts(request.getBody());
			}
		}

		@Override
		public void close() {
			this.server.stop(0);
			this.executor.shutdownNow();
		}

	}

}
