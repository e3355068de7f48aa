package dev.faultline.actuate.dashboard;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The dashboard's page: one HTML document with the charting library (uPlot, bundled in
 * Faultline's jar from its WebJar) and the page's own script and styles inside it, so it
 * needs nothing from outside (no CDN, works offline) and the application serves no file
 * of it anywhere else.
 */
public final class DashboardPage {

	private static final String BASE = "/dev/faultline/actuate/dashboard/";

	private final String html;

	/**
	 * Reads the page and its parts from the classpath.
	 * @param title what the page is titled with, such as the application's name
	 */
	public DashboardPage(String title) {
		this.html = read("dashboard.html").replace("{{title}}", escape(title))
			.replace("/*{{uplot.css}}*/", read("uplot/uPlot.min.css"))
			.replace("/*{{uplot.js}}*/", read("uplot/uPlot.iife.min.js"))
			.replace("/*{{dashboard.js}}*/", read("dashboard.js"));
	}

	/**
	 * Returns the page.
	 * @return its HTML
	 */
	public String html() {
		return this.html;
	}

	private static String read(String name) {
		try (InputStream in = DashboardPage.class.getResourceAsStream(BASE + name)) {
			if (in == null) {
				throw new IllegalStateException("Faultline's jar lacks " + BASE + name + ": it is built with it");
			}
			return new String(in.readAllBytes(), StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static String escape(String text) {
		return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
	}

}
