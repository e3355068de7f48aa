package dev.faultline.sample.payment.fault;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

import dev.faultline.sample.payment.web.ProblemResponseWriter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpStatus;
import org.springframework.util.StringUtils;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Lets a request reach the {@code faults} endpoint only with the configured token in the
 * {@code X-Fault-Token} header; without a configured token, none gets through. Actuator
 * operations do not see request headers, hence a filter in front of the endpoint.
 */
class FaultTokenFilter extends OncePerRequestFilter {

	static final String HEADER = "X-Fault-Token";

	private final byte[] token;

	private final FaultSwitchPath faultSwitch;

	private final ProblemResponseWriter problems;

	FaultTokenFilter(String token, FaultSwitchPath faultSwitch, ProblemResponseWriter problems) {
		this.token = StringUtils.hasText(token) ? token.getBytes(StandardCharsets.UTF_8) : null;
		this.faultSwitch = faultSwitch;
		this.problems = problems;
	}

	@Override
	protected boolean shouldNotFilter(HttpServletRequest request) {
		return !this.faultSwitch.matches(request);
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		String rejection = rejection(request.getHeader(HEADER));
		if (rejection != null) {
			this.problems.write(request, response, HttpStatus.FORBIDDEN, rejection);
			return;
		}
		chain.doFilter(request, response);
	}

	private String rejection(String sent) {
		if (this.token == null) {
			return "The fault switch is disabled: start the service with payment.faults.token set";
		}
		if (sent == null) {
			return "Header " + HEADER + " is required";
		}
		// Constant time, so the token cannot be guessed byte by byte from response times.
		if (!MessageDigest.isEqual(this.token, sent.getBytes(StandardCharsets.UTF_8))) {
			return "Header " + HEADER + " does not match payment.faults.token";
		}
		return null;
	}

}
