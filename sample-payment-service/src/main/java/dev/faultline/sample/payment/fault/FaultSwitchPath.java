package dev.faultline.sample.payment.fault;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.boot.actuate.endpoint.web.PathMappedEndpoints;
import org.springframework.web.util.UrlPathHelper;

/**
 * Tells whether a request is for the {@code faults} endpoint, on whichever server it is
 * exposed, after decoding and normalising the path so that {@code //actuator/faults} or
 * {@code /actuator/%66aults} cannot slip past the token check.
 */
final class FaultSwitchPath {

	private static final UrlPathHelper paths = new UrlPathHelper();

	private final PathMappedEndpoints endpoints;

	FaultSwitchPath(PathMappedEndpoints endpoints) {
		this.endpoints = endpoints;
	}

	boolean matches(HttpServletRequest request) {
		String path = this.endpoints.getPath(FaultsEndpoint.ID);
		if (path == null) {
			return false;
		}
		String requested = paths.getPathWithinApplication(request);
		return requested.equals(path) || requested.startsWith(path + "/");
	}

}
