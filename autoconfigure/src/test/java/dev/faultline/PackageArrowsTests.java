package dev.faultline;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/**
 * Arrows point one way: autoconfigure → actuate → function → peer → detector, and
 * autoconfigure → web → function; the peers' HTTP transport (peer.http) is used by the
 * wiring only.
 */
class PackageArrowsTests {

	private final JavaClasses classes = new ClassFileImporter()
		.withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
		// faultline-core's tests come as a test jar, for the test servers they share.
		.withImportOption((location) -> !location.contains("-tests.jar"))
		.importPackages("dev.faultline");

	@Test
	void detectorDependsOnTheJdkOnly() {
		classes().that()
			.resideInAPackage("dev.faultline.detector..")
			.should()
			.onlyDependOnClassesThat()
			.resideInAnyPackage("dev.faultline.detector..", "java..")
			.check(this.classes);
	}

	@Test
	void peerDependsOnNothingAboveIt() {
		noClasses().that()
			.resideInAPackage("dev.faultline.peer..")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage("dev.faultline.function..", "dev.faultline.actuate..", "dev.faultline.web..",
					"dev.faultline.autoconfigure..", "org.springframework.boot..")
			.check(this.classes);
	}

	@Test
	void peerTransportIsApartFromThePeerModel() {
		// HTTP probes, clients and observations use the model; the model, and everything
		// but the wiring, knows nothing of them.
		noClasses().that()
			.resideInAnyPackage("dev.faultline.peer", "dev.faultline.function..", "dev.faultline.web..",
					"dev.faultline.actuate..", "dev.faultline.detector..")
			.should()
			.dependOnClassesThat()
			.resideInAPackage("dev.faultline.peer.http..")
			.check(this.classes);
	}

	@Test
	void functionDependsOnNothingAboveIt() {
		noClasses().that()
			.resideInAPackage("dev.faultline.function..")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage("dev.faultline.actuate..", "dev.faultline.web..", "dev.faultline.autoconfigure..",
					"org.springframework.boot..")
			.check(this.classes);
	}

	@Test
	void actuateDependsOnNothingAboveIt() {
		noClasses().that()
			.resideInAPackage("dev.faultline.actuate..")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage("dev.faultline.web..", "dev.faultline.autoconfigure..")
			.check(this.classes);
	}

	@Test
	void webDependsOnNothingAboveIt() {
		noClasses().that()
			.resideInAPackage("dev.faultline.web..")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage("dev.faultline.actuate..", "dev.faultline.autoconfigure..", "org.springframework.boot..")
			.check(this.classes);
	}

}
