package dev.faultline.function;

/**
 * A {@link BusinessFunction @BusinessFunction} method that cannot work as declared: its
 * function is not declared, or its fallback method is missing or does not match.
 */
public class BusinessFunctionDeclarationException extends IllegalStateException {

	private final Kind kind;

	/**
	 * Creates an exception with a message that names the method and what is wrong.
	 * @param kind what is wrong
	 * @param message the message
	 */
	public BusinessFunctionDeclarationException(Kind kind, String message) {
		super(message);
		this.kind = kind;
	}

	/**
	 * Returns what is wrong, so that the fix can be named.
	 * @return the kind of mistake
	 */
	public Kind getKind() {
		return this.kind;
	}

	/**
	 * What is wrong with the declaration.
	 */
	public enum Kind {

		/**
		 * The method names a function that is not declared under
		 * {@code faultline.functions}.
		 */
		UNDECLARED_FUNCTION,

		/**
		 * The method's fallback method is missing or its signature does not match.
		 */
		FALLBACK_MISMATCH,

		/**
		 * The method returns a future and carries Spring Framework's {@code @Retryable},
		 * which cannot retry it.
		 */
		RETRY_OF_FUTURE,

		/**
		 * The method returns a type a business function cannot protect, such as a reactive
		 * type other than Reactor's.
		 */
		UNSUPPORTED_RETURN_TYPE,

		/**
		 * The method's partition key is not a valid expression, or its function is not
		 * partitioned.
		 */
		INVALID_PARTITION_KEY

	}

}
