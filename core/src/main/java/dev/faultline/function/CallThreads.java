package dev.faultline.function;

import java.util.concurrent.Callable;
import java.util.concurrent.CompletionStage;

import io.github.resilience4j.bulkhead.BulkheadFullException;

/**
 * Where a function's calls run, and how many may run at once: everything about the
 * function's threads, so that the circuit breaker, the time limit, the context and the
 * fallback in {@link IsolatedFunction} are the same whichever threads run the call.
 */
interface CallThreads {

	/**
	 * Starts {@code attempt} on one of these threads, or refuses it at once.
	 * @param <T> the result type
	 * @param attempt the call
	 * @return a stage completed on the call's thread with its outcome
	 * @throws BulkheadFullException if no call can be taken now
	 */
	<T> CompletionStage<T> submit(Callable<T> attempt);

	/**
	 * Returns which kind of threads these are.
	 * @return the kind
	 */
	Threads kind();

	/**
	 * Releases the threads, for a function that is no longer used.
	 */
	void close();

}
