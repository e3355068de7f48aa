package dev.faultline.autoconfigure;

import org.springframework.boot.env.EnvironmentPostProcessor;

/**
 * Supplies Faultline's resilience4j defaults for its business functions only, as
 * {@link ResilienceDefaults} describes, on Spring Boot 3.5.
 */
public class ResilienceDefaultsEnvironmentPostProcessor extends ResilienceDefaults implements EnvironmentPostProcessor {

}
