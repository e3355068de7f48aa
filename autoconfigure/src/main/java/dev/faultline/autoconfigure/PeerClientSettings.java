package dev.faultline.autoconfigure;

import java.time.Duration;

import org.springframework.boot.ssl.SslBundle;

/**
 * What Faultline sets on top of the application's HTTP client settings for one peer's
 * client: its timeouts, its SSL bundle if it names one, and whether redirects are
 * followed as the application's settings say.
 *
 * @param connectTimeout the longest wait for a connection
 * @param readTimeout the longest wait for a response
 * @param sslBundle the peer's SSL bundle, or {@code null} for the application's
 * @param followRedirects {@code false} to follow none, {@code true} to follow them as the
 * application's settings say
 */
record PeerClientSettings(Duration connectTimeout, Duration readTimeout, SslBundle sslBundle, boolean followRedirects) {
}
