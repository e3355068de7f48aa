package dev.faultline.web;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import dev.faultline.function.FunctionRefusedException;
import dev.faultline.function.FunctionRefusedException.Reason;
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

	private static final Logger logger = LoggerFactory.getLogger(FunctionRefusedExceptionHandler.class);

	private final Clock clock;

	// Bounded: a key per declared function and cause.
	private final Map<Cause, Refusals> refusals = new ConcurrentHashMap<>();

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
		this.clock = clock;
	}

	/**
	 * Answers a refused call.
	 * @param refusal the refusal
	 * @param request the request it refused
	 * @return the 503 answer
	 */
	@ExceptionHandler
	public ResponseEntity<ProblemDetail> handleRefusal(FunctionRefusedException refusal, HttpServletRequest request) {
		long retryAfter = Math.max(1, refusal.getRetryAfter().toSeconds());
		log(refusal, request, retryAfter);
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE, refusal.getMessage());
		problem.setType(TYPE);
		problem.setTitle("Business function refused the call");
		problem.setProperty("function", refusal.getFunction());
		problem.setProperty("cause", refusal.getReason().id());
		return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
			.header(HttpHeaders.RETRY_AFTER, Long.toString(retryAfter))
			.body(problem);
	}

	private void log(FunctionRefusedException refusal, HttpServletRequest request, long retryAfter) {
		Reason reason = refusal.getReason();
		Line line = this.refusals.computeIfAbsent(new Cause(refusal.getFunction(), reason), (cause) -> new Refusals())
			.count(this.clock.instant());
		if (line == null) {
			return;
		}
		if (line.refusals() == 1) {
			logger.warn("{} {} answered 503 (Retry-After: {}): business function '{}' refused the call ({}: {})",
					request.getMethod(), request.getRequestURI(), retryAfter, refusal.getFunction(), reason.id(),
					reason.description());
		}
		else {
			logger.warn("... and {} more refusals of business function '{}' ({}) in the last {} s",
					line.refusals(), refusal.getFunction(), reason.id(), line.since().toSeconds());
		}
	}

	private record Cause(String function, Reason reason) {

	}

	/**
	 * A line to log: about this refusal alone, or about the refusals since the last line.
	 *
	 * @param refusals 1 for this refusal alone, otherwise how many since the last line,
	 * this one included
	 * @param since the time since the last line
	 */
	private record Line(long refusals, Duration since) {

	}

	/**
	 * The refusals of one function for one cause since the last line about them.
	 */
	private static final class Refusals {

		private Instant lastLine;

		private long unlogged;

		/**
		 * Counts a refusal and returns the line to log about it, or {@code null} while the
		 * last line is more recent than {@link #SUMMARY_INTERVAL}.
		 */
		synchronized Line count(Instant now) {
			if (this.lastLine != null && Duration.between(this.lastLine, now).compareTo(SUMMARY_INTERVAL) < 0) {
				this.unlogged++;
				return null;
			}
			Line line = new Line(this.unlogged + 1,
					(this.lastLine != null) ? Duration.between(this.lastLine, now) : Duration.ZERO);
			this.lastLine = now;
			this.unlogged = 0;
			return line;
		}

	}

}
