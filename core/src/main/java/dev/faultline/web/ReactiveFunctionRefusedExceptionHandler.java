package dev.faultline.web;

import java.time.Clock;

import dev.faultline.function.FunctionRefusedException;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ExceptionHandler;

/**
 * The answer of a Spring WebFlux application to a call that a business function without a
 * fallback refused, as {@link FunctionRefusedExceptionHandler}'s in Spring MVC: {@code 503
 * Service Unavailable}, {@code Retry-After}, an RFC 9457 problem naming the function and
 * the cause, and the same log. Ordered last, so the application's own handler wins.
 */
@ControllerAdvice
@Order(Ordered.LOWEST_PRECEDENCE)
public class ReactiveFunctionRefusedExceptionHandler {

	private final RefusalAnswers answers;

	/**
	 * Creates a handler on the system clock.
	 */
	public ReactiveFunctionRefusedExceptionHandler() {
		this(Clock.systemUTC());
	}

	/**
	 * Creates a handler that reads the time, to count refusals in intervals, from the
	 * given clock.
	 * @param clock the clock
	 */
	public ReactiveFunctionRefusedExceptionHandler(Clock clock) {
		this.answers = new RefusalAnswers(clock);
	}

	/**
	 * Answers a refused call.
	 * @param refusal the refusal
	 * @param request the request it refused
	 * @return the 503 answer
	 */
	@ExceptionHandler
	public ResponseEntity<ProblemDetail> handleRefusal(FunctionRefusedException refusal, ServerHttpRequest request) {
		return this.answers.answer(refusal, request.getMethod().name(), request.getPath().value());
	}

}
