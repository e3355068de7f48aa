package dev.faultline.peer.http;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The daemon threads one part of Faultline runs on, named
 * {@code faultline-<owner>-<n>-<m>}, so that closing that part leaves no thread of ours
 * behind. Threads are made as work needs them and end after a minute idle; how many run
 * at once is bounded by the work given, such as one probe per instance.
 */
public final class DaemonThreads implements ThreadFactory, AutoCloseable {

	private static final AtomicInteger owners = new AtomicInteger();

	private final String threadNamePrefix;

	private final AtomicInteger threads = new AtomicInteger();

	private final ExecutorService executor;

	/**
	 * Creates the threads of one owner.
	 * @param owner what the threads are for, in their names, such as {@code probe}
	 */
	public DaemonThreads(String owner) {
		this.threadNamePrefix = "faultline-" + owner + "-" + owners.incrementAndGet() + "-";
		this.executor = Executors.newCachedThreadPool(this);
	}

	@Override
	public Thread newThread(Runnable runnable) {
		Thread thread = new Thread(runnable, this.threadNamePrefix + this.threads.incrementAndGet());
		thread.setDaemon(true);
		return thread;
	}

	/**
	 * Returns the executor that runs work on these threads.
	 * @return the executor; it rejects work once these threads are closed
	 */
	public ExecutorService executor() {
		return this.executor;
	}

	/**
	 * Returns the start of these threads' names.
	 * @return such as {@code faultline-probe-1-}
	 */
	public String threadNamePrefix() {
		return this.threadNamePrefix;
	}

	/**
	 * Stops these threads, interrupting any work in progress.
	 */
	@Override
	public void close() {
		this.executor.shutdownNow();
	}

}
