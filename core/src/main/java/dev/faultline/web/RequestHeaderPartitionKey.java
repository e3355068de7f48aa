package dev.faultline.web;

import java.lang.reflect.Method;
import java.util.Map;

import dev.faultline.function.PartitionKeyResolver;

import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

/**
 * The key of a call is a header of the HTTP request being served, by function, such as
 * {@code X-Customer}: in a Spring MVC application, on the request's own thread (Faultline
 * carries the request to the function's thread as well). A call made outside a request,
 * or one without the header, has no key and is not limited.
 */
public final class RequestHeaderPartitionKey implements PartitionKeyResolver {

	private final Map<String, String> headers;

	/**
	 * Creates the resolver.
	 * @param headers the header that holds the key, by function name
	 */
	public RequestHeaderPartitionKey(Map<String, String> headers) {
		this.headers = Map.copyOf(headers);
	}

	@Override
	public String partitionKey(String function, Method method, Object[] args) {
		String header = this.headers.get(function);
		if (header == null) {
			return null;
		}
		RequestAttributes attributes = RequestContextHolder.getRequestAttributes();
		if (attributes instanceof ServletRequestAttributes servlet) {
			String value = servlet.getRequest().getHeader(header);
			return (value != null && !value.isBlank()) ? value.trim() : null;
		}
		return null;
	}

}
