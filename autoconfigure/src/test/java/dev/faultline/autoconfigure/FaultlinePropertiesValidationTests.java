package dev.faultline.autoconfigure;

import dev.faultline.peer.PeerRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.bind.validation.BindValidationException;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Configuration;
import org.springframework.validation.FieldError;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

@ExtendWith(OutputCaptureExtension.class)
class FaultlinePropertiesValidationTests {

	private static final String PAYMENT = "faultline.peers.payment";

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(PeerAutoConfiguration.class));

	@ParameterizedTest(name = "{0}={1}")
	@CsvSource(delimiter = '|', textBlock = """
			heartbeat.interval                  | 0s          | peers.payment.heartbeat.interval                  | must be a positive duration | PT0S
			heartbeat.interval                  | -1s         | peers.payment.heartbeat.interval                  | must be a positive duration | PT-1S
			heartbeat.timeout                   | 0ms         | peers.payment.heartbeat.timeout                   | must be a positive duration | PT0S
			heartbeat.path                      | health      | peers.payment.heartbeat.path                      | must be a path starting with '/' | health
			detector.threshold                  | 0           | peers.payment.detector.threshold                  | must be a finite number greater than 0 | 0.0
			detector.threshold                  | -3          | peers.payment.detector.threshold                  | must be a finite number greater than 0 | -3.0
			detector.max-samples                | 0           | peers.payment.detector.maxSamples                 | must be between 1 and 100000 | 0
			detector.min-std-deviation          | 0ms         | peers.payment.detector.minStdDeviation            | must be a positive duration | PT0S
			detector.acceptable-heartbeat-pause | -1s         | peers.payment.detector.acceptableHeartbeatPause   | must be zero or a positive duration | PT-1S
			detector.first-heartbeat-estimate   | 0s          | peers.payment.detector.firstHeartbeatEstimate     | must be a positive duration | PT0S
			detector.missed-heartbeats          | 0           | peers.payment.detector.missedHeartbeats           | must be at least 1 | 0
			detector.memory-half-life           | 1           | peers.payment.detector.memoryHalfLife             | must be between 16 and 1000000 | 1
			detector.max-tail-exponent          | 1           | peers.payment.detector.maxTailExponent            | must be between 2.0 and 1000.0 | 1.0
			detector.outage-factor              | 1           | peers.payment.detector.outageFactor               | must be a finite number greater than 1 | 1.0
			instances[0]                        | localhost:8081 | peers.payment.instances[0]                     | must be an absolute http or https URL | localhost:8081
			instances[0]                        | ftp://host/  | peers.payment.instances[0]                       | must be an absolute http or https URL | ftp://host/
			instances[0]                        | http://127.0.0.1:99999 | peers.payment.instances[0]             | must have a port between 1 and 65535 | http://127.0.0.1:99999
			instances[0]                        | https://payment:0/ | peers.payment.instances[0]                 | must have a port between 1 and 65535 | https://payment:0/
			heartbeat.gateway-statuses          | 200         | peers.payment.heartbeat.gatewayStatuses           | must be HTTP statuses between 300 and 599 | [200]
			failback                            | true        | peers.payment.failback                            | applies to 'failover' routing only | true
			discovery.service-id                | payment     | peers.payment.instances                           | must be left out when discovery.service-id names the service | [http://127.0.0.1:8081]
			monitor.discovery-refresh-interval  | 0s          | monitor.discoveryRefreshInterval                  | must be a positive duration | PT0S
			""")
	void invalidValueFailsStartupNamingPropertyValueAndWhatIsAllowed(String property, String value, String field,
			String allowed, String shown) {
		String instance = property.startsWith("instances") ? "" : PAYMENT + ".instances[0]=http://127.0.0.1:8081";
		// failback is wrong only beside balanced routing
		String routing = property.equals("failback") ? PAYMENT + ".routing=balanced" : "";
		String key = property.startsWith("monitor.") ? "faultline." + property : PAYMENT + "." + property;
		this.contextRunner.withPropertyValues(key + "=" + value, instance, routing).run((context) -> {
			assertThat(context).hasFailed();
			FieldError error = fieldError(context.getStartupFailure());
			assertThat(error.getField()).isEqualTo(field);
			assertThat(error.getDefaultMessage()).contains(allowed);
			assertThat(String.valueOf(error.getRejectedValue())).isEqualTo(shown);
			assertThat(error.getDefaultMessage()).endsWith("(was " + shown + ")");
		});
	}

	@Test
	void peerWithoutInstancesFailsStartup() {
		this.contextRunner.withPropertyValues(PAYMENT + ".heartbeat.interval=1s").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(fieldError(context.getStartupFailure()).getDefaultMessage())
				.contains("must list at least one instance URL");
		});
	}

	@Test
	void unknownHeartbeatModeFailsStartup() {
		this.contextRunner
			.withPropertyValues(PAYMENT + ".instances[0]=http://127.0.0.1:8081", PAYMENT + ".heartbeat.mode=sometimes")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("sometimes"));
	}

	@Test
	void maxLocalPauseOfZeroFailsStartup() {
		this.contextRunner.withPropertyValues("faultline.monitor.max-local-pause=0s").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(fieldError(context.getStartupFailure()).getField()).isEqualTo("monitor.maxLocalPause");
		});
	}

	@ParameterizedTest(name = "{0}")
	@CsvSource(textBlock = """
			http://127.0.0.1:1
			http://127.0.0.1:65535
			https://payment.internal
			""")
	void instanceWithAPortInRangeOrNoneStarts(String instance) {
		this.contextRunner.withPropertyValues(PAYMENT + ".instances[0]=" + instance)
			.run((context) -> assertThat(context).hasNotFailed());
	}

	@Test
	void validConfigurationStartsAndChangesNothingElse() {
		this.contextRunner.withPropertyValues(PAYMENT + ".instances[0]=http://127.0.0.1:8081")
			.run((context) -> assertThat(context).hasNotFailed().hasSingleBean(PeerRegistry.class));
	}

	@Test
	void invalidValueIsReportedToTheUserWithPropertyValueAndReason(CapturedOutput output) {
		assertThatException().isThrownBy(() -> new SpringApplicationBuilder(App.class)
			.web(WebApplicationType.NONE)
			.properties(PAYMENT + ".instances[0]=http://127.0.0.1:8081", PAYMENT + ".heartbeat.interval=0s")
			.run());

		assertThat(output).contains("Property: faultline.peers.payment.heartbeat.interval")
			.contains("Value: \"PT0S\"")
			.contains("Reason: must be a positive duration such as 500ms or 1s");
	}

	// 'instances=a,b' binds the list from one property, so the binder has no value of its
	// own for instances[1]: the report must show the value Faultline rejected.
	@ParameterizedTest(name = "{0}")
	@CsvSource(delimiter = '|', textBlock = """
			instances=http://127.0.0.1:8081,htp://x | faultline.peers.payment.instances[1] | htp://x        | must be an absolute http or https URL with a host
			instances=localhost:8081                | faultline.peers.payment.instances[0] | localhost:8081 | must be an absolute http or https URL with a host
			instances[0]=htp://x                    | faultline.peers.payment.instances[0] | htp://x        | must be an absolute http or https URL with a host
			instances=127.0.0.1:8081                | faultline.peers.payment.instances    | 127.0.0.1:8081 | failed to convert java.lang.String to java.net.URI
			instances[0]=http://127.0.0.1:99999     | faultline.peers.payment.instances[0] | http://127.0.0.1:99999 | must have a port between 1 and 65535 or leave it out, such as http://127.0.0.1:8081
			""")
	void invalidInstanceIsReportedToTheUserWithItsValue(String property, String reported, String shown,
			String reason, CapturedOutput output) {
		assertThatException().isThrownBy(() -> new SpringApplicationBuilder(App.class)
			.web(WebApplicationType.NONE)
			.properties(PAYMENT + "." + property)
			.run());

		assertThat(output).contains("Property: " + reported + "\n")
			.contains("Value: \"" + shown + "\"")
			.doesNotContain("Value: \"null\"")
			.contains("Reason: " + reason);
	}

	@Test
	void unknownModeIsReportedToTheUserWithTheAllowedValues(CapturedOutput output) {
		assertThatException().isThrownBy(() -> new SpringApplicationBuilder(App.class)
			.web(WebApplicationType.NONE)
			.properties(PAYMENT + ".instances[0]=http://127.0.0.1:8081", PAYMENT + ".heartbeat.mode=sometimes")
			.run());

		assertThat(output).contains("faultline.peers.payment.heartbeat.mode")
			.contains("Value: \"sometimes\"")
			.contains("ACTIVE")
			.contains("HYBRID")
			.contains("PASSIVE");
	}

	private static FieldError fieldError(Throwable failure) {
		Throwable cause = failure;
		while (cause != null && !(cause instanceof BindValidationException)) {
			cause = cause.getCause();
		}
		assertThat(cause).as("a BindValidationException in the cause chain of %s", failure).isNotNull();
		return ((BindValidationException) cause).getValidationErrors()
			.getAllErrors()
			.stream()
			.filter(FieldError.class::isInstance)
			.map(FieldError.class::cast)
			.findFirst()
			.orElseThrow();
	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration(PeerAutoConfiguration.class)
	static class App {

	}

}
