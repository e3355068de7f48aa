package dev.faultline.autoconfigure;

import java.time.Duration;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

/**
 * A key under {@code faultline.*} that Faultline does not know stops startup, naming the
 * key, its value and the nearest key Faultline knows.
 */
@ExtendWith(OutputCaptureExtension.class)
class UnknownFaultlinePropertyTests {

	private static final String PAYMENT = "faultline.peers.payment";

	private static final String INSTANCE = PAYMENT + ".instances[0]=http://127.0.0.1:8081";

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(PeerAutoConfiguration.class));

	@Test
	void misspelledPeerKeyFailsStartupNamingTheNearestKey(CapturedOutput output) {
		startFails(INSTANCE, PAYMENT + ".hearbeat.interval=2s");

		assertThat(output).contains("Property: faultline.peers.payment.hearbeat.interval")
			.contains("Value: \"2s\"")
			.contains("Reason: not a Faultline property; did you mean faultline.peers.payment.heartbeat.interval?");
	}

	@Test
	void misspelledKeyInYamlIsReportedWithWhereItIs(CapturedOutput output) {
		startFails("spring.config.name=misspelled-key");

		assertThat(output).contains("""
				    Property: faultline.peers.payment.hearbeat.interval
				    Value: "2s"
				    Origin: class path resource [misspelled-key.yml] - 6:19
				    Reason: not a Faultline property; did you mean faultline.peers.payment.heartbeat.interval?
				""");
	}

	@Test
	void misspelledTopLevelKeyFailsStartupNamingTheNearestKey(CapturedOutput output) {
		startFails("faultline.monitr.max-local-pause=1s");

		assertThat(output).contains("Property: faultline.monitr.max-local-pause")
			.contains("Value: \"1s\"")
			.contains("Reason: not a Faultline property; did you mean faultline.monitor.max-local-pause?");
	}

	@Test
	void misspelledMapNameFailsStartupNamingTheEntryWithItsKey(CapturedOutput output) {
		startFails("faultline.fuctions.shipping=");

		assertThat(output).contains("Property: faultline.fuctions.shipping")
			.contains("Reason: not a Faultline property; did you mean faultline.functions.shipping?");
	}

	@Test
	void misspelledMapNameInYamlFailsStartupNamingTheEntryWithItsKey(CapturedOutput output) {
		startFails("spring.config.name=misspelled-map");

		assertThat(output).contains("Property: faultline.fuctions.shipping")
			.contains("Origin: class path resource [misspelled-map.yml]")
			.contains("Reason: not a Faultline property; did you mean faultline.functions.shipping?");
	}

	@Test
	void misspelledMapNameFollowedByMoreSegmentsCarriesTheKeyAndTheRestOver(CapturedOutput output) {
		startFails(INSTANCE, "faultline.fuctions.shipping.peer=payment", "faultline.peer.ledger=");

		assertThat(output).contains("did you mean faultline.functions.shipping.peer?")
			.contains("did you mean faultline.peers.ledger?");
	}

	@Test
	void misspellingsSpreadOverSegmentsNameTheKeyEachSegmentIsNear(CapturedOutput output) {
		startFails("faultline.peer.db.hartbet.intrvl=2s");

		assertThat(output).contains("did you mean faultline.peers.db.heartbeat.interval?");
	}

	@Test
	void mapNameWithNoNearNeighbourIsReportedWithoutAGuess(CapturedOutput output) {
		startFails("faultline.colours.shipping=blue");

		assertThat(output).contains("Property: faultline.colours.shipping")
			.contains("Reason: not a Faultline property\n")
			.doesNotContain("did you mean");
	}

	@Test
	void keyWithALevelLeftOutNamesTheKeyWithTheSameLastPart(CapturedOutput output) {
		startFails(INSTANCE, PAYMENT + ".interval=2s");

		assertThat(output).contains("did you mean faultline.peers.payment.heartbeat.interval?");
	}

	@Test
	void misspelledListKeyKeepsItsIndexInTheNearestKey(CapturedOutput output) {
		startFails(INSTANCE, PAYMENT + ".instance[1]=http://127.0.0.1:8082");

		assertThat(output).contains("Property: faultline.peers.payment.instance[1]")
			.contains("did you mean faultline.peers.payment.instances[1]?");
	}

	@Test
	void keyWithNoNearNeighbourIsReportedWithoutAGuess(CapturedOutput output) {
		startFails(INSTANCE, PAYMENT + ".colour=blue");

		assertThat(output).contains("Property: faultline.peers.payment.colour")
			.contains("Value: \"blue\"")
			.contains("Reason: not a Faultline property\n")
			.doesNotContain("did you mean");
	}

	@Test
	void unknownKeyFailsStartupWithTheUnboundProperty() {
		this.contextRunner.withPropertyValues(INSTANCE, PAYMENT + ".hearbeat.interval=2s")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("faultline.peers.payment.hearbeat.interval"));
	}

	@Test
	void relaxedFormsListsAndEmptyFunctionsStillBind() {
		this.contextRunner
			.withPropertyValues(PAYMENT + ".instances=http://127.0.0.1:8081,http://127.0.0.1:8082",
					PAYMENT + ".heartbeat.gatewayStatuses=502", PAYMENT + ".HEARTBEAT.timeout=300ms",
					"faultline.peers.ledger.instances[0]=http://127.0.0.1:8083", "faultline.functions.delivery=",
					"faultline.functions.charge.peer=payment")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				FaultlineProperties properties = context.getBean(FaultlineProperties.class);
				assertThat(properties.getPeers().get("payment").getInstances()).hasSize(2);
				assertThat(properties.getPeers().get("payment").getHeartbeat().getGatewayStatuses())
					.isEqualTo(Set.of(502));
				assertThat(properties.getPeers().get("payment").getHeartbeat().getTimeout())
					.isEqualTo(Duration.ofMillis(300));
				assertThat(properties.getFunctions()).containsKeys("delivery", "charge");
			});
	}

	@Test
	void environmentVariablesStillBind() {
		this.contextRunner.withInitializer((context) -> context.getEnvironment()
			.getPropertySources()
			.addFirst(new SystemEnvironmentPropertySource(
					StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
					Map.of("FAULTLINE_PEERS_PAYMENT_INSTANCES_0_", "http://127.0.0.1:8081",
							"FAULTLINE_PEERS_PAYMENT_HEARTBEAT_INTERVAL", "2s"))))
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context.getBean(FaultlineProperties.class)
					.getPeers()
					.get("payment")
					.getHeartbeat()
					.getInterval()).isEqualTo(Duration.ofSeconds(2));
			});
	}

	private static void startFails(String... properties) {
		assertThatException().isThrownBy(
				() -> new SpringApplicationBuilder(App.class).web(WebApplicationType.NONE).properties(properties).run());
	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration(PeerAutoConfiguration.class)
	static class App {

	}

}
