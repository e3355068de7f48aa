package dev.faultline.web;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;

import dev.faultline.function.FunctionRefusedException;
import jakarta.servlet.http.HttpServletRequest;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
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
 * Refusals are logged at WARN and without a stack trace: it is this service protecting
 * itself, not an error in it. The first refusal of a function for a cause is logged at
 * once; the ones that follow within {@link #SUMMARY_INTERVAL} are counted, and the next
 * refusal after it logs how many there were, so that a burst under load gives a line per
 * function and cause every 10 seconds rather than one per request:
 *
 * <pre class="code">
 * ... and 28 more refusals of business function 'pricing' (time-limit) in the last 10 s
 * </pre>
 *
 * Every refused call is still answered. What a call threw itself is left to the
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

	/**
	 * How long refusals of a function for one cause are counted rather than logged, after
	 * a line about them.
	 */
	public static final Duration SUMMARY_INTERVAL = Duration.ofSeconds(10);

	private final RefusalAnswers answers;

	/**
	 * Creates a handler on the system clock.
	 */
	public FunctionRefusedExceptionHandler() {
		this(Clock.systemUTC());
	}

	/**
	 * Creates a handler that reads the time, to count refusals in intervals, from the
	 * given clock.
	 * @param clock the clock
	 */
	public FunctionRefusedExceptionHandler(Clock clock) {
		this.answers = new RefusalAnswers(clock);
	}

	/**
	 * Answers a refused call.
	 * @param refusal the refusal
	 * @param request the request it refused
	 * @return the 503 answer
	 */
	@ExceptionHandler
	public ResponseEntity<ProblemDetail> handleRefusal(FunctionRefusedException refusal, HttpServletRequest request) {
		return this.answers.answer(refusal, request.getMethod(), request.getRequestURI());
	}

}
