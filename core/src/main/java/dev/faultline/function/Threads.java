package dev.faultline.function;

/**
 * Where a business function's calls run.
 */
public enum Threads {

	/**
	 * On the function's own pool of platform threads, a resilience4j
	 * {@code ThreadPoolBulkhead}, with a queue in front of it.
	 */
	PLATFORM,

	/**
	 * Each on a virtual thread of its own (Java 21 or later), as many at once as the
	 * function's resilience4j semaphore {@code Bulkhead} allows, with no queue.
	 */
	VIRTUAL;

	/**
	 * Returns whether this JVM can run calls on virtual threads.
	 * @return {@code true} on Java 21 or later
	 */
	public static boolean virtualAvailable() {
		return Runtime.version().feature() >= 21;
	}

}
