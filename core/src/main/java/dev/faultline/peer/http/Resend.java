package dev.faultline.peer.http;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

import org.springframework.http.HttpMethod;

/**
 * When a request that failed on one instance of a peer is sent to the next.
 *
 * <p>
 * Always when the failure happened before the request could reach the instance: the
 * connection was refused or timed out, the host is unknown or has no route. Then even a
 * {@code POST} cannot have been applied twice. For idempotent methods (RFC 9110: GET,
 * HEAD, OPTIONS, TRACE, PUT, DELETE) also on the {@link Condition conditions} chosen,
 * where the instance may have received it; a method that is not idempotent is never sent
 * again then, its caller decides.
 */
public final class Resend {

	private static final Set<HttpMethod> IDEMPOTENT = Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.OPTIONS,
			HttpMethod.TRACE, HttpMethod.PUT, HttpMethod.DELETE);

	// Apache HttpClient 5's connect timeout is an InterruptedIOException, no
	// ConnectException; named, so this jar needs no Apache HttpClient.
	private static final String APACHE_CONNECT_TIMEOUT = "org.apache.hc.client5.http.ConnectTimeoutException";

	private static final Resend CONNECT_FAILURES_ONLY = new Resend(Set.of());

	private final Set<Condition> idempotentConditions;

	private Resend(Set<Condition> idempotentConditions) {
		this.idempotentConditions = idempotentConditions.isEmpty() ? Set.of() : EnumSet.copyOf(idempotentConditions);
	}

	/**
	 * Returns the policy that sends a request again only when it cannot have reached the
	 * instance.
	 * @return the policy
	 */
	public static Resend connectFailuresOnly() {
		return CONNECT_FAILURES_ONLY;
	}

	/**
	 * Returns the policy that also sends idempotent requests again on the given conditions.
	 * @param conditions where idempotent requests go to the next instance too
	 * @return the policy
	 */
	public static Resend idempotentAlsoOn(Set<Condition> conditions) {
		return conditions.isEmpty() ? CONNECT_FAILURES_ONLY : new Resend(conditions);
	}

	/**
	 * Tells whether a request that failed with {@code failure} goes to the next instance.
	 * @param method the request's method
	 * @param failure what sending it threw (an {@link IOException}, or a client's
	 * exception around one, such as WebClient's)
	 * @return whether to send it again elsewhere
	 */
	public boolean after(HttpMethod method, Throwable failure) {
		if (cannotHaveReached(failure)) {
			return true;
		}
		if (!IDEMPOTENT.contains(method)) {
			return false;
		}
		Condition condition = isTimeout(failure) ? Condition.TIMEOUT : Condition.RESET;
		return this.idempotentConditions.contains(condition);
	}

	/**
	 * Tells whether a request answered with a gateway status goes to the next instance.
	 * @param method the request's method
	 * @return whether to send it again elsewhere
	 */
	public boolean afterGatewayStatus(HttpMethod method) {
		return IDEMPOTENT.contains(method) && this.idempotentConditions.contains(Condition.GATEWAY_STATUS);
	}

	/**
	 * Tells whether a failure happened before the request could reach the instance, by any
	 * of the HTTP clients Spring supports.
	 * @param failure what sending the request threw
	 * @return whether the instance cannot have received it
	 */
	static boolean cannotHaveReached(Throwable failure) {
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			if (cause instanceof ConnectException || cause instanceof NoRouteToHostException
					|| cause instanceof UnknownHostException || cause instanceof HttpConnectTimeoutException
					|| APACHE_CONNECT_TIMEOUT.equals(cause.getClass().getName())) {
				return true;
			}
			// HttpURLConnection and Jetty say "connect timed out" and "Connect Timeout".
			if (cause instanceof SocketTimeoutException && cause.getMessage() != null
					&& cause.getMessage().toLowerCase(Locale.ROOT).contains("connect time")) {
				return true;
			}
			if (cause.getCause() == cause) {
				break;
			}
		}
		return false;
	}

	private static boolean isTimeout(Throwable failure) {
		for (Throwable cause = failure; cause != null && cause.getCause() != cause; cause = cause.getCause()) {
			if (cause instanceof SocketTimeoutException || cause instanceof HttpTimeoutException
					|| cause instanceof InterruptedIOException) {
				return true;
			}
		}
		return false;
	}

	@Override
	public String toString() {
		return this.idempotentConditions.isEmpty() ? "connect failures" : "connect failures, idempotent on "
				+ this.idempotentConditions;
	}

	/**
	 * A failure after which an idempotent request goes to the next instance, though the
	 * first may have received it.
	 */
	public enum Condition {

		/** No answer within the read timeout. */
		TIMEOUT,

		/** The connection failed after it was made: reset, closed before the answer. */
		RESET,

		/** The instance answered with one of the peer's gateway statuses (by default 502, 503 and 504). */
		GATEWAY_STATUS

	}

}
