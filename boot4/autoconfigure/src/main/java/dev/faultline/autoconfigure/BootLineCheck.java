package dev.faultline.autoconfigure;

import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.core.Ordered;

/**
 * Stops a Spring Boot 3 application that depends on Faultline's Spring Boot 4 artifact,
 * naming the one to use ({@link BootLine}). It implements the environment post-processor
 * interface of Boot 3, which Boot 4 still loads, so that Boot 3 runs it too.
 */
@SuppressWarnings("deprecation")
public class BootLineCheck extends BootLine implements EnvironmentPostProcessor, Ordered {

	/** The starter of this line. */
	public static final String STARTER = "faultline-spring-boot4-starter";

	/** The starter of the other line. */
	public static final String OTHER_STARTER = "faultline-spring-boot-starter";

	/**
	 * Creates the check.
	 */
	public BootLineCheck() {
		super(4, STARTER, OTHER_STARTER);
	}

	@Override
	public int getOrder() {
		return Ordered.HIGHEST_PRECEDENCE;
	}

}
