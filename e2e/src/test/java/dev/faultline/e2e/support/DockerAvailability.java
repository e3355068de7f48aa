package dev.faultline.e2e.support;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.DockerClientFactory;

/**
 * Decides what a missing container engine means: the suite is skipped on a user's machine
 * without Docker, and fails where it is required (CI).
 */
public final class DockerAvailability {

	static final String SKIPPED = "Docker not available: end-to-end suite skipped; set -D" + SuiteSettings.REQUIRED
			+ "=true to fail instead";

	static final String REQUIRED = "Docker not available, but -D" + SuiteSettings.REQUIRED
			+ "=true requires the end-to-end suite: start a container engine (.ci/run does it on a build machine)";

	private static final Logger logger = LoggerFactory.getLogger(DockerAvailability.class);

	private static volatile String problem;

	private static volatile boolean checked;

	private DockerAvailability() {
	}

	/**
	 * Returns whether Docker can be used, failing the caller if it cannot and the suite is
	 * required.
	 * @param settings the suite's settings
	 * @return whether Docker can be used
	 */
	public static boolean check(SuiteSettings settings) {
		String found = problem();
		if (found == null) {
			return true;
		}
		if (settings.required()) {
			Assertions.fail(REQUIRED + " (" + found + ")");
		}
		return false;
	}

	/**
	 * Returns if Docker can be used; otherwise aborts the calling test, so that it counts
	 * as skipped, or fails it when the suite is required.
	 * @param settings the suite's settings
	 */
	public static void assumeAvailable(SuiteSettings settings) {
		Assumptions.assumeTrue(check(settings), SKIPPED);
	}

	private static synchronized String problem() {
		if (!checked) {
			problem = lookUp();
			checked = true;
			if (problem != null) {
				logger.warn("Docker not available: {}", problem);
			}
		}
		return problem;
	}

	private static String lookUp() {
		try {
			return DockerClientFactory.instance().isDockerAvailable() ? null : "no Docker environment found";
		}
		catch (RuntimeException ex) {
			// An engine that answers but cannot be used (the wrong API version, no default
			// network) is no more use to the suite than none.
			return ex.toString();
		}
	}

}
