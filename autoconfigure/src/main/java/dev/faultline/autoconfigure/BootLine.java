package dev.faultline.autoconfigure;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootVersion;
import org.springframework.core.env.ConfigurableEnvironment;

/**
 * Stops an application that runs Faultline's artifact for the other Spring Boot line,
 * before anything of Faultline's runs, with a message that names the artifact to use.
 * Without it the mismatch shows as a {@code NoClassDefFoundError} deep in startup.
 *
 * <p>
 * Each line's {@code BootLineCheck} runs it as the first environment post-processor of
 * Faultline's, under the interface both Boot lines load.
 */
public class BootLine {

	private final int major;

	private final String starter;

	private final String otherStarter;

	/**
	 * Creates the check of one line.
	 * @param major the Spring Boot major version the artifact is built for
	 * @param starter the starter of that line
	 * @param otherStarter the starter of the other line
	 */
	protected BootLine(int major, String starter, String otherStarter) {
		this.major = major;
		this.starter = starter;
		this.otherStarter = otherStarter;
	}

	/**
	 * Checks the running Spring Boot version.
	 * @param environment the application's environment
	 * @param application the application
	 */
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		check(SpringBootVersion.getVersion());
	}

	/**
	 * Checks a Spring Boot version against this line.
	 * @param bootVersion the version, such as 4.0.7; {@code null} when unknown (not checked)
	 * @throws IllegalStateException if it belongs to the other line
	 */
	void check(String bootVersion) {
		if (bootVersion == null || bootVersion.startsWith(this.major + ".")) {
			return;
		}
		throw new IllegalStateException("dev.faultline:" + this.starter + " is built for Spring Boot " + this.major
				+ ", but this application runs Spring Boot " + bootVersion + ": depend on dev.faultline:"
				+ this.otherStarter + " instead (it brings the same Faultline, built for that line)");
	}

}
