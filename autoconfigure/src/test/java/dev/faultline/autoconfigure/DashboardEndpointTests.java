package dev.faultline.autoconfigure;

import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;

import dev.faultline.actuate.dashboard.DashboardEndpoint;
import dev.faultline.actuate.dashboard.Timeline;
import dev.faultline.function.BusinessFunctions;
import dev.faultline.peer.PeerRegistry;

import org.junit.jupiter.api.Test;

import org.springframework.boot.actuate.autoconfigure.endpoint.EndpointAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The dashboard endpoint: there only when exposed, one page with everything it needs
 * inside, its frames on a path of its own, and a bean of the user's own wins.
 */
class DashboardEndpointTests {

	private static final Pattern OUTSIDE_REFERENCE = Pattern.compile("(?i)<(script|link|img)[^>]*(src|href)\\s*=");

	private final WebApplicationContextRunner contextRunner = new WebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(EndpointAutoConfiguration.class, BootAutoConfigurations.BULKHEADS,
				BootAutoConfigurations.CIRCUIT_BREAKERS, BootAutoConfigurations.TIME_LIMITERS, PeerAutoConfiguration.class,
				BusinessFunctionAutoConfiguration.class, FaultlineDashboardAutoConfiguration.class))
		.withPropertyValues("spring.application.name=shop <front>",
				"faultline.peers.payment-service.instances[0]=http://127.0.0.1:9",
				"faultline.functions.payment.peer=payment-service");

	@Test
	void dashboardNotExposedIsNotCreatedAndSamplesNothing() {
		this.contextRunner.withPropertyValues("management.endpoints.web.exposure.include=health,faultline")
			.run((context) -> assertThat(context).doesNotHaveBean(DashboardEndpoint.class)
				.doesNotHaveBean(Timeline.class));
	}

	@Test
	void exposedDashboardServesOnePageWithItsChartingLibraryInsideAndNothingFetchedFromOutside() {
		this.contextRunner.withPropertyValues("management.endpoints.web.exposure.include=faultlinedashboard")
			.run((context) -> {
				String html = context.getBean(DashboardEndpoint.class).page();

				assertThat(html).startsWith("<!DOCTYPE html>")
					.contains("Faultline · shop &lt;front&gt;")
					.contains("var uPlot")
					.contains("/frames?since=")
					.doesNotContain("{{")
					.doesNotContainPattern(OUTSIDE_REFERENCE);
				assertThat(context.getBean(Timeline.class).isRunning()).isTrue();
			});
	}

	@Test
	void framesAreServedOnTheirOwnPathAndAnyOtherPathIsNotFound() {
		this.contextRunner.withPropertyValues("management.endpoints.web.exposure.include=faultlinedashboard")
			.run((context) -> {
				DashboardEndpoint endpoint = context.getBean(DashboardEndpoint.class);
				context.getBean(Timeline.class).sample();

				assertThat(endpoint.frames("frames", 0).frames()).isNotEmpty();
				assertThat(endpoint.frames("page", 0)).isNull();
			});
	}

	@Test
	void timelineOfTheUsersOwnWins() {
		this.contextRunner.withPropertyValues("management.endpoints.web.exposure.include=faultlinedashboard")
			.withBean("myTimeline", Timeline.class,
					() -> new Timeline(new BusinessFunctions(List.of()), new PeerRegistry(List.of()),
							Duration.ofSeconds(2), Duration.ofMinutes(1)))
			.run((context) -> assertThat(context).getBean(Timeline.class).isSameAs(context.getBean("myTimeline")));
	}

	@Test
	void dashboardIntervalThatIsNotPositiveStopsStartupNamingTheProperty() {
		this.contextRunner
			.withPropertyValues("management.endpoints.web.exposure.include=faultlinedashboard",
					"faultline.dashboard.interval=0s")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("faultline.dashboard.interval"));
	}

}
