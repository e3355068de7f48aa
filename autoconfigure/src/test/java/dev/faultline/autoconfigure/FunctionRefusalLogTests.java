package dev.faultline.autoconfigure;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;

import dev.faultline.function.FunctionRefusedException;
import dev.faultline.function.FunctionRefusedException.Reason;
import dev.faultline.web.FunctionRefusedExceptionHandler;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.http.HttpStatus;
import org.springframework.mock.web.MockHttpServletRequest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Refusals under load are logged as the first of each function and cause, then a count
 * per function and cause every {@link FunctionRefusedExceptionHandler#SUMMARY_INTERVAL},
 * while every refused call is still answered 503.
 */
@ExtendWith(OutputCaptureExtension.class)
class FunctionRefusalLogTests {

	private final MovingClock clock = new MovingClock();

	private final FunctionRefusedExceptionHandler handler = new FunctionRefusedExceptionHandler(this.clock);

	private final MockHttpServletRequest request = new MockHttpServletRequest("GET", "/prices");

	@Test
	void refusalsWithinTheIntervalAreCountedAndTheNextAfterItLogsHowMany(CapturedOutput output) {
		refuse("pricing", Reason.TIME_LIMIT, 29);
		assertThat(lines(output, "answered 503")).hasSize(1);
		assertThat(lines(output, "more refusals")).isEmpty();

		this.clock.advance(Duration.ofSeconds(10));
		refuse("pricing", Reason.TIME_LIMIT, 1);

		assertThat(lines(output, "answered 503")).hasSize(1);
		assertThat(lines(output, "more refusals")).singleElement()
			.satisfies((line) -> assertThat(line).contains(" WARN ")
				.endsWith("... and 29 more refusals of business function 'pricing' (time-limit) in the last 10 s"));
	}

	@Test
	void eachFunctionAndCauseHasItsFirstRefusalLogged(CapturedOutput output) {
		refuse("pricing", Reason.TIME_LIMIT, 3);
		refuse("pricing", Reason.POOL_FULL, 3);
		refuse("shipping", Reason.TIME_LIMIT, 3);

		assertThat(lines(output, "answered 503")).hasSize(3)
			.anySatisfy((line) -> assertThat(line).contains("'pricing' refused the call (time-limit"))
			.anySatisfy((line) -> assertThat(line).contains("'pricing' refused the call (pool-full"))
			.anySatisfy((line) -> assertThat(line).contains("'shipping' refused the call (time-limit"));
	}

	@Test
	void refusalAfterAQuietIntervalIsLoggedInFull(CapturedOutput output) {
		refuse("pricing", Reason.POOL_FULL, 1);
		this.clock.advance(Duration.ofSeconds(11));
		refuse("pricing", Reason.POOL_FULL, 1);

		assertThat(lines(output, "GET /prices answered 503 (Retry-After: 1): business function 'pricing'"))
			.hasSize(2);
		assertThat(lines(output, "more refusals")).isEmpty();
	}

	private void refuse(String function, Reason reason, int times) {
		for (int i = 0; i < times; i++) {
			FunctionRefusedException refusal = new FunctionRefusedException(function, reason, Duration.ZERO, null);
			assertThat(this.handler.handleRefusal(refusal, this.request).getStatusCode())
				.isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
		}
	}

	private static List<String> lines(CapturedOutput output, String text) {
		return output.getOut().lines().filter((line) -> line.contains(text)).toList();
	}

	static final class MovingClock extends Clock {

		private volatile Instant now = Instant.parse("2025-01-01T00:00:00Z");

		void advance(Duration duration) {
			this.now = this.now.plus(duration);
		}

		@Override
		public ZoneId getZone() {
			return ZoneOffset.UTC;
		}

		@Override
		public Clock withZone(ZoneId zone) {
			throw new UnsupportedOperationException();
		}

		@Override
		public Instant instant() {
			return this.now;
		}

	}

}
