package dev.faultline.function;

import java.util.concurrent.Callable;
import java.util.concurrent.CompletionStage;

import io.github.resilience4j.bulkhead.ThreadPoolBulkhead;

/**
 * Calls on the function's resilience4j thread-pool bulkhead: its platform threads, and
 * its queue in front of them.
 */
final class PlatformPool implements CallThreads {

	private final ThreadPoolBulkhead bulkhead;

	PlatformPool(ThreadPoolBulkhead bulkhead) {
		this.bulkhead = bulkhead;
	}

	@Override
	public <T> CompletionStage<T> submit(Callable<T> attempt) {
		return this.bulkhead.submit(attempt);
	}

	@Override
	public Threads kind() {
		return Threads.PLATFORM;
	}

	@Override
	public void close() {
		try {
			this.bulkhead.close();
		}
		catch (Exception ex) {
			throw new IllegalStateException("Could not close the pool of '" + this.bulkhead.getName() + "'", ex);
		}
	}

	ThreadPoolBulkhead bulkhead() {
		return this.bulkhead;
	}

}
