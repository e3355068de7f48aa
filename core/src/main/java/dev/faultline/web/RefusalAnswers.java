package dev.faultline.web;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import dev.faultline.function.FunctionRefusedException;
import dev.faultline.function.FunctionRefusedException.Reason;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;

/**
 * The answer to a refused call, the same in Spring MVC and WebFlux: {@code 503}, a
 * {@code Retry-After} and an RFC 9457 problem; and its log, one line per function and
 * cause, then one line every {@link FunctionRefusedExceptionHandler#SUMMARY_INTERVAL}
 * counting the refusals since.
 */
final class RefusalAnswers {

	private static final Logger logger = LoggerFactory.getLogger(FunctionRefusedExceptionHandler.class);

	private final Clock clock;

	// Bounded: a key per declared function and cause.
	private final Map<Cause, Refusals> refusals = new ConcurrentHashMap<>();

	RefusalAnswers(Clock clock) {
		this.clock = clock;
	}

	ResponseEntity<ProblemDetail> answer(FunctionRefusedException refusal, String method, String path) {
		long retryAfter = Math.max(1, refusal.getRetryAfter().toSeconds());
		log(refusal, method, path, retryAfter);
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE, refusal.getMessage());
		problem.setType(FunctionRefusedExceptionHandler.TYPE);
		problem.setTitle("Business function refused the call");
		problem.setProperty("function", refusal.getFunction());
		problem.setProperty("cause", refusal.getReason().id());
		return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
			.header(HttpHeaders.RETRY_AFTER, Long.toString(retryAfter))
			.body(problem);
	}

	private void log(FunctionRefusedException refusal, String method, String path, long retryAfter) {
		Reason reason = refusal.getReason();
		Line line = this.refusals.computeIfAbsent(new Cause(refusal.getFunction(), reason), (cause) -> new Refusals())
			.count(this.clock.instant());
		if (line == null) {
			return;
		}
		if (line.refusals() == 1) {
			logger.warn("{} {} answered 503 (Retry-After: {}): business function '{}' refused the call ({}: {})",
					method, path, retryAfter, refusal.getFunction(), reason.id(), reason.description());
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
		 * last line is more recent than {@link FunctionRefusedExceptionHandler#SUMMARY_INTERVAL}.
		 */
		synchronized Line count(Instant now) {
			if (this.lastLine != null && Duration.between(this.lastLine, now).compareTo(FunctionRefusedExceptionHandler.SUMMARY_INTERVAL) < 0) {
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
