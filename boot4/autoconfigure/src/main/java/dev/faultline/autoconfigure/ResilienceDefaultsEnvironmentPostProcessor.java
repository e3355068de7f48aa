package dev.faultline.autoconfigure;

import org.springframework.boot.EnvironmentPostProcessor;

/**
 * Supplies Faultline's resilience4j defaults for its business functions only, as
 * {@link ResilienceDefaults} describes, on Spring Boot 4, whose interface for environment post-processors moved.
 */
public class ResilienceDefaultsEnvironmentPostProcessor extends ResilienceDefaults implements EnvironmentPostProcessor {

}
