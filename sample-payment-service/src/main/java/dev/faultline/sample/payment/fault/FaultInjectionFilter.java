package dev.faultline.sample.payment.fault;

import java.io.IOException;

import dev.faultline.sample.payment.fault.FaultInjector.Outcome;
import dev.faultline.sample.payment.web.ProblemResponseWriter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpStatus;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Applies the injected faults to every request of the main server: the API and the
 * {@code /livez} and {@code /readyz} probes alike, since a hung service answers nothing. It
 * is not registered on the management server, so the faults can always be switched off;
 * should the two share a port, the {@code faults} endpoint itself is left alone.
 */
class FaultInjectionFilter extends OncePerRequestFilter {

	static final String INJECTED_FAULT = "injected fault";

	private final FaultInjector injector;

	private final FaultSwitchPath faultSwitch;

	private final ProblemResponseWriter problems;

	FaultInjectionFilter(FaultInjector injector, FaultSwitchPath faultSwitch, ProblemResponseWriter problems) {
		this.injector = injector;
		this.faultSwitch = faultSwitch;
		this.problems = problems;
	}

	@Override
	protected boolean shouldNotFilter(HttpServletRequest request) {
		return this.faultSwitch.matches(request);
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		Outcome outcome;
		try {
			outcome = this.injector.inject();
		}
		catch (InterruptedException ex) {
			// The server is stopping: answer rather than hold the thread.
			Thread.currentThread().interrupt();
			this.problems.write(request, response, HttpStatus.SERVICE_UNAVAILABLE,
					"Interrupted while held by an injected fault");
			return;
		}
		switch (outcome) {
			case PROCEED -> chain.doFilter(request, response);
			case FAIL -> this.problems.write(request, response, HttpStatus.SERVICE_UNAVAILABLE, INJECTED_FAULT);
			case HANG_EXPIRED -> this.problems.write(request, response, HttpStatus.SERVICE_UNAVAILABLE,
					"Injected hang was not released within " + this.injector.maxHang());
		}
	}

}
