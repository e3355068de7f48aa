package dev.faultline.e2e.support;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.github.dockerjava.api.model.PruneType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.images.builder.ImageFromDockerfile;
import org.testcontainers.utility.LazyFuture;

/**
 * The image of a sample service: the base JRE image with the service's boot jar copied in,
 * built once per test JVM when first needed and shared by every container of the service.
 * <p>
 * The image keeps one name per service, so a machine holds one image of each: a new build
 * takes the name over and the previous one, left without a name, is pruned. (Testcontainers
 * cannot remove built images itself when its reaper container is disabled, as on CI.)
 */
final class SampleImage extends LazyFuture<String> {

	/**
	 * Small heap and the serial collector: two services and the test JVM share two cores.
	 */
	static final String[] JAVA = { "java", "-Xms64m", "-Xmx256m", "-XX:+UseSerialGC", "-jar", "/app/app.jar" };

	/**
	 * Returns the entry point that runs the service's jar with other JVM options.
	 * @param options the JVM options
	 * @return the command
	 */
	static String[] java(String... options) {
		String[] command = new String[options.length + 3];
		command[0] = "java";
		System.arraycopy(options, 0, command, 1, options.length);
		command[options.length + 1] = "-jar";
		command[options.length + 2] = "/app/app.jar";
		return command;
	}

	private static final String LABEL = "dev.faultline.e2e.sample";

	private static final Logger logger = LoggerFactory.getLogger(SampleImage.class);

	private static final Map<String, SampleImage> images = new ConcurrentHashMap<>();

	private final String name;

	private final ImageFromDockerfile dockerfile;

	private SampleImage(String service, Path jar, String baseImage) {
		this.name = "faultline-e2e/" + service.toLowerCase(Locale.ROOT) + ":local";
		this.dockerfile = new ImageFromDockerfile(this.name, false).withFileFromPath("app.jar", jar)
			.withDockerfileFromBuilder((dockerfile) -> dockerfile.from(baseImage)
				.label(LABEL, service)
				.copy("app.jar", "/app/app.jar")
				// Relative data folders land in /app, in the container's own filesystem: they
				// survive a stop and start of the container, as a restart should.
				.workDir("/app")
				.entryPoint(JAVA)
				.build());
	}

	/**
	 * Returns the image of the jar, built when first resolved.
	 * @param service the service's name, for the image's name
	 * @param jar the boot jar
	 * @param baseImage a JRE 17 image with {@code java} on the path
	 * @return the image, a future of its name
	 */
	static SampleImage of(String service, Path jar, String baseImage) {
		SuiteSettings.requirePackaged(jar);
		return images.computeIfAbsent(service + "|" + jar + "|" + baseImage,
				(key) -> new SampleImage(service, jar, baseImage));
	}

	@Override
	protected String resolve() {
		long started = System.nanoTime();
		String built = this.dockerfile.get();
		logger.info("Built image {} in {} ms", built, (System.nanoTime() - started) / 1_000_000);
		pruneEarlierBuilds();
		return built;
	}

	private void pruneEarlierBuilds() {
		try {
			// Pruning images removes only those without a name (dangling), and of those only ours.
			DockerClientFactory.lazyClient().pruneCmd(PruneType.IMAGES).withLabelFilter(LABEL).exec();
		}
		catch (RuntimeException ex) {
			logger.warn("Could not prune earlier builds of the sample images: {}", ex.toString());
		}
	}

}
