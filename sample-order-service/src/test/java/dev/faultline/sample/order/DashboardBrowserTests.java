package dev.faultline.sample.order;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The dashboard in a real browser: the system's headless Chromium, driven through its own
 * driver (no browser is downloaded), shows the sample order service with its real
 * configuration while customers place orders, its payment peer hangs and is released.
 * Screenshots of each moment are kept in {@code target/dashboard}.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class DashboardBrowserTests {

	private static final Path CHROMIUM = Paths.get("/usr/bin/chromium");

	private static final Path CHROMEDRIVER = Paths.get("/usr/bin/chromedriver");

	private static final Path SCREENSHOTS = Paths.get("target", "dashboard");

	private static final PaymentStub payment = PaymentStub.start();

	@TempDir
	static Path data;

	@LocalServerPort
	private int port;

	private ChromeDriver browser;

	private ScheduledExecutorService customers;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		registry.add("faultline.peers.payment-service.instances[0]", payment::url);
		registry.add("orders.data-dir", () -> data.toString());
	}

	@AfterAll
	static void stopPayment() {
		payment.close();
	}

	@BeforeEach
	void openTheDashboard() {
		// .ci/run installs Debian's chromium and chromium-driver and asks for this test;
		// elsewhere it runs where they are installed, and says why it did not otherwise.
		boolean required = Boolean.getBoolean("faultline.browser.required");
		boolean installed = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
		if (required) {
			assertThat(installed).as("%s and %s (Debian's chromium and chromium-driver)", CHROMIUM, CHROMEDRIVER)
				.isTrue();
		}
		Assumptions.assumeTrue(installed, "no " + CHROMIUM + " and " + CHROMEDRIVER
				+ ": install Debian's chromium and chromium-driver to run the browser test");
		ChromeOptions options = new ChromeOptions();
		options.setBinary(CHROMIUM.toFile());
		options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1440,1600");
		ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
			.build();
		this.browser = new ChromeDriver(service, options);
		// Customers keep ordering, as in the demo, so the charts have calls to show.
		this.customers = Executors.newSingleThreadScheduledExecutor();
		SampleOverHttp sample = new SampleOverHttp(this.port);
		this.customers.scheduleWithFixedDelay(() -> sample.placeOrder("dashboard-customer"), 0, 200,
				TimeUnit.MILLISECONDS);
		this.browser.get("http://127.0.0.1:" + this.port + "/actuator/faultlinedashboard");
	}

	@AfterEach
	void closeTheBrowser() {
		if (this.customers != null) {
			this.customers.shutdownNow();
		}
		if (this.browser != null) {
			this.browser.quit();
		}
		payment.release();
	}

	@Test
	void pageShowsPaymentSuspectedAndItsCircuitOpenWhileItHangsAndBothBackOnceReleased() {
		await("the page, all well").atMost(Duration.ofSeconds(30))
			// The page redraws every second: an element read mid-redraw is read again.
			.ignoreException(StaleElementReferenceException.class).untilAsserted(() -> {
			assertThat(trouble().getText()).isEqualTo("All peers available, all circuits closed");
			assertThat(peerStatus()).isEqualTo("AVAILABLE");
			assertThat(paymentCircuit()).isEqualTo("CLOSED");
		});
		screenshot("healthy");

		payment.hang();

		await("payment suspected and its circuit open on the page").atMost(Duration.ofSeconds(30))
			// The page redraws every second: an element read mid-redraw is read again.
			.ignoreException(StaleElementReferenceException.class)
			.untilAsserted(() -> {
				assertThat(peerStatus()).isEqualTo("SUSPECTED");
				WebElement peer = peerCard();
				assertThat(Double.parseDouble(peer.getDomAttribute("data-phi")))
					.isGreaterThanOrEqualTo(Double.parseDouble(peer.getDomAttribute("data-threshold")));
				assertThat(paymentCircuit()).isEqualTo("OPEN");
				// The trouble is the first thing on the page, naming both.
				assertThat(trouble().getText()).contains("payment-service/primary is suspected")
					.contains("circuit of payment is OPEN");
				assertThat(eventKinds()).contains("suspected", "opened");
			});
		screenshot("payment-hung");

		payment.release();

		await("payment available and its circuit closed on the page").atMost(Duration.ofSeconds(30))
			// The page redraws every second: an element read mid-redraw is read again.
			.ignoreException(StaleElementReferenceException.class)
			.untilAsserted(() -> {
				assertThat(peerStatus()).isEqualTo("AVAILABLE");
				assertThat(paymentCircuit()).isEqualTo("CLOSED");
				assertThat(trouble().getText()).isEqualTo("All peers available, all circuits closed");
				assertThat(eventKinds()).contains("available", "half-open", "closed");
			});
		screenshot("payment-released");
	}

	private WebElement trouble() {
		return this.browser.findElement(By.cssSelector("[data-testid=trouble]"));
	}

	private WebElement peerCard() {
		return this.browser.findElement(By.cssSelector("[data-peer='payment-service'][data-instance=primary]"));
	}

	private String peerStatus() {
		return peerCard().findElement(By.cssSelector("[data-testid=status]")).getText();
	}

	private String paymentCircuit() {
		return this.browser.findElement(By.cssSelector("[data-function=payment]")).getDomAttribute("data-circuit");
	}

	private List<String> eventKinds() {
		return this.browser.findElements(By.cssSelector("[data-testid=event]"))
			.stream()
			.map((row) -> row.getDomAttribute("data-kind"))
			.toList();
	}

	private void screenshot(String name) {
		try {
			Files.createDirectories(SCREENSHOTS);
			Files.write(SCREENSHOTS.resolve(name + ".png"), this.browser.getScreenshotAs(OutputType.BYTES));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
