package dev.faultline.function;

/**
 * The cause a fallback gets for a call turned away because its key already held its share
 * of the function's places: the other keys' calls go on.
 */
public class PartitionFullException extends RuntimeException {

	private final String function;

	private final String key;

	/**
	 * Creates the exception.
	 * @param function the function's name
	 * @param key the call's key
	 * @param share the most places one key may hold
	 * @param places all the function's places
	 */
	public PartitionFullException(String function, String key, int share, int places) {
		super("Business function '" + function + "' turned the call of '" + key + "' away: it holds its share of "
				+ share + " of the function's " + places + " places");
		this.function = function;
		this.key = key;
	}

	public String getFunction() {
		return this.function;
	}

	public String getKey() {
		return this.key;
	}

}
