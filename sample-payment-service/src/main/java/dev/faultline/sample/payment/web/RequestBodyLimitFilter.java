package dev.faultline.sample.payment.web;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Answers a request whose body is larger than a limit with a 413 problem, before anything
 * parses it. A declared {@code Content-Length} is checked at once; a chunked body, whose
 * size is only known once read, is read up to the limit and handed on from memory.
 */
public class RequestBodyLimitFilter extends OncePerRequestFilter {

	private final long limit;

	private final ProblemResponseWriter problems;

	public RequestBodyLimitFilter(long limit, ProblemResponseWriter problems) {
		this.limit = limit;
		this.problems = problems;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		long declared = request.getContentLengthLong();
		if (declared > this.limit) {
			tooLarge(request, response);
			return;
		}
		if (declared >= 0 || request.getHeader(HttpHeaders.TRANSFER_ENCODING) == null) {
			// The container reads no further than the declared length.
			chain.doFilter(request, response);
			return;
		}
		byte[] body = request.getInputStream().readNBytes((int) Math.min(this.limit + 1, Integer.MAX_VALUE));
		if (body.length > this.limit) {
			tooLarge(request, response);
			return;
		}
		chain.doFilter(new ReadBodyRequest(request, body), response);
	}

	private void tooLarge(HttpServletRequest request, HttpServletResponse response) throws IOException {
		this.problems.write(request, response, HttpStatus.PAYLOAD_TOO_LARGE,
				"Request body is larger than the " + this.limit + " bytes accepted");
	}

	/**
	 * A request whose body was already read into memory.
	 */
	private static final class ReadBodyRequest extends HttpServletRequestWrapper {

		private final byte[] body;

		ReadBodyRequest(HttpServletRequest request, byte[] body) {
			super(request);
			this.body = body;
		}

		@Override
		public int getContentLength() {
			return this.body.length;
		}

		@Override
		public long getContentLengthLong() {
			return this.body.length;
		}

		@Override
		public ServletInputStream getInputStream() {
			return new BodyInputStream(new ByteArrayInputStream(this.body));
		}

		@Override
		public BufferedReader getReader() {
			Charset charset = (getCharacterEncoding() != null) ? Charset.forName(getCharacterEncoding())
					: StandardCharsets.UTF_8;
			return new BufferedReader(new InputStreamReader(new ByteArrayInputStream(this.body), charset));
		}

	}

	private static final class BodyInputStream extends ServletInputStream {

		private final InputStream body;

		BodyInputStream(ByteArrayInputStream body) {
			this.body = body;
		}

		@Override
		public int read() throws IOException {
			return this.body.read();
		}

		@Override
		public int read(byte[] buffer, int offset, int length) throws IOException {
			return this.body.read(buffer, offset, length);
		}

		@Override
		public boolean isFinished() {
			try {
				return this.body.available() == 0;
			}
			catch (IOException ex) {
				return true;
			}
		}

		@Override
		public boolean isReady() {
			return true;
		}

		@Override
		public void setReadListener(ReadListener listener) {
			throw new UnsupportedOperationException("The body was already read; asynchronous reading is not offered");
		}

	}

}
