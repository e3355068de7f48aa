package dev.faultline.sample.payment.payments;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.MessageSourceResolvable;
import org.springframework.core.MethodParameter;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.validation.FieldError;
import org.springframework.validation.method.ParameterErrors;
import org.springframework.validation.method.ParameterValidationResult;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.MissingRequestHeaderException;
import org.springframework.web.bind.ServletRequestBindingException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * Turns every error of the payments API into an RFC 9457 problem whose {@code detail} names
 * what was wrong and what is allowed, so a client can fix its request without reading the
 * code. Invalid fields are also listed one by one in an {@code errors} property.
 * <p>
 * Spring's own handling already answers with problems; this replaces only the details that
 * would leave a client guessing ("Invalid request content.").
 */
@RestControllerAdvice
class PaymentApiExceptionHandler extends ResponseEntityExceptionHandler {

	private static final Logger logger = LoggerFactory.getLogger(PaymentApiExceptionHandler.class);

	private static final String EXAMPLE = "{\"orderId\": \"order-1\", \"amount\": 12.50, \"currency\": \"EUR\"}";

	@Override
	protected ResponseEntity<Object> handleMethodArgumentNotValid(MethodArgumentNotValidException ex,
			HttpHeaders headers, HttpStatusCode status, WebRequest request) {
		return invalid(ex, fieldProblems(ex.getBindingResult().getFieldErrors()), headers, request);
	}

	@Override
	protected ResponseEntity<Object> handleHandlerMethodValidationException(HandlerMethodValidationException ex,
			HttpHeaders headers, HttpStatusCode status, WebRequest request) {
		List<FieldProblem> problems = new ArrayList<>();
		for (ParameterValidationResult result : ex.getParameterValidationResults()) {
			if (result instanceof ParameterErrors errors) {
				problems.addAll(fieldProblems(errors.getFieldErrors()));
			}
			else {
				String name = parameterName(result.getMethodParameter());
				for (MessageSourceResolvable error : result.getResolvableErrors()) {
					problems.add(new FieldProblem(name, error.getDefaultMessage()));
				}
			}
		}
		return invalid(ex, problems, headers, request);
	}

	@Override
	protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException ex,
			HttpHeaders headers, HttpStatusCode status, WebRequest request) {
		Throwable cause = ex.getCause();
		UnreadableJson.MismatchedField mismatch = UnreadableJson.mismatchedField(cause);
		if (mismatch != null) {
			List<FieldProblem> problems = new ArrayList<>();
			problems.add(new FieldProblem(mismatch.path(), "must be " + expected(mismatch.targetType())));
			return invalid(ex, problems, headers, request);
		}
		return problem(ex, HttpStatus.BAD_REQUEST, unreadableBodyDetail(cause), headers, request);
	}

	@Override
	protected ResponseEntity<Object> handleHttpMediaTypeNotSupported(HttpMediaTypeNotSupportedException ex,
			HttpHeaders headers, HttpStatusCode status, WebRequest request) {
		String sent = request.getHeader(HttpHeaders.CONTENT_TYPE);
		String detail = ((sent != null) ? "Content-Type '" + sent + "' is not supported"
				: "Content-Type is missing") + ": send " + MediaType.APPLICATION_JSON_VALUE;
		return problem(ex, status, detail, headers, request);
	}

	@Override
	protected ResponseEntity<Object> handleServletRequestBindingException(ServletRequestBindingException ex,
			HttpHeaders headers, HttpStatusCode status, WebRequest request) {
		if (ex instanceof MissingRequestHeaderException missing
				&& PaymentController.IDEMPOTENCY_KEY.equalsIgnoreCase(missing.getHeaderName())) {
			String detail = "Header " + PaymentController.IDEMPOTENCY_KEY + " is required: it "
					+ PaymentController.IDEMPOTENCY_KEY_RULE + ", the same for every retry of one payment";
			return problem(ex, status, detail, headers, request);
		}
		return super.handleServletRequestBindingException(ex, headers, status, request);
	}

	@ExceptionHandler
	ResponseEntity<Object> handleUnexpected(Exception ex, WebRequest request) {
		logger.error("Request failed unexpectedly: {}", request.getDescription(false), ex);
		return problem(ex, HttpStatus.INTERNAL_SERVER_ERROR, "The payment service failed to process the request",
				new HttpHeaders(), request);
	}

	private ResponseEntity<Object> invalid(Exception ex, List<FieldProblem> problems, HttpHeaders headers,
			WebRequest request) {
		problems.sort(Comparator.comparing(FieldProblem::field).thenComparing(FieldProblem::message));
		String detail = problems.stream()
			.map((problem) -> problem.field() + " " + problem.message())
			.collect(Collectors.joining("; ", "Invalid request: ", ""));
		ProblemDetail body = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, detail);
		body.setProperty("errors", problems);
		return handleExceptionInternal(ex, body, headers, HttpStatus.BAD_REQUEST, request);
	}

	private ResponseEntity<Object> problem(Exception ex, HttpStatusCode status, String detail, HttpHeaders headers,
			WebRequest request) {
		return handleExceptionInternal(ex, ProblemDetail.forStatusAndDetail(status, detail), headers, status, request);
	}

	private static List<FieldProblem> fieldProblems(List<FieldError> errors) {
		return errors.stream()
			.map((error) -> new FieldProblem(error.getField(), error.getDefaultMessage()))
			.collect(Collectors.toCollection(ArrayList::new));
	}

	private static String parameterName(MethodParameter parameter) {
		RequestHeader header = parameter.getParameterAnnotation(RequestHeader.class);
		if (header != null && !header.name().isEmpty()) {
			return header.name();
		}
		RequestParam param = parameter.getParameterAnnotation(RequestParam.class);
		if (param != null && !param.name().isEmpty()) {
			return param.name();
		}
		return parameter.getParameterName();
	}

	private static String unreadableBodyDetail(Throwable cause) {
		UnreadableJson.SyntaxError syntax = UnreadableJson.syntaxError(cause);
		if (syntax != null) {
			return "Request body is not valid JSON (line " + syntax.line() + ", column " + syntax.column() + "): "
					+ syntax.message();
		}
		if (cause == null) {
			// Spring's own exception when there is no body at all.
			return "Request body is required: a JSON object such as " + EXAMPLE;
		}
		return "Request body must be a JSON object such as " + EXAMPLE;
	}

	private static String expected(Class<?> type) {
		if (type == null) {
			return "of another type";
		}
		if (BigDecimal.class.isAssignableFrom(type) || Number.class.isAssignableFrom(type)) {
			return "a decimal number such as 12.50";
		}
		if (CharSequence.class.isAssignableFrom(type)) {
			return "a string";
		}
		return "of another type";
	}

	/**
	 * One invalid field, header or parameter, listed in the problem's {@code errors}.
	 *
	 * @param field the JSON field, header or query parameter
	 * @param message what it must be
	 */
	record FieldProblem(String field, String message) {
	}

}
