package dev.faultline.peer;

import java.net.http.HttpClient;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The JDK HTTP clients one part of Faultline creates, and the daemon threads they run on,
 * so that closing that part leaves no thread of ours behind.
 */
final class HttpClientThreads implements AutoCloseable {

	private static final AtomicInteger owners = new AtomicInteger();

	private final String threadNamePrefix;

	private final AtomicInteger threads = new AtomicInteger();

	private final ExecutorService executor;

	private final List<HttpClient> clients = new CopyOnWriteArrayList<>();

	/**
	 * Creates the threads of one owner.
	 * @param owner what the threads are for, in their names, such as {@code probe}
	 */
	HttpClientThreads(String owner) {
		this.threadNamePrefix = "faultline-" + owner + "-" + owners.incrementAndGet() + "-";
		this.executor = Executors.newCachedThreadPool((runnable) -> {
			Thread thread = new Thread(runnable, this.threadNamePrefix + this.threads.incrementAndGet());
			thread.setDaemon(true);
			return thread;
		});
	}

	/**
	 * Builds a client that runs on these threads and is closed with them.
	 * @param builder the client's settings
	 * @return the client
	 */
	HttpClient build(HttpClient.Builder builder) {
		HttpClient client = builder.executor(this.executor).build();
		this.clients.add(client);
		return client;
	}

	String threadNamePrefix() {
		return this.threadNamePrefix;
	}

	@Override
	public void close() {
		for (HttpClient client : this.clients) {
			// From Java 21 a client can be closed; on 17 its selector thread ends once the
			// client is unreachable, and the threads we gave it stop below.
			if (client instanceof AutoCloseable closeable) {
				try {
					closeable.close();
				}
				catch (Exception ex) {
					// best effort: the executor is shut down either way
				}
			}
		}
		this.clients.clear();
		this.executor.shutdownNow();
	}

}
