package dev.faultline.sample.payment;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.client.NoOpResponseErrorHandler;
import org.springframework.web.client.RestTemplate;
import org.springframework.web.util.DefaultUriBuilderFactory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The service as configured out of the box (no fault token): probes on the main port,
 * Actuator on the management port only, and a fault switch that refuses everyone.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "management.server.port=0")
class PaymentServiceApplicationTests {

	@TempDir
	static Path dataDir;

	@DynamicPropertySource
	static void dataDir(DynamicPropertyRegistry registry) {
		registry.add("payment.data-dir", dataDir::toString);
	}

	@LocalServerPort
	private int port;

	@LocalManagementPort
	private int managementPort;

	@Test
	void livezAndReadyzOnMainPortAnswerUp() {
		for (String probe : new String[] { "/livez", "/readyz" }) {
			ResponseEntity<String> response = rest().getForEntity(probe, String.class);

			assertThat(response.getStatusCode()).as(probe).isEqualTo(HttpStatus.OK);
			assertThat(response.getBody()).as(probe).isEqualTo("{\"status\":\"UP\"}");
		}
	}

	@Test
	void actuatorIsOnManagementPortOnly() {
		ResponseEntity<String> management = rest().getForEntity(management("/actuator/health/liveness"),
				String.class);
		ResponseEntity<String> main = rest().getForEntity("/actuator/health", String.class);

		assertThat(management.getStatusCode()).isEqualTo(HttpStatus.OK);
		assertThat(management.getBody()).contains("\"status\":\"UP\"");
		assertThat(main.getStatusCode()).isEqualTo(HttpStatus.NOT_FOUND);
	}

	@Test
	void faultsWithoutConfiguredTokenRejectsAnyToken() {
		HttpHeaders headers = new HttpHeaders();
		headers.set("X-Fault-Token", "guess");

		ResponseEntity<String> response = rest().exchange(management("/actuator/faults"), HttpMethod.GET,
				new HttpEntity<>(headers), String.class);

		assertThat(response.getStatusCode()).isEqualTo(HttpStatus.FORBIDDEN);
		assertThat(response.getBody()).contains("The fault switch is disabled");
	}

	private String management(String path) {
		return "http://127.0.0.1:" + this.managementPort + path;
	}

	// A plain RestTemplate on the main port (absolute URLs reach the management port),
	// every status answered: Spring Boot's TestRestTemplate moved module in Boot 4, and
	// this test runs on both lines.
	private RestTemplate rest() {
		RestTemplate rest = new RestTemplate();
		rest.setUriTemplateHandler(new DefaultUriBuilderFactory("http://127.0.0.1:" + this.port));
		rest.setErrorHandler(new NoOpResponseErrorHandler());
		return rest;
	}

}
