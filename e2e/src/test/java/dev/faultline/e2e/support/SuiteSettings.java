package dev.faultline.e2e.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * What the suite is told by the build, as system properties (the e2e pom sets them for
 * failsafe; an IDE run gets the defaults).
 *
 * @param required whether a missing container engine fails the suite instead of skipping it
 * @param baseImage the JRE 17 image the sample images are built from
 * @param paymentJar the payment service's boot jar
 * @param orderJar the order service's boot jar
 * @param logsDir where the containers' logs are saved when they are removed
 * @param registryJar the registry's boot jar (a Eureka server), for the replica topology
 */
public record SuiteSettings(boolean required, String baseImage, Path paymentJar, Path orderJar, Path logsDir,
		Path registryJar) {

	/** The property that makes a missing engine fail the suite. */
	public static final String REQUIRED = "faultline.e2e.required";

	/**
	 * Reads the settings from the system properties.
	 * @return the settings
	 */
	public static SuiteSettings fromSystemProperties() {
		return new SuiteSettings(Boolean.getBoolean(REQUIRED),
				System.getProperty("faultline.e2e.base-image", "eclipse-temurin:17-jre"),
				jar("faultline.e2e.payment-jar", "sample-payment-service"),
				jar("faultline.e2e.order-jar", "sample-order-service"),
				Path.of(System.getProperty("faultline.e2e.logs-dir", "target/e2e-logs")),
				jar("faultline.e2e.registry-jar", "sample-registry"));
	}

	/**
	 * Returns the boot jar, which must have been packaged.
	 * @param jar one of this settings' jars
	 * @return the jar
	 * @throws IllegalStateException if it is not there
	 */
	public static Path requirePackaged(Path jar) {
		if (!Files.isRegularFile(jar)) {
			throw new IllegalStateException("No boot jar at " + jar.toAbsolutePath()
					+ ": package the samples first, e.g. ./mvnw verify -pl e2e -am");
		}
		return jar;
	}

	private static Path jar(String property, String module) {
		String configured = System.getProperty(property);
		if (configured != null) {
			return Path.of(configured).toAbsolutePath().normalize();
		}
		// Run from an IDE in the e2e folder: the module's build output, whatever the version.
		Path target = Path.of("..", module, "target").toAbsolutePath().normalize();
		try (Stream<Path> files = Files.list(target)) {
			return files.filter((file) -> file.getFileName().toString().matches(Pattern.quote(module) + "-.+\\.jar"))
				.findFirst()
				.orElse(target.resolve(module + ".jar"));
		}
		catch (IOException ex) {
			return target.resolve(module + ".jar");
		}
	}

}
