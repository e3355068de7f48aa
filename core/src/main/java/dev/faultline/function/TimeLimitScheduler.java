package dev.faultline.function;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;

/**
 * The one thread that enforces the time limits of every business function. A time limit
 * only completes a call's result and interrupts its worker, so one thread serves all
 * functions; cancelled deadlines are removed at once so a busy service does not pile
 * them up.
 */
public final class TimeLimitScheduler implements AutoCloseable {

	private final ScheduledThreadPoolExecutor executor;

	/**
	 * Creates the scheduler and its daemon thread, {@code faultline-time-limit}.
	 */
	public TimeLimitScheduler() {
		this.executor = new ScheduledThreadPoolExecutor(1, (runnable) -> {
			Thread thread = Executors.defaultThreadFactory().newThread(runnable);
			thread.setName("faultline-time-limit");
			thread.setDaemon(true);
			return thread;
		});
		this.executor.setRemoveOnCancelPolicy(true);
	}

	/**
	 * Returns the executor that time limits are scheduled on.
	 * @return the executor
	 */
	public ScheduledExecutorService executor() {
		return this.executor;
	}

	@Override
	public void close() {
		this.executor.shutdownNow();
	}

}
