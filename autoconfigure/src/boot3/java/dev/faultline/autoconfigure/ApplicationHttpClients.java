package dev.faultline.autoconfigure;

import dev.faultline.peer.http.DaemonThreads;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.boot.http.client.ClientHttpRequestFactoryBuilder;
import org.springframework.boot.http.client.ClientHttpRequestFactorySettings;
import org.springframework.boot.http.client.ClientHttpRequestFactorySettings.Redirects;
import org.springframework.boot.http.client.JdkClientHttpRequestFactoryBuilder;
import org.springframework.http.client.ClientHttpRequestFactory;

/**
 * The HTTP clients as the application builds them, on Spring Boot 3.5: its
 * {@link ClientHttpRequestFactoryBuilder} and {@link ClientHttpRequestFactorySettings}
 * (from {@code spring.http.client.*}), or what Spring Boot detects and defaults to without
 * them. Faultline's peers' clients are built from them with their own timeouts, SSL bundle
 * and redirects on top.
 */
final class ApplicationHttpClients {

	private final ClientHttpRequestFactoryBuilder<?> builder;

	private final ClientHttpRequestFactorySettings settings;

	private ApplicationHttpClients(ClientHttpRequestFactoryBuilder<?> builder, ClientHttpRequestFactorySettings settings) {
		this.builder = builder;
		this.settings = settings;
	}

	/**
	 * Returns the application's clients: its builder and settings beans, or Spring Boot's
	 * detected builder and default settings where it has none.
	 */
	@SuppressWarnings("unchecked")
	static ApplicationHttpClients of(BeanFactory beans) {
		ClientHttpRequestFactoryBuilder<?> builder = beans.getBeanProvider(ClientHttpRequestFactoryBuilder.class)
			.getIfAvailable(ClientHttpRequestFactoryBuilder::detect);
		return new ApplicationHttpClients(builder, beans.getBeanProvider(ClientHttpRequestFactorySettings.class)
			.getIfAvailable(ClientHttpRequestFactorySettings::defaults));
	}

	/** Returns clients from the given builder with Spring Boot's default settings. */
	static ApplicationHttpClients of(ClientHttpRequestFactoryBuilder<?> builder) {
		return new ApplicationHttpClients(builder, ClientHttpRequestFactorySettings.defaults());
	}

	/**
	 * Returns clients on the JDK's {@code HttpClient} with the same settings.
	 */
	ApplicationHttpClients onJdkClient() {
		return new ApplicationHttpClients(ClientHttpRequestFactoryBuilder.jdk(), this.settings);
	}

	/**
	 * Returns these clients running on the given threads where the client takes an
	 * executor from outside (the JDK's); the others are closed with their factories.
	 */
	ApplicationHttpClients runningOn(DaemonThreads threads) {
		if (this.builder instanceof JdkClientHttpRequestFactoryBuilder jdk) {
			return new ApplicationHttpClients(jdk.withHttpClientCustomizer((client) -> client.executor(threads.executor())),
					this.settings);
		}
		return this;
	}

	/** Builds a request factory with the application's settings and the client's on top. */
	ClientHttpRequestFactory build(PeerClientSettings client) {
		ClientHttpRequestFactorySettings settings = this.settings.withTimeouts(client.connectTimeout(),
				client.readTimeout());
		if (client.sslBundle() != null) {
			settings = settings.withSslBundle(client.sslBundle());
		}
		if (!client.followRedirects()) {
			settings = settings.withRedirects(Redirects.DONT_FOLLOW);
		}
		return this.builder.build(settings);
	}

}
