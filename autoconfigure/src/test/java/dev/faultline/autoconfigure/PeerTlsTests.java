package dev.faultline.autoconfigure;

import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManagerFactory;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import dev.faultline.peer.HeartbeatKind;
import dev.faultline.peer.PeerInstance;
import dev.faultline.peer.PeerRegistry;
import dev.faultline.peer.http.PeerRestClients;
import dev.faultline.peer.ProbeResult;
import dev.faultline.peer.TestPeerServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.http.client.ClientHttpRequestFactoryBuilder;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.client.ClientHttpRequestFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The probe and the ready client of a peer are built from Spring Boot's HTTP client
 * settings: an HTTPS peer that requires a client certificate is reached through the SSL
 * bundle that {@code client.ssl-bundle} names, and a builder of the application's own
 * is used.
 */
class PeerTlsTests {

	private static final String PAYMENT = "faultline.peers.payment";

	private static final String PASSWORD = "secret";

	@TempDir
	static Path stores;

	private static HttpsServer server;

	private static ExecutorService serverThreads;

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(PeerAutoConfiguration.class, SslAutoConfiguration.class,
				BootAutoConfigurations.HTTP_CLIENT, BootAutoConfigurations.HTTP_MESSAGE_CONVERTERS,
				BootAutoConfigurations.REST_CLIENT))
		.withPropertyValues(PAYMENT + ".heartbeat.mode=active", PAYMENT + ".heartbeat.interval=500ms",
				PAYMENT + ".heartbeat.timeout=2s",
				"spring.ssl.bundle.jks.payment-client.keystore.location=file:" + stores.resolve("client.p12"),
				"spring.ssl.bundle.jks.payment-client.keystore.password=" + PASSWORD,
				"spring.ssl.bundle.jks.payment-client.keystore.type=PKCS12",
				"spring.ssl.bundle.jks.payment-client.truststore.location=file:" + stores.resolve("client-trust.p12"),
				"spring.ssl.bundle.jks.payment-client.truststore.password=" + PASSWORD,
				"spring.ssl.bundle.jks.payment-client.truststore.type=PKCS12",
				"spring.ssl.bundle.jks.trust-only.truststore.location=file:" + stores.resolve("client-trust.p12"),
				"spring.ssl.bundle.jks.trust-only.truststore.password=" + PASSWORD,
				"spring.ssl.bundle.jks.trust-only.truststore.type=PKCS12");

	@BeforeAll
	static void startPeerThatRequiresAClientCertificate() throws Exception {
		// Two self-signed certificates, each trusted by the other side only.
		keytool("-genkeypair", "-alias", "server", "-keyalg", "RSA", "-keysize", "2048", "-validity", "36500",
				"-dname", "CN=127.0.0.1", "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-keystore", store("server.p12"));
		keytool("-genkeypair", "-alias", "client", "-keyalg", "RSA", "-keysize", "2048", "-validity", "36500",
				"-dname", "CN=storefront", "-keystore", store("client.p12"));
		keytool("-exportcert", "-alias", "server", "-keystore", store("server.p12"), "-file", store("server.cer"));
		keytool("-exportcert", "-alias", "client", "-keystore", store("client.p12"), "-file", store("client.cer"));
		keytool("-importcert", "-noprompt", "-alias", "server", "-file", store("server.cer"), "-keystore",
				store("client-trust.p12"));
		keytool("-importcert", "-noprompt", "-alias", "client", "-file", store("client.cer"), "-keystore",
				store("server-trust.p12"));

		SSLContext context = SSLContext.getInstance("TLS");
		KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
		keys.init(load("server.p12"), PASSWORD.toCharArray());
		TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
		trust.init(load("server-trust.p12"));
		context.init(keys.getKeyManagers(), trust.getTrustManagers(), null);
		server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
		server.setHttpsConfigurator(new HttpsConfigurator(context) {
			@Override
			public void configure(HttpsParameters params) {
				SSLParameters parameters = context.getDefaultSSLParameters();
				parameters.setNeedClientAuth(true);
				params.setSSLParameters(parameters);
			}
		});
		serverThreads = Executors.newCachedThreadPool();
		server.setExecutor(serverThreads);
		server.createContext("/", (exchange) -> {
			try (InputStream in = exchange.getRequestBody()) {
				in.readAllBytes();
			}
			byte[] body = "{\"status\":\"UP\"}".getBytes(StandardCharsets.UTF_8);
			exchange.sendResponseHeaders(200, body.length);
			try (OutputStream out = exchange.getResponseBody()) {
				out.write(body);
			}
		});
		server.start();
	}

	@AfterAll
	static void stopPeer() throws InterruptedException {
		server.stop(0);
		serverThreads.shutdownNow();
		serverThreads.awaitTermination(5, TimeUnit.SECONDS);
	}

	@Test
	void peerThatRequiresAClientCertificateIsProbedAndCalledWithItsSslBundle() {
		this.contextRunner.withPropertyValues(PAYMENT + ".instances[0]=" + uri(), PAYMENT + ".client.ssl-bundle=payment-client")
			.run((context) -> {
				PeerInstance instance = onlyInstance(context);
				await().atMost(Duration.ofSeconds(10))
					.untilAsserted(() -> assertThat(instance.heartbeats(HeartbeatKind.ACTIVE)).isGreaterThanOrEqualTo(2));
				assertThat(instance.lastProbe()).isEqualTo(ProbeResult.answered(200));
				assertThat(instance.isAvailable()).isTrue();

				String answer = context.getBean(PeerRestClients.class)
					.get("payment")
					.get()
					.uri("/payments/1")
					.retrieve()
					.body(String.class);
				assertThat(answer).isEqualTo("{\"status\":\"UP\"}");
			});
	}

	@Test
	void peerThatRequiresAClientCertificateWhenTheBundleHasNoneFailsTheHandshake() {
		this.contextRunner.withPropertyValues(PAYMENT + ".instances[0]=" + uri(), PAYMENT + ".client.ssl-bundle=trust-only")
			.run((context) -> {
				PeerInstance instance = onlyInstance(context);
				await().atMost(Duration.ofSeconds(10)).until(() -> instance.failedProbes() >= 1);
				assertThat(instance.heartbeats(HeartbeatKind.ACTIVE)).isZero();
				assertThat(instance.lastProbe().isAnswered()).isFalse();
			});
	}

	@Test
	void peerOverHttpsWithoutABundleIsNotTrusted() {
		this.contextRunner.withPropertyValues(PAYMENT + ".instances[0]=" + uri()).run((context) -> {
			PeerInstance instance = onlyInstance(context);
			// Under load a first handshake may outlast the probe's timeout: wait for the refusal.
			await().atMost(Duration.ofSeconds(10))
				.untilAsserted(() -> assertThat(instance.lastProbe()).isNotNull()
					.extracting(ProbeResult::failure)
					.asString()
					.startsWith("SSLHandshakeException"));
			assertThat(instance.heartbeats(HeartbeatKind.ACTIVE)).isZero();
		});
	}

	@Test
	void sslBundleOfTheHttpClientSettingsIsThePeersDefault() {
		this.contextRunner.withPropertyValues(PAYMENT + ".instances[0]=" + uri(), BootAutoConfigurations.HTTP_CLIENT_SSL_BUNDLE + "=payment-client")
			.run((context) -> {
				PeerInstance instance = onlyInstance(context);
				await().atMost(Duration.ofSeconds(10))
					.untilAsserted(() -> assertThat(instance.heartbeats(HeartbeatKind.ACTIVE)).isGreaterThanOrEqualTo(1));
				assertThat(instance.lastProbe()).isEqualTo(ProbeResult.answered(200));
			});
	}

	@Test
	void sslBundleThatIsNotDeclaredStopsStartupNamingThePropertyAndTheDeclaredBundles() {
		this.contextRunner.withPropertyValues(PAYMENT + ".instances[0]=" + uri(), PAYMENT + ".client.ssl-bundle=paymnet-client")
			.run((context) -> {
				assertThat(context).hasFailed();
				Throwable failure = context.getStartupFailure();
				while (!(failure instanceof InvalidConfigurationPropertyValueException) && failure.getCause() != null) {
					failure = failure.getCause();
				}
				assertThat(failure).isInstanceOf(InvalidConfigurationPropertyValueException.class)
					.hasMessageContaining("faultline.peers.payment.client.ssl-bundle")
					.hasMessageContaining("paymnet-client")
					.hasMessageContaining("[payment-client, trust-only]");
			});
	}

	@Test
	void clientHttpRequestFactoryBuilderOfTheApplicationBuildsTheProbeAndTheReadyClient() {
		try (TestPeerServer plain = TestPeerServer.start()) {
			// Without Boot's RestClient.Builder, which would build a factory of its own too.
			new ApplicationContextRunner()
				.withConfiguration(AutoConfigurations.of(PeerAutoConfiguration.class, BootAutoConfigurations.HTTP_CLIENT))
				.withUserConfiguration(UserBuilder.class)
				.withPropertyValues(PAYMENT + ".instances[0]=" + plain.uri(), PAYMENT + ".heartbeat.mode=active",
						PAYMENT + ".heartbeat.interval=500ms", PAYMENT + ".heartbeat.timeout=2s")
				.run((context) -> {
					await().atMost(Duration.ofSeconds(10))
						.untilAsserted(() -> assertThat(onlyInstance(context).lastProbe()).isEqualTo(ProbeResult.answered(200)));
					context.getBean(PeerRestClients.class).get("payment").get().uri("/payments/1").retrieve().toBodilessEntity();

					// one for the probe, one for the ready client
					assertThat(context.getBean(UserBuilder.class).customized).hasSize(2);
				});
		}
	}

	@Configuration(proxyBeanMethods = false)
	static class UserBuilder {

		final List<ClientHttpRequestFactory> customized = new ArrayList<>();

		@Bean
		ClientHttpRequestFactoryBuilder<?> userBuilder() {
			return ClientHttpRequestFactoryBuilder.simple().withCustomizer(this.customized::add);
		}

	}

	private static URI uri() {
		return URI.create("https://127.0.0.1:" + server.getAddress().getPort());
	}

	private static PeerInstance onlyInstance(ApplicationContext context) {
		return context.getBean(PeerRegistry.class).getInstances().get(0);
	}

	private static String store(String name) {
		return stores.resolve(name).toString();
	}

	private static KeyStore load(String name) throws Exception {
		KeyStore store = KeyStore.getInstance("PKCS12");
		try (InputStream in = new FileInputStream(store(name))) {
			store.load(in, PASSWORD.toCharArray());
		}
		return store;
	}

	private static void keytool(String... arguments) throws IOException, InterruptedException {
		List<String> command = new ArrayList<>();
		command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
		command.addAll(List.of(arguments));
		command.addAll(List.of("-storetype", "PKCS12", "-storepass", PASSWORD));
		if (List.of(arguments).contains("-genkeypair")) {
			command.addAll(List.of("-keypass", PASSWORD));
		}
		Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
		String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
			throw new IllegalStateException("keytool " + String.join(" ", arguments) + " failed: " + output);
		}
	}

}
