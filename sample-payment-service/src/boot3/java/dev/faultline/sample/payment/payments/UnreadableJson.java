package dev.faultline.sample.payment.payments;

import java.util.stream.Collectors;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;

/**
 * What the JSON library says about a request body it could not read, for
 * {@link PaymentApiExceptionHandler}. Spring Boot 3.5 reads JSON with Jackson 2, whose
 * exceptions are other types than Boot 4's Jackson 3: this is Boot 3.5's copy, Boot 4's is
 * in {@code boot4/sample-payment-service/src/main/java}.
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
				.map((reference) -> (reference.getFieldName() != null) ? reference.getFieldName() : "[]")
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
		if (cause instanceof JsonParseException parse) {
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
