package dev.faultline.autoconfigure;

import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootVersion;
import org.springframework.core.env.StandardEnvironment;

import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.assertThatNoException;

class BootLineCheckTests {

	private final BootLineCheck check = new BootLineCheck();

	@Test
	void thisLinesBootPasses() {
		assertThatNoException().isThrownBy(
				() -> this.check.postProcessEnvironment(new StandardEnvironment(), new SpringApplication()));
		assertThatNoException().isThrownBy(() -> this.check.check(SpringBootVersion.getVersion()));
	}

	@Test
	void otherLinesBootStopsStartupNamingTheArtifactToUse() {
		assertThatIllegalStateException().isThrownBy(() -> this.check.check("4.0.7"))
			.withMessage("dev.faultline:faultline-spring-boot-starter is built for Spring Boot 3, but this application "
					+ "runs Spring Boot 4.0.7: depend on dev.faultline:faultline-spring-boot4-starter instead (it brings "
					+ "the same Faultline, built for that line)");
	}

}
