package dev.faultline.function;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ThreadFactory;

import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadFullException;

/**
 * Calls each on a virtual thread of its own, as many at once as the function's
 * resilience4j semaphore bulkhead permits. A virtual thread costs next to nothing, so the
 * limit is there for the downstream and for what the calls hold (connections, memory),
 * not for threads; there is no queue, a call beyond the limit is refused at once as one
 * beyond a full pool and queue is.
 *
 * <p>
 * The code is compiled for Java 17, where {@code Thread.ofVirtual()} does not exist: the
 * thread factory is found once, through method handles, on Java 21 or later.
 */
final class VirtualThreads implements CallThreads {

	private final Bulkhead limit;

	private final ThreadFactory threads;

	VirtualThreads(Bulkhead limit) {
		this.limit = limit;
		this.threads = virtualThreadFactory(limit.getName() + "-virtual-");
	}

	@Override
	public <T> CompletionStage<T> submit(Callable<T> attempt) {
		if (!this.limit.tryAcquirePermission()) {
			throw BulkheadFullException.createBulkheadFullException(this.limit);
		}
		CompletableFuture<T> outcome = new CompletableFuture<>();
		Thread thread;
		try {
			thread = this.threads.newThread(() -> run(attempt, outcome));
			thread.start();
		}
		catch (RuntimeException | Error ex) {
			this.limit.onComplete();
			throw ex;
		}
		return outcome;
	}

	private <T> void run(Callable<T> attempt, CompletableFuture<T> outcome) {
		T value;
		try {
			value = attempt.call();
		}
		catch (Throwable ex) {
			// The permit goes back before the outcome is told, so a caller that sees the
			// outcome finds the limit already released, as a pool's thread is.
			this.limit.onComplete();
			outcome.completeExceptionally(ex);
			return;
		}
		this.limit.onComplete();
		outcome.complete(value);
	}

	@Override
	public Threads kind() {
		return Threads.VIRTUAL;
	}

	@Override
	public void close() {
		// Nothing to stop: each thread ends with its call.
	}

	Bulkhead limit() {
		return this.limit;
	}

	/**
	 * {@code Thread.ofVirtual().name(prefix, 0).factory()}, on a Java 17 compile.
	 */
	private static ThreadFactory virtualThreadFactory(String prefix) {
		if (!Threads.virtualAvailable()) {
			throw new IllegalStateException("Virtual threads need Java 21 or later; this is Java "
					+ Runtime.version().feature());
		}
		try {
			MethodHandles.Lookup lookup = MethodHandles.publicLookup();
			Class<?> ofVirtual = Class.forName("java.lang.Thread$Builder$OfVirtual");
			Class<?> builder = Class.forName("java.lang.Thread$Builder");
			MethodHandle start = lookup.findStatic(Thread.class, "ofVirtual", MethodType.methodType(ofVirtual));
			MethodHandle name = lookup.findVirtual(ofVirtual, "name",
					MethodType.methodType(ofVirtual, String.class, long.class));
			MethodHandle factory = lookup.findVirtual(builder, "factory", MethodType.methodType(ThreadFactory.class));
			return (ThreadFactory) factory.invoke(name.invoke(start.invoke(), prefix, 0L));
		}
		catch (Throwable ex) {
			throw new IllegalStateException("Could not create virtual threads on Java " + Runtime.version(), ex);
		}
	}

}
