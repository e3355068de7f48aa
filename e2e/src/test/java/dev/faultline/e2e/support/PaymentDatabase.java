package dev.faultline.e2e.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;

/**
 * The database payment replicas share: an H2 TCP server in a container of its own, on host
 * networking and bound to 127.0.0.1 (H2 listens on every interface unless told otherwise,
 * so it is given {@code -Dh2.bindAddress}). It runs from payment-service's own image,
 * whose boot jar holds the H2 jar, through Spring Boot's {@code PropertiesLauncher} with
 * {@code org.h2.tools.Server} as its main class: the H2 the replicas speak is the one they
 * ship. The database {@value #NAME} is created by the first replica that connects.
 * <p>
 * Infrastructure, not a fault: it stays up while replicas hang, crash or are killed.
 */
public final class PaymentDatabase implements AutoCloseable {

	/** The database's name on the server. */
	public static final String NAME = "payments";

	private static final String LOOPBACK = "127.0.0.1";

	private static final String LAUNCHER = "org.springframework.boot.loader.launch.PropertiesLauncher";

	private final int port;

	private final GenericContainer<?> container;

	/**
	 * Describes the server; nothing runs until {@link #start()}.
	 * @param paymentJar payment-service's boot jar
	 * @param baseImage the JRE image its image is built on
	 * @param port a free port for the server
	 */
	public PaymentDatabase(Path paymentJar, String baseImage, int port) {
		this.port = port;
		SampleImage image = SampleImage.of("payment-service", paymentJar, baseImage);
		this.container = new GenericContainer<>(image).withNetworkMode("host")
			.withCreateContainerCmdModifier((cmd) -> cmd.withEntrypoint("java", "-Xms32m", "-Xmx128m",
					"-XX:+UseSerialGC", "-Dh2.bindAddress=" + LOOPBACK, "-Dloader.main=org.h2.tools.Server", "-cp",
					"/app/app.jar", LAUNCHER))
			.withCommand("-tcp", "-tcpPort", String.valueOf(port), "-ifNotExists", "-baseDir", "/app/data/h2")
			.waitingFor(Wait.forLogMessage(".*TCP server running.*\\n", 1).withStartupTimeout(Duration.ofMinutes(1)));
	}

	/**
	 * Starts the server and waits until it accepts connections.
	 */
	public void start() {
		this.container.start();
	}

	/**
	 * Returns the JDBC URL of the shared database. Every commit reaches the server's files
	 * at once ({@code WRITE_DELAY=0}), as payment's own file database does.
	 * @return for example {@code jdbc:h2:tcp://127.0.0.1:40125/payments;WRITE_DELAY=0}
	 */
	public String jdbcUrl() {
		return "jdbc:h2:tcp://" + LOOPBACK + ":" + this.port + "/" + NAME + ";WRITE_DELAY=0";
	}

	public int port() {
		return this.port;
	}

	/**
	 * Writes the server's logs to a file.
	 * @param file the file, replaced if it exists
	 */
	public void saveLogs(Path file) {
		try {
			Files.createDirectories(file.toAbsolutePath().getParent());
			Files.writeString(file, (this.container.getContainerId() != null) ? this.container.getLogs() : "");
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not save the logs of the payment database to " + file, ex);
		}
	}

	/**
	 * Removes the server's container and its data.
	 */
	@Override
	public void close() {
		this.container.stop();
	}

}
