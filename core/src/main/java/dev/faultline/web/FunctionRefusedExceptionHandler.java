package dev.faultline.web;

import java.net.URI;

import dev.faultline.function.FunctionRefusedException;
import jakarta.servlet.http.HttpServletRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ExceptionHandler;

/**
 * Answers a call that a business function without a fallback refused (open circuit, full
 * pool, time limit passed) with {@code 503 Service Unavailable}, a {@code Retry-After}
 * header in seconds and an RFC 9457 problem body naming the function and the reason:
 *
 * <pre class="code">
 * {"type":"https://faultline.dev/problems/function-refused","title":"Business function refused the call",
 *  "status":503,"detail":"Business function 'order' refused the call: its pool and queue are full",
 *  "instance":"/orders","function":"order","cause":"pool-full"}
 * </pre>
 *
 * Each refusal is logged once, at WARN and without a stack trace: it is this service
 * protecting itself, not an error in it. What a call threw itself is left to the
 * application's own handling.
 *
 * <p>
 * Ordered last, so that an {@code @ExceptionHandler} of the application's own (in a
 * controller or an advice) wins.
 */
@ControllerAdvice
@Order(Ordered.LOWEST_PRECEDENCE)
public class FunctionRefusedExceptionHandler {

	/**
	 * The problem type of a refused call. An identifier rather than a page to fetch (RFC
	 * 9457 §3.1.1): it lets a client tell this 503 from one a proxy or the server gives.
	 */
	public static final URI TYPE = URI.create("https://faultline.dev/problems/function-refused");

	private static final Logger logger = LoggerFactory.getLogger(FunctionRefusedExceptionHandler.class);

	/**
	 * Answers a refused call.
	 * @param refusal the refusal
	 * @param request the request it refused
	 * @return the 503 answer
	 */
	@ExceptionHandler
	public ResponseEntity<ProblemDetail> handleRefusal(FunctionRefusedException refusal, HttpServletRequest request) {
		long retryAfter = Math.max(1, refusal.getRetryAfter().toSeconds());
		logger.warn("{} {} answered 503 (Retry-After: {}): business function '{}' refused the call ({}: {})",
				request.getMethod(), request.getRequestURI(), retryAfter, refusal.getFunction(),
				refusal.getReason().id(), refusal.getReason().description());
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE, refusal.getMessage());
		problem.setType(TYPE);
		problem.setTitle("Business function refused the call");
		problem.setProperty("function", refusal.getFunction());
		problem.setProperty("cause", refusal.getReason().id());
		return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
			.header(HttpHeaders.RETRY_AFTER, Long.toString(retryAfter))
			.body(problem);
	}

}
