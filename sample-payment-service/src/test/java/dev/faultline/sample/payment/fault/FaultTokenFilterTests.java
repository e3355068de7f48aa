package dev.faultline.sample.payment.fault;

import dev.faultline.sample.payment.web.ProblemResponseWriter;
import org.junit.jupiter.api.Test;

import org.springframework.boot.actuate.endpoint.web.PathMappedEndpoints;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.web.client.RestTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.mock;

/**
 * {@link FaultTokenFilter} without a server: what it lets through to the {@code faults}
 * endpoint and what it leaves alone.
 */
class FaultTokenFilterTests {

	private final PathMappedEndpoints endpoints = mock(PathMappedEndpoints.class);

	// Spring's default converters, as a RestTemplate has them: JSON with whichever Jackson
	// the line brings.
	private final ProblemResponseWriter problems = new ProblemResponseWriter(
			new RestTemplate().getMessageConverters());

	FaultTokenFilterTests() {
		given(this.endpoints.getPath(FaultsEndpoint.ID)).willReturn("/actuator/faults");
	}

	@Test
	void withoutConfiguredTokenRejectsEveryRequestToFaults() throws Exception {
		FaultTokenFilter filter = new FaultTokenFilter(null, new FaultSwitchPath(this.endpoints), this.problems);
		MockHttpServletRequest request = new MockHttpServletRequest("GET", "/actuator/faults");
		request.addHeader("X-Fault-Token", "");
		MockHttpServletResponse response = new MockHttpServletResponse();
		MockFilterChain chain = new MockFilterChain();

		filter.doFilter(request, response, chain);

		assertThat(chain.getRequest()).isNull();
		assertThat(response.getStatus()).isEqualTo(403);
		assertThat(response.getContentAsString()).contains("The fault switch is disabled");
	}

	@Test
	void withBlankConfiguredTokenRejectsBlankHeader() throws Exception {
		FaultTokenFilter filter = new FaultTokenFilter(" ", new FaultSwitchPath(this.endpoints), this.problems);
		MockHttpServletRequest request = new MockHttpServletRequest("DELETE", "/actuator/faults");
		request.addHeader("X-Fault-Token", " ");
		MockHttpServletResponse response = new MockHttpServletResponse();
		MockFilterChain chain = new MockFilterChain();

		filter.doFilter(request, response, chain);

		assertThat(chain.getRequest()).isNull();
		assertThat(response.getStatus()).isEqualTo(403);
	}

	@Test
	void withRightTokenPassesRequestOn() throws Exception {
		FaultTokenFilter filter = new FaultTokenFilter("secret", new FaultSwitchPath(this.endpoints), this.problems);
		MockHttpServletRequest request = new MockHttpServletRequest("POST", "/actuator/faults");
		request.addHeader("X-Fault-Token", "secret");
		MockFilterChain chain = new MockFilterChain();

		filter.doFilter(request, new MockHttpServletResponse(), chain);

		assertThat(chain.getRequest()).isSameAs(request);
	}

	@Test
	void requestForAnotherEndpointPassesWithoutToken() throws Exception {
		FaultTokenFilter filter = new FaultTokenFilter("secret", new FaultSwitchPath(this.endpoints), this.problems);
		MockHttpServletRequest request = new MockHttpServletRequest("GET", "/actuator/health");
		MockFilterChain chain = new MockFilterChain();

		filter.doFilter(request, new MockHttpServletResponse(), chain);

		assertThat(chain.getRequest()).isSameAs(request);
	}

}
