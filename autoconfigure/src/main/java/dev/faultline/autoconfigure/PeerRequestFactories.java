package dev.faultline.autoconfigure;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

import dev.faultline.peer.DaemonThreads;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.http.client.ClientHttpRequestFactoryBuilder;
import org.springframework.boot.http.client.ClientHttpRequestFactorySettings;
import org.springframework.boot.http.client.ClientHttpRequestFactorySettings.Redirects;
import org.springframework.boot.http.client.JdkClientHttpRequestFactoryBuilder;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.http.client.ClientHttpRequestFactory;

/**
 * The request factories of the peers, built the way the application builds its own
 * clients: with Spring Boot's {@link ClientHttpRequestFactoryBuilder} and
 * {@link ClientHttpRequestFactorySettings} (from {@code spring.http.client.*}), with
 * Faultline's timeouts and each peer's SSL bundle on top. A JDK client runs on the given
 * daemon threads; closing closes every factory built and stops those threads.
 */
final class PeerRequestFactories implements Function<String, ClientHttpRequestFactory>, AutoCloseable {

	private final ClientHttpRequestFactoryBuilder<?> builder;

	private final Map<String, ClientHttpRequestFactorySettings> settings;

	private final DaemonThreads threads;

	private final List<ClientHttpRequestFactory> built = new CopyOnWriteArrayList<>();

	PeerRequestFactories(ClientHttpRequestFactoryBuilder<?> builder,
			Map<String, ClientHttpRequestFactorySettings> settings, DaemonThreads threads) {
		// Only the JDK client takes an executor from outside; the others are closed below.
		this.builder = (builder instanceof JdkClientHttpRequestFactoryBuilder jdk)
				? jdk.withHttpClientCustomizer((client) -> client.executor(threads.executor())) : builder;
		this.settings = settings;
		this.threads = threads;
	}

	/**
	 * Returns the factories of the probes: the heartbeat timeout to connect and to read,
	 * and no redirect followed, since a {@code 3xx} is itself an answer.
	 */
	static PeerRequestFactories forProbes(FaultlineProperties properties, ClientHttpRequestFactoryBuilder<?> builder,
			ClientHttpRequestFactorySettings settings, SslBundles sslBundles, DaemonThreads threads) {
		return new PeerRequestFactories(builder, settingsByPeer(properties, settings, sslBundles, (peer) -> {
			FaultlineProperties.Heartbeat heartbeat = peer.getHeartbeat();
			return settings.withTimeouts(heartbeat.getTimeout(), heartbeat.getTimeout())
				.withRedirects(Redirects.DONT_FOLLOW);
		}), threads);
	}

	/**
	 * Returns the factories of the ready clients: the {@code client} timeouts, and
	 * redirects as the application's settings say.
	 */
	static PeerRequestFactories forReadyClients(FaultlineProperties properties,
			ClientHttpRequestFactoryBuilder<?> builder, ClientHttpRequestFactorySettings settings,
			SslBundles sslBundles, DaemonThreads threads) {
		return new PeerRequestFactories(builder, settingsByPeer(properties, settings, sslBundles, (peer) -> settings
			.withTimeouts(peer.getClient().getConnectTimeout(), peer.getClient().getReadTimeout())), threads);
	}

	private static Map<String, ClientHttpRequestFactorySettings> settingsByPeer(FaultlineProperties properties,
			ClientHttpRequestFactorySettings settings, SslBundles sslBundles,
			Function<FaultlineProperties.Peer, ClientHttpRequestFactorySettings> timeouts) {
		Map<String, ClientHttpRequestFactorySettings> byPeer = new LinkedHashMap<>();
		properties.getPeers().forEach((name, peer) -> {
			ClientHttpRequestFactorySettings peerSettings = timeouts.apply(peer);
			String bundle = peer.getClient().getSslBundle();
			if (bundle != null) {
				peerSettings = peerSettings.withSslBundle(sslBundle(name, bundle, sslBundles));
			}
			byPeer.put(name, peerSettings);
		});
		return Collections.unmodifiableMap(byPeer);
	}

	private static SslBundle sslBundle(String peer, String name, SslBundles sslBundles) {
		List<String> declared = (sslBundles != null) ? sslBundles.getBundleNames() : List.of();
		if (!declared.contains(name)) {
			throw new InvalidConfigurationPropertyValueException("faultline.peers." + peer + ".client.ssl-bundle", name,
					"must name an SSL bundle declared under spring.ssl.bundle; declared bundles: " + declared);
		}
		return sslBundles.getBundle(name);
	}

	@Override
	public ClientHttpRequestFactory apply(String peer) {
		ClientHttpRequestFactorySettings peerSettings = this.settings.get(peer);
		if (peerSettings == null) {
			throw new IllegalArgumentException("No peer '" + peer + "' is declared under faultline.peers");
		}
		ClientHttpRequestFactory factory = this.builder.build(peerSettings);
		this.built.add(factory);
		return factory;
	}

	String threadNamePrefix() {
		return this.threads.threadNamePrefix();
	}

	@Override
	public void close() throws Exception {
		try {
			for (ClientHttpRequestFactory factory : this.built) {
				if (factory instanceof DisposableBean disposable) {
					disposable.destroy();
				}
				else if (factory instanceof AutoCloseable closeable) {
					closeable.close();
				}
			}
		}
		finally {
			this.built.clear();
			this.threads.close();
		}
	}

}
