package dev.faultline.function;

import io.micrometer.context.ThreadLocalAccessor;

import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.context.request.RequestContextHolder;

/**
 * Carries Spring's request attributes ({@link RequestContextHolder}) into function pools
 * and fallbacks, so code that reads the current request keeps working there.
 */
public final class RequestAttributesAccessor implements ThreadLocalAccessor<RequestAttributes> {

	/** The key of this accessor in a context registry. */
	public static final String KEY = "faultline.request-attributes";

	@Override
	public Object key() {
		return KEY;
	}

	@Override
	public RequestAttributes getValue() {
		return RequestContextHolder.getRequestAttributes();
	}

	@Override
	public void setValue(RequestAttributes value) {
		RequestContextHolder.setRequestAttributes(value);
	}

	@Override
	public void setValue() {
		RequestContextHolder.resetRequestAttributes();
	}

}
