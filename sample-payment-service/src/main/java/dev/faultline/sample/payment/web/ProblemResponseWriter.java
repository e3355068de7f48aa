package dev.faultline.sample.payment.web;

import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.function.Supplier;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.converter.HttpMessageConverter;
import org.springframework.http.server.ServletServerHttpResponse;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerAdapter;

/**
 * Writes an RFC 9457 problem response from a servlet filter, where Spring MVC's exception
 * handling does not reach, in the same shape as the problems the controllers answer with:
 * with Spring MVC's own message converters, so with the JSON library and settings the
 * controllers use (Jackson 2 on Spring Boot 3.5, Jackson 3 on Boot 4).
 */
@Component
public class ProblemResponseWriter {

	private final Supplier<List<HttpMessageConverter<?>>> converters;

	/**
	 * Writes with Spring MVC's converters, looked up at the first problem: a filter is
	 * created before Spring MVC.
	 * @param mvc Spring MVC's handler adapter
	 */
	@Autowired
	ProblemResponseWriter(ObjectProvider<RequestMappingHandlerAdapter> mvc) {
		this.converters = () -> mvc.getObject().getMessageConverters();
	}

	/**
	 * Writes with the given converters.
	 * @param converters converters of which one writes {@code application/problem+json}
	 */
	public ProblemResponseWriter(List<HttpMessageConverter<?>> converters) {
		this.converters = () -> converters;
	}

	/**
	 * Answers the request with a problem.
	 * @param request the request being answered
	 * @param response its response, not yet committed
	 * @param status the status
	 * @param detail what went wrong and, where the client can act, what to do
	 * @throws IOException if the response cannot be written
	 */
	public void write(HttpServletRequest request, HttpServletResponse response, HttpStatus status, String detail)
			throws IOException {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
		problem.setInstance(URI.create(request.getRequestURI()));
		response.setStatus(status.value());
		converter().write(problem, MediaType.APPLICATION_PROBLEM_JSON, new ServletServerHttpResponse(response));
	}

	@SuppressWarnings("unchecked")
	private HttpMessageConverter<Object> converter() {
		for (HttpMessageConverter<?> converter : this.converters.get()) {
			if (converter.canWrite(ProblemDetail.class, MediaType.APPLICATION_PROBLEM_JSON)) {
				return (HttpMessageConverter<Object>) converter;
			}
		}
		throw new IllegalStateException("No message converter writes " + MediaType.APPLICATION_PROBLEM_JSON_VALUE);
	}

}
