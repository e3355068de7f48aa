package dev.faultline.sample.payment.web;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * Limits of the payment service's HTTP API.
 */
@ConfigurationProperties("payment.api")
public class ApiProperties {

	/**
	 * Largest request body accepted; a larger one is answered with 413. A payment request
	 * is about 100 bytes.
	 */
	private DataSize maxBodySize = DataSize.ofKilobytes(16);

	public DataSize getMaxBodySize() {
		return this.maxBodySize;
	}

	public void setMaxBodySize(DataSize maxBodySize) {
		if (maxBodySize == null || maxBodySize.isNegative() || maxBodySize.toBytes() == 0) {
			throw new IllegalArgumentException("must be a positive size such as 16KB (was " + maxBodySize + ")");
		}
		this.maxBodySize = maxBodySize;
	}

}
