package dev.faultline.sample.payment.fault;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Fault injection: the token that guards the {@code faults} endpoint and the bound on a
 * hang.
 */
@ConfigurationProperties("payment.faults")
public class FaultProperties {

	/**
	 * Token that requests to the faults endpoint must send in the X-Fault-Token header.
	 * Without one the endpoint rejects every request.
	 */
	private String token;

	/**
	 * Longest a request is held by a hang that nobody releases; it is then answered with
	 * 503, so a forgotten hang does not hold threads for ever.
	 */
	private Duration maxHang = Duration.ofMinutes(10);

	public String getToken() {
		return this.token;
	}

	public void setToken(String token) {
		this.token = token;
	}

	public Duration getMaxHang() {
		return this.maxHang;
	}

	public void setMaxHang(Duration maxHang) {
		if (maxHang == null || maxHang.isNegative() || maxHang.isZero()) {
			throw new IllegalArgumentException("must be a positive duration such as 10m (was " + maxHang + ")");
		}
		this.maxHang = maxHang;
	}

}
