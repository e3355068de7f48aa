package dev.faultline.actuate.dashboard;

import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.web.annotation.WebEndpoint;

/**
 * The {@code faultlinedashboard} Actuator endpoint: a page that shows, live, every peer
 * instance's φ against its threshold and every function's circuit, threads and calls over
 * the last minutes, with the latest events; and the frames it draws, at
 * {@code faultlinedashboard/frames?since=<time>}. Served on the management server, exposed
 * and secured like any other endpoint.
 */
@WebEndpoint(id = "faultlinedashboard")
public class DashboardEndpoint {

	static final String FRAMES = "frames";

	private final DashboardPage page;

	private final Timeline timeline;

	/**
	 * Creates the endpoint.
	 * @param page the page
	 * @param timeline what it draws
	 */
	public DashboardEndpoint(DashboardPage page, Timeline timeline) {
		this.page = page;
		this.timeline = timeline;
	}

	/**
	 * Returns the page.
	 * @return its HTML, with its scripts and styles in it
	 */
	@ReadOperation(produces = "text/html;charset=UTF-8")
	public String page() {
		return this.page.html();
	}

	/**
	 * Returns the frames and events after a time.
	 * @param part {@code frames}; anything else is not found
	 * @param since the {@code now} of the last answer, or {@code 0} for the whole window
	 * @return the slice, or {@code null} (404) for another part
	 */
	@ReadOperation(produces = "application/json")
	public Timeline.Slice frames(@Selector String part, long since) {
		return FRAMES.equals(part) ? this.timeline.since(since) : null;
	}

}
