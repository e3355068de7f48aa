package dev.faultline.e2e.support;

/**
 * An Actuator health answer.
 *
 * @param httpStatus the HTTP status: 200 unless the status is down
 * @param status the status: {@code UP}, {@code SUSPECTED}, {@code DOWN}, …
 */
public record Health(int httpStatus, String status) {

	public boolean isUp() {
		return this.httpStatus == 200 && "UP".equals(this.status);
	}

}
