package dev.faultline.function;

/**
 * A {@link BusinessFunction @BusinessFunction} method that cannot work as declared: its
 * function is not declared, or its fallback method is missing or does not match.
 */
public class BusinessFunctionDeclarationException extends IllegalStateException {

	/**
	 * Creates an exception with a message that names the method and what is wrong.
	 * @param message the message
	 */
	public BusinessFunctionDeclarationException(String message) {
		super(message);
	}

}
