package dev.faultline.autoconfigure;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.common.circuitbreaker.configuration.CommonCircuitBreakerConfigurationProperties;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The build resolves the resilience4j that Faultline's defaults are written for: a BOM
 * imported before resilience4j's (Spring Cloud's manages 2.2.0 or 2.3.0) would quietly
 * bring older rules for base configs.
 */
class Resilience4jVersionTests {

	private static final Pattern VERSION = Pattern.compile("/(\\d+)\\.(\\d+)\\.(\\d+)/[^/]+\\.jar$");

	@Test
	void resilience4jOnTheClasspathIsTheVersionFaultlineIsBuiltFor() {
		assertThat(version(CommonCircuitBreakerConfigurationProperties.class)).isEqualTo("2.4.0");
		assertThat(version(CircuitBreaker.class)).isEqualTo("2.4.0");
	}

	private static String version(Class<?> type) {
		String location = type.getProtectionDomain().getCodeSource().getLocation().toString();
		Matcher matcher = VERSION.matcher(location);
		assertThat(matcher.find()).as("version in the path of %s", location).isTrue();
		return matcher.group(1) + "." + matcher.group(2) + "." + matcher.group(3);
	}

}
