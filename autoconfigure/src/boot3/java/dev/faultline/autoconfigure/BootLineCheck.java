package dev.faultline.autoconfigure;

import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.core.Ordered;

/**
 * Stops a Spring Boot 4 application that depends on Faultline's Spring Boot 3.5 artifact,
 * naming the one to use ({@link BootLine}).
 */
public class BootLineCheck extends BootLine implements EnvironmentPostProcessor, Ordered {

	/** The starter of this line. */
	public static final String STARTER = "faultline-spring-boot-starter";

	/** The starter of the other line. */
	public static final String OTHER_STARTER = "faultline-spring-boot4-starter";

	/**
	 * Creates the check.
	 */
	public BootLineCheck() {
		super(3, STARTER, OTHER_STARTER);
	}

	@Override
	public int getOrder() {
		return Ordered.HIGHEST_PRECEDENCE;
	}

}
