package dev.faultline.function;

/**
 * The cause a fallback gets for a call turned away because its key already held its share
 * of the function's places: the other keys' calls go on.
 */
public class PartitionFullException extends RuntimeException {

	private final String function;

	private final String key;

	private final int share;

	private final int places;

	/**
	 * Creates the exception.
	 * @param function the function's name
	 * @param key the call's key
	 * @param share the most places one key may hold
	 * @param places all the function's places: its pool's threads, or its concurrency limit
	 */
	public PartitionFullException(String function, String key, int share, int places) {
		super("Business function '" + function + "' turned the call of '" + key + "' away: it has its share of "
				+ share + " of the function's " + places + " places in it");
		this.function = function;
		this.key = key;
		this.share = share;
		this.places = places;
	}

	public String getFunction() {
		return this.function;
	}

	public String getKey() {
		return this.key;
	}

	/**
	 * Returns the most calls one key may have in the function.
	 * @return the share, in places
	 */
	public int getShare() {
		return this.share;
	}

	/**
	 * Returns all the function's places: its pool's threads, or its concurrency limit.
	 * @return the places
	 */
	public int getPlaces() {
		return this.places;
	}

}
