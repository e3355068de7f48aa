package dev.faultline.function;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A function's places (its pool's threads, or its concurrency limit) shared out by a key,
 * such as the customer a call is for: no key has more calls in the function, running or
 * queued, than its share of them, so one customer's flood can neither take the threads
 * the others need nor queue ahead of them. The queue is left for bursts of all keys
 * together. Only keys with calls in the function are tracked, so memory is bounded by
 * the places, whatever the number of keys seen.
 *
 * <p>
 * A place is taken before the call enters the function and given back when the call has
 * left its thread for good: when it ends, or, when it was turned away or its time limit
 * passed while it was queued, when it was given up. A call still running past its time
 * limit keeps its place until it ends, as it keeps its thread.
 */
public final class Partitions {

	private final int places;

	private final int share;

	private final Map<String, Integer> inUse = new ConcurrentHashMap<>();

	/**
	 * Creates the partitions of a function.
	 * @param places all the function's places: its pool's most threads, or its
	 * concurrency limit
	 * @param share the fraction of them one key may hold, above 0 and at most 1
	 */
	public Partitions(int places, double share) {
		if (!(share > 0 && share <= 1)) {
			throw new IllegalArgumentException("share must be above 0 and at most 1, was " + share);
		}
		this.places = places;
		this.share = Math.max(1, (int) Math.floor(places * share));
	}

	/**
	 * Takes a place for a call of the given key, if the key holds less than its share.
	 * @param key the call's key
	 * @return whether the call may enter
	 */
	boolean tryAcquire(String key) {
		boolean[] admitted = new boolean[1];
		this.inUse.compute(key, (k, held) -> {
			int count = (held != null) ? held : 0;
			if (count >= this.share) {
				return held;
			}
			admitted[0] = true;
			return count + 1;
		});
		return admitted[0];
	}

	/**
	 * Gives back a place of the given key; the key is forgotten when it holds none.
	 * @param key the call's key
	 */
	void release(String key) {
		this.inUse.computeIfPresent(key, (k, held) -> (held > 1) ? held - 1 : null);
	}

	/**
	 * Returns the most places one key may hold.
	 * @return the share, in places
	 */
	public int share() {
		return this.share;
	}

	/**
	 * Returns all the function's places.
	 * @return the places
	 */
	public int places() {
		return this.places;
	}

	/**
	 * Returns the keys holding the most places now, busiest first.
	 * @param limit how many keys at most
	 * @return the places held, by key
	 */
	public Map<String, Integer> busiest(int limit) {
		Map<String, Integer> busiest = new LinkedHashMap<>();
		this.inUse.entrySet()
			.stream()
			.sorted(Map.Entry.<String, Integer>comparingByValue(Comparator.reverseOrder())
				.thenComparing(Map.Entry.comparingByKey()))
			.limit(limit)
			.forEach((entry) -> busiest.put(entry.getKey(), entry.getValue()));
		return busiest;
	}

	/**
	 * Returns how many keys hold places now.
	 * @return the number of active keys
	 */
	public int activeKeys() {
		return this.inUse.size();
	}

}
