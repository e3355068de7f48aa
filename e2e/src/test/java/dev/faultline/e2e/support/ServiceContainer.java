package dev.faultline.e2e.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.github.dockerjava.api.DockerClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.containers.GenericContainer;

/**
 * One sample service running from its boot jar in a container on host networking, bound
 * to 127.0.0.1 on ports the test chose, with the faults a container gives for free.
 * <p>
 * {@link #stop()} and {@link #kill()} keep the container and its filesystem, so a later
 * {@link #start()} is a restart of the same service with its data; {@link #close()}
 * removes it.
 */
public final class ServiceContainer implements AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(ServiceContainer.class);

	private static final String LOOPBACK = "127.0.0.1";

	private final String name;

	private final int port;

	private final int managementPort;

	private final SampleImage image;

	private final HttpReadiness readiness;

	private final GenericContainer<?> container;

	private Duration lastStartup = Duration.ZERO;

	private ServiceContainer(Builder builder) {
		this.name = builder.name;
		this.port = builder.port;
		this.managementPort = builder.managementPort;
		this.image = SampleImage.of(builder.name, builder.jar, builder.baseImage);
		this.readiness = new HttpReadiness(URI.create(managementUrl() + builder.readinessPath), builder.startupTimeout);
		GenericContainer<?> container = new GenericContainer<>(this.image).withNetworkMode("host")
			.withCommand(builder.arguments())
			.withEnv(builder.environment)
			.waitingFor(this.readiness);
		if (builder.javaOptions != null || builder.nanoCpus > 0 || builder.memoryBytes > 0) {
			container.withCreateContainerCmdModifier((cmd) -> {
				if (builder.javaOptions != null) {
					cmd.withEntrypoint(SampleImage.java(builder.javaOptions));
				}
				if (builder.nanoCpus > 0) {
					cmd.getHostConfig().withNanoCPUs(builder.nanoCpus);
				}
				if (builder.memoryBytes > 0) {
					// No swap beside it: the limit is where the kernel kills the process.
					cmd.getHostConfig().withMemory(builder.memoryBytes).withMemorySwap(builder.memoryBytes);
				}
			});
		}
		this.container = container;
	}

	/**
	 * Starts describing a service.
	 * @param name the service's name, as logs and images show it
	 * @param jar its boot jar
	 * @return a builder
	 */
	public static Builder builder(String name, Path jar) {
		return new Builder(name, jar);
	}

	public String name() {
		return this.name;
	}

	public int port() {
		return this.port;
	}

	public int managementPort() {
		return this.managementPort;
	}

	/**
	 * Returns the base URL of the service's API.
	 * @return for example {@code http://127.0.0.1:40123}
	 */
	public String url() {
		return "http://" + LOOPBACK + ":" + this.port;
	}

	/**
	 * Returns the base URL of the service's Actuator, which is {@link #url()} unless the
	 * service has a management port of its own.
	 * @return for example {@code http://127.0.0.1:40124}
	 */
	public String managementUrl() {
		return "http://" + LOOPBACK + ":" + this.managementPort;
	}

	/**
	 * Builds the service's image if it is not built yet, so that services of one image can
	 * then start side by side.
	 */
	public void prepareImage() {
		this.image.get();
	}

	/**
	 * Starts the service and waits until it is ready. The first start builds the image if
	 * needed and creates the container; a later one starts the same container again, with
	 * the filesystem it had.
	 */
	public void start() {
		if (this.container.getContainerId() == null) {
			// Built apart, so that the start time below is the service's own.
			this.image.get();
			long starting = System.nanoTime();
			this.container.start();
			this.lastStartup = Duration.ofNanos(System.nanoTime() - starting);
		}
		else {
			long starting = System.nanoTime();
			docker().startContainerCmd(id()).exec();
			this.readiness.waitUntilReady(this.container);
			this.lastStartup = Duration.ofNanos(System.nanoTime() - starting);
		}
		logger.info("{} ready at {} in {} ms", this.name, url(), this.lastStartup.toMillis());
	}

	/**
	 * Stops the service gracefully ({@code docker stop}: SIGTERM, then SIGKILL after 10 s).
	 */
	public void stop() {
		docker().stopContainerCmd(id()).withTimeout(10).exec();
	}

	/**
	 * Crashes the service ({@code docker kill}: SIGKILL, no shutdown hooks run).
	 */
	public void kill() {
		docker().killContainerCmd(id()).exec();
	}

	/**
	 * Hangs the service ({@code docker pause}): it keeps its sockets, accepts connections
	 * and answers nothing, like a long GC pause.
	 */
	public void pause() {
		docker().pauseContainerCmd(id()).exec();
	}

	/**
	 * Releases a paused service: it goes on where it stopped.
	 */
	public void unpause() {
		docker().unpauseContainerCmd(id()).exec();
	}

	/**
	 * Returns whether the kernel killed the container's process for going over its memory
	 * limit (Docker's {@code OOMKilled}); it stays so until the container starts again.
	 * @return whether it was killed at its memory limit
	 */
	public boolean wasKilledAtMemoryLimit() {
		return Boolean.TRUE.equals(docker().inspectContainerCmd(id()).exec().getState().getOOMKilled());
	}

	/**
	 * Returns whether the container runs; a paused one does.
	 * @return whether the container runs
	 */
	public boolean isRunning() {
		return this.container.isRunning();
	}

	/**
	 * Returns how long the last {@link #start()} took until the service was ready; the
	 * first one includes creating the container but not building the image.
	 * @return the time to ready
	 */
	public Duration lastStartup() {
		return this.lastStartup;
	}

	/**
	 * Returns everything the service has printed, across restarts.
	 * @return the logs, or an empty string before the first start
	 */
	public String logs() {
		return (this.container.getContainerId() != null) ? this.container.getLogs() : "";
	}

	/**
	 * Writes the service's logs to a file.
	 * @param file the file, replaced if it exists
	 */
	public void saveLogs(Path file) {
		try {
			Files.createDirectories(file.toAbsolutePath().getParent());
			Files.writeString(file, logs());
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not save the logs of " + this.name + " to " + file, ex);
		}
	}

	/**
	 * Removes the container. A paused container is released first, as Docker cannot stop
	 * it otherwise.
	 */
	@Override
	public void close() {
		if (this.container.getContainerId() != null && isPaused()) {
			unpause();
		}
		this.container.stop();
	}

	private boolean isPaused() {
		try {
			return Boolean.TRUE.equals(docker().inspectContainerCmd(id()).exec().getState().getPaused());
		}
		catch (RuntimeException ex) {
			return false;
		}
	}

	private String id() {
		String id = this.container.getContainerId();
		if (id == null) {
			throw new IllegalStateException(this.name + " has not been started");
		}
		return id;
	}

	private DockerClient docker() {
		return this.container.getDockerClient();
	}

	/**
	 * Describes a service to run.
	 */
	public static final class Builder {

		private final String name;

		private final Path jar;

		private final Map<String, String> properties = new LinkedHashMap<>();

		private final Map<String, String> environment = new LinkedHashMap<>();

		private String[] javaOptions;

		private long nanoCpus;

		private long memoryBytes;

		private String baseImage = SuiteSettings.fromSystemProperties().baseImage();

		private int port;

		private int managementPort;

		private String readinessPath = "/actuator/health/readiness";

		private Duration startupTimeout = Duration.ofMinutes(2);

		private Builder(String name, Path jar) {
			this.name = name;
			this.jar = jar;
		}

		/**
		 * Sets the port of the service's API, on 127.0.0.1 ({@code server.port}).
		 * @param port a free port
		 * @return this builder
		 */
		public Builder port(int port) {
			this.port = port;
			return this;
		}

		/**
		 * Gives the service's Actuator a port of its own ({@code management.server.port});
		 * without it the Actuator is on {@link #port(int)}.
		 * @param port a free port
		 * @return this builder
		 */
		public Builder managementPort(int port) {
			this.managementPort = port;
			return this;
		}

		/**
		 * Sets the Actuator path that answers 200 once the service is ready.
		 * @param path the path, {@code /actuator/health/readiness} by default
		 * @return this builder
		 */
		public Builder readinessPath(String path) {
			this.readinessPath = path;
			return this;
		}

		/**
		 * Sets how long a start may take until the service is ready.
		 * @param timeout 2 minutes by default
		 * @return this builder
		 */
		public Builder startupTimeout(Duration timeout) {
			this.startupTimeout = timeout;
			return this;
		}

		/**
		 * Sets the JRE image to build on.
		 * @param image the image, by default the suite's {@code faultline.e2e.base-image}
		 * @return this builder
		 */
		public Builder baseImage(String image) {
			this.baseImage = image;
			return this;
		}

		/**
		 * Sets a Spring property, passed as a {@code --key=value} argument (which also
		 * suits keys that environment variables cannot express, such as map keys with
		 * dashes or list indexes).
		 * @param key the property
		 * @param value its value
		 * @return this builder
		 */
		public Builder property(String key, Object value) {
			this.properties.put(key, String.valueOf(value));
			return this;
		}

		/**
		 * Sets an environment variable of the service's process, for example a Spring
		 * property in its relaxed form ({@code EUREKA_CLIENT_ENABLED}).
		 * @param name the variable
		 * @param value its value
		 * @return this builder
		 */
		public Builder environment(String name, Object value) {
			this.environment.put(name, String.valueOf(value));
			return this;
		}

		/**
		 * Replaces the JVM options of the image's entry point (by default a small heap and
		 * the serial collector).
		 * @param options for example {@code "-Xms64m", "-Xmx400m", "-XX:+UseSerialGC"}
		 * @return this builder
		 */
		public Builder javaOptions(String... options) {
			this.javaOptions = options.clone();
			return this;
		}

		/**
		 * Limits the container's CPU and memory ({@code docker run --cpus --memory}, no swap).
		 * @param cpus the CPU quota, for example 0.5
		 * @param memoryBytes the memory limit, beyond which the kernel kills the process
		 * @return this builder
		 */
		public Builder limits(double cpus, long memoryBytes) {
			this.nanoCpus = Math.round(cpus * 1_000_000_000L);
			this.memoryBytes = memoryBytes;
			return this;
		}

		/**
		 * Describes the service's container; nothing runs until {@link ServiceContainer#start()}.
		 * @return the service
		 */
		public ServiceContainer build() {
			if (this.port <= 0) {
				throw new IllegalStateException(this.name + " needs a port: pick one with FreePorts");
			}
			if (this.managementPort <= 0) {
				this.managementPort = this.port;
			}
			return new ServiceContainer(this);
		}

		private String[] arguments() {
			Map<String, String> all = new LinkedHashMap<>();
			// Loopback only: with host networking anything else would listen on the machine's
			// real interfaces.
			all.put("server.address", LOOPBACK);
			all.put("server.port", String.valueOf(this.port));
			if (this.managementPort != this.port) {
				all.put("management.server.address", LOOPBACK);
				all.put("management.server.port", String.valueOf(this.managementPort));
			}
			all.putAll(this.properties);
			List<String> arguments = new ArrayList<>();
			all.forEach((key, value) -> arguments.add("--" + key + "=" + value));
			return arguments.toArray(String[]::new);
		}

	}

}
