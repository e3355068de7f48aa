package com.example.storefront;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

/**
 * The storefront started the way a new user starts it, with the mistakes a new user
 * makes in its configuration: what the log tells them.
 */
@ExtendWith(OutputCaptureExtension.class)
class StorefrontConfigurationMistakesTests {

	@Test
	void misspelledPeerKeyStopsStartupNamingTheKeyMeant(CapturedOutput output) {
		assertThatException().isThrownBy(() -> SpringApplication.run(StorefrontApplication.class,
				"--server.port=0", "--faultline.peers.catalog.hearbeat.interval=2s"));

		assertThat(output).contains("APPLICATION FAILED TO START")
			.contains("Property: faultline.peers.catalog.hearbeat.interval")
			.contains("Value: \"2s\"")
			.contains("Reason: not a Faultline property; did you mean faultline.peers.catalog.heartbeat.interval?");
	}

	@Test
	void misspelledFunctionKeyStopsStartupNamingTheKeyMeant(CapturedOutput output) {
		assertThatException().isThrownBy(() -> SpringApplication.run(StorefrontApplication.class,
				"--server.port=0", "--faultline.functions.product.peers=catalog"));

		assertThat(output).contains("Property: faultline.functions.product.peers")
			.contains("did you mean faultline.functions.product.peer?");
	}

}
