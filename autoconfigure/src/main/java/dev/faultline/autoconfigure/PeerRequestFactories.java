package dev.faultline.autoconfigure;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiFunction;
import java.util.function.Function;

import dev.faultline.peer.http.DaemonThreads;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.http.client.ClientHttpRequestFactory;

/**
 * The request factories of the peers, built the way the application builds its own
 * clients ({@link ApplicationHttpClients}: Spring Boot's request factory builder and
 * {@code spring.http.client.*} settings), with Faultline's timeouts and each peer's SSL
 * bundle on top. A JDK client runs on the given daemon threads; closing closes every
 * factory built and stops those threads.
 * <p>
 * Probes are the one exception: where the application's client is Reactor Netty's, they
 * go out on the JDK's client with the same settings, because Reactor Netty logs every
 * response timeout at WARN with its exception, and a hung peer would fill the log with one
 * such warning per heartbeat interval.
 */
final class PeerRequestFactories implements Function<String, ClientHttpRequestFactory>, AutoCloseable {

	// By name, so that nothing of Reactor Netty is loaded where it is absent.
	private static final String REACTOR_NETTY_FACTORY = "org.springframework.http.client.ReactorClientHttpRequestFactory";

	private final ApplicationHttpClients clients;

	private final Map<String, PeerClientSettings> settings;

	private final DaemonThreads threads;

	// Where the application's clients are Reactor Netty's, the JDK's; else null.
	private final ApplicationHttpClients insteadOfReactorNetty;

	private final List<ClientHttpRequestFactory> built = new CopyOnWriteArrayList<>();

	PeerRequestFactories(ApplicationHttpClients clients, Map<String, PeerClientSettings> settings,
			DaemonThreads threads) {
		this(clients, settings, threads, false);
	}

	private PeerRequestFactories(ApplicationHttpClients clients, Map<String, PeerClientSettings> settings,
			DaemonThreads threads, boolean avoidReactorNetty) {
		this.clients = clients.runningOn(threads);
		this.settings = settings;
		this.threads = threads;
		this.insteadOfReactorNetty = avoidReactorNetty ? clients.onJdkClient().runningOn(threads) : null;
	}

	/**
	 * Returns the factories of the probes: the heartbeat timeout to connect and to read,
	 * and no redirect followed, since a {@code 3xx} is itself an answer.
	 */
	static PeerRequestFactories forProbes(FaultlineProperties properties, ApplicationHttpClients clients,
			SslBundles sslBundles, DaemonThreads threads) {
		return new PeerRequestFactories(clients, settingsByPeer(properties, sslBundles, (peer, bundle) -> {
			FaultlineProperties.Heartbeat heartbeat = peer.getHeartbeat();
			return new PeerClientSettings(heartbeat.getTimeout(), heartbeat.getTimeout(), bundle, false);
		}), threads, true);
	}

	/**
	 * Returns the factories of the ready clients: the {@code client} timeouts, and
	 * redirects as the application's settings say.
	 */
	static PeerRequestFactories forReadyClients(FaultlineProperties properties, ApplicationHttpClients clients,
			SslBundles sslBundles, DaemonThreads threads) {
		return new PeerRequestFactories(clients, settingsByPeer(properties, sslBundles,
				(peer, bundle) -> new PeerClientSettings(peer.getClient().getConnectTimeout(),
						peer.getClient().getReadTimeout(), bundle, true)),
				threads);
	}

	private static Map<String, PeerClientSettings> settingsByPeer(FaultlineProperties properties,
			SslBundles sslBundles, BiFunction<FaultlineProperties.Peer, SslBundle, PeerClientSettings> settings) {
		Map<String, PeerClientSettings> byPeer = new LinkedHashMap<>();
		properties.getPeers().forEach((name, peer) -> {
			String bundle = peer.getClient().getSslBundle();
			byPeer.put(name, settings.apply(peer, (bundle != null) ? sslBundle(name, bundle, sslBundles) : null));
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
		PeerClientSettings peerSettings = this.settings.get(peer);
		if (peerSettings == null) {
			throw new IllegalArgumentException("No peer '" + peer + "' is declared under faultline.peers");
		}
		ClientHttpRequestFactory factory = this.clients.build(peerSettings);
		if (this.insteadOfReactorNetty != null && REACTOR_NETTY_FACTORY.equals(factory.getClass().getName())) {
			// Not started, so nothing to release: Reactor Netty's resources are shared.
			factory = this.insteadOfReactorNetty.build(peerSettings);
		}
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
