package dev.faultline.function;

import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One run of a call on a function's pool that can be abandoned when its time limit
 * passes: an attempt still queued never starts, and one running has its worker
 * interrupted.
 *
 * <p>
 * The pool's own future cannot interrupt (resilience4j runs the work through
 * {@code CompletableFuture.supplyAsync}), so the attempt records the thread that runs it.
 * Interrupting a pool thread is only safe while it still runs this attempt: an interrupt
 * that arrived after the attempt ended would hit the next, unrelated call on that thread.
 * The worker therefore waits, on its way out, for an interrupt in progress to land and
 * then clears it. On a virtual thread, which runs one attempt and ends, the same
 * handshake keeps the interrupt off what the thread does after the attempt (releasing
 * the concurrency limit, completing the outcome and the callbacks that runs).
 */
final class Attempt<T> implements Callable<T> {

	private static final Object DONE = new Object();

	private static final Object CANCELLED = new Object();

	private static final Object INTERRUPTING = new Object();

	private final Callable<T> work;

	// null: not started; a Thread: running on it; DONE, INTERRUPTING or CANCELLED.
	private final AtomicReference<Object> state = new AtomicReference<>();

	Attempt(Callable<T> work) {
		this.work = work;
	}

	@Override
	public T call() throws Exception {
		Thread worker = Thread.currentThread();
		if (!this.state.compareAndSet(null, worker)) {
			throw new CancellationException("Time limit passed before the call left the queue");
		}
		try {
			return this.work.call();
		}
		finally {
			if (!this.state.compareAndSet(worker, DONE)) {
				while (this.state.get() == INTERRUPTING) {
					Thread.onSpinWait();
				}
				// The interrupt was for this attempt only; the pool thread goes back clean.
				Thread.interrupted();
			}
		}
	}

	/**
	 * Abandons the attempt: it will not start if still queued, and its worker is
	 * interrupted if it is running.
	 */
	void cancel() {
		while (true) {
			Object current = this.state.get();
			if (current == null) {
				if (this.state.compareAndSet(null, CANCELLED)) {
					return;
				}
			}
			else if (current instanceof Thread worker) {
				if (this.state.compareAndSet(worker, INTERRUPTING)) {
					worker.interrupt();
					this.state.set(CANCELLED);
					return;
				}
			}
			else {
				return;
			}
		}
	}

}
