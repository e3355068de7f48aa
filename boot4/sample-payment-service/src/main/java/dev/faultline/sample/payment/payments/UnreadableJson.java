package dev.faultline.sample.payment.payments;

import java.util.stream.Collectors;

import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.exc.MismatchedInputException;

/**
 * What the JSON library says about a request body it could not read, for
 * {@link PaymentApiExceptionHandler}. Spring Boot 4 reads JSON with Jackson 3, whose
 * exceptions are other types than Boot 3.5's Jackson 2: this is Boot 4's copy, Boot 3.5's
 * is in {@code sample-payment-service/src/boot3/java}. (Jackson 3 folded
 * {@code JsonParseException} into {@code StreamReadException}.)
 */
final class UnreadableJson {

	private UnreadableJson() {
	}

	/**
	 * The field whose value is of the wrong type, if that is why the body was unreadable.
	 * @param cause the cause of Spring's {@code HttpMessageNotReadableException}
	 * @return the field, or {@code null}
	 */
	static MismatchedField mismatchedField(Throwable cause) {
		if (cause instanceof MismatchedInputException mismatch && !mismatch.getPath().isEmpty()) {
			String field = mismatch.getPath()
				.stream()
				.map((reference) -> (reference.getPropertyName() != null) ? reference.getPropertyName() : "[]")
				.collect(Collectors.joining("."));
			return new MismatchedField(field, mismatch.getTargetType());
		}
		return null;
	}

	/**
	 * Where and why the body is not JSON, if that is why it was unreadable.
	 * @param cause the cause of Spring's {@code HttpMessageNotReadableException}
	 * @return the syntax error, or {@code null}
	 */
	static SyntaxError syntaxError(Throwable cause) {
		if (cause instanceof StreamReadException parse) {
			return new SyntaxError(parse.getLocation().getLineNr(), parse.getLocation().getColumnNr(),
					parse.getOriginalMessage());
		}
		return null;
	}

	/**
	 * A field of the body whose value is of the wrong type.
	 *
	 * @param path the field's path: names joined with {@code .}, {@code []} for an array
	 * element
	 * @param targetType the type its value should have been read as, or {@code null}
	 */
	record MismatchedField(String path, Class<?> targetType) {
	}

	/**
	 * Where and why a body is not JSON.
	 *
	 * @param line the line, from 1
	 * @param column the column, from 1
	 * @param message what the parser found wrong there
	 */
	record SyntaxError(int line, int column, String message) {
	}

}
