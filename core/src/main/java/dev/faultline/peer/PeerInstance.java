package dev.faultline.peer;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

import dev.faultline.detector.DetectorSnapshot;
import dev.faultline.detector.FailureDetector;
import dev.faultline.detector.MonotonicClock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One address of a {@link Peer}, watched by its own failure detector.
 *
 * <p>
 * Every heartbeat, a probe's answer or a response to traffic, passes one sampling rule:
 * it restarts the silence every time, but feeds the detector's statistics only if no
 * heartbeat did so within the last interval. Traffic comes in bursts (hundreds of
 * responses milliseconds apart, then seconds of silence), and a probe's answer may come
 * right after a response; if each were an interval sample the learned mean would shrink
 * to milliseconds and the first ordinary gap would read as a crash. A probe's answer is
 * allowed its own timing slack (its timeout, at most half an interval): probes leave an
 * interval apart, and one answered a little faster than the one before must still count.
 *
 * <p>
 * Which answers are heartbeats is the {@link HeartbeatSettings}' rule; the first probe
 * answer of an instance that proves it alive without being a health answer (a 404 on a
 * peer that serves no health endpoint) is logged once, with the key to set.
 */
public final class PeerInstance {

	private static final Logger logger = LoggerFactory.getLogger(PeerInstance.class);

	private final String peerName;

	private final String name;

	private final URI uri;

	private final HeartbeatSettings heartbeat;

	private final FailureDetector detector;

	private final MonotonicClock clock;

	private final LocalPauseWatch pauseWatch;

	private final long intervalNanos;

	private final long graceNanos;

	// How much sooner than an interval after the last sample a probe answer may come and
	// still be sampled: probes leave an interval apart, their answers vary by latency.
	private final long probeSlackNanos;

	private final AtomicLong lastSampleAt;

	private final LongAdder activeHeartbeats = new LongAdder();

	private final LongAdder passiveHeartbeats = new LongAdder();

	private final LongAdder failedProbes = new LongAdder();

	private final AtomicBoolean probeInFlight = new AtomicBoolean();

	private final AtomicInteger requestsInFlight = new AtomicInteger();

	private final LongAdder requestsSent = new LongAdder();

	private final AtomicBoolean warnedNoHealthAnswer = new AtomicBoolean();

	private volatile ProbeResult lastProbe;

	// When the latest answer that was no heartbeat came (a 5xx to a probe, a gateway status
	// to traffic).
	private volatile long lastUnwellAt;

	private volatile boolean heardPassively;

	private volatile long lastPassiveAt;

	// Touched by the monitor's single thread only.
	private long nextProbeAt;

	/**
	 * Creates an instance; watching starts now.
	 * @param peerName the name of the peer this instance belongs to
	 * @param name the instance's name within its peer, such as {@code primary}
	 * @param uri the instance's base URL
	 * @param heartbeat the peer's heartbeat settings
	 * @param detector the detector for this instance alone
	 * @param clock the clock the detector reads too
	 * @param pauseWatch the watch for pauses of this service itself
	 */
	public PeerInstance(String peerName, String name, URI uri, HeartbeatSettings heartbeat, FailureDetector detector,
			MonotonicClock clock, LocalPauseWatch pauseWatch) {
		this.peerName = Objects.requireNonNull(peerName, "peerName");
		this.name = Objects.requireNonNull(name, "name");
		this.uri = Objects.requireNonNull(uri, "uri");
		this.heartbeat = Objects.requireNonNull(heartbeat, "heartbeat");
		this.detector = Objects.requireNonNull(detector, "detector");
		this.clock = Objects.requireNonNull(clock, "clock");
		this.pauseWatch = Objects.requireNonNull(pauseWatch, "pauseWatch");
		this.intervalNanos = heartbeat.interval().toNanos();
		this.graceNanos = this.intervalNanos + heartbeat.timeout().toNanos();
		this.probeSlackNanos = Math.min(heartbeat.timeout().toNanos(), this.intervalNanos / 2);
		long now = clock.nanoTime();
		this.lastSampleAt = new AtomicLong(now);
		this.lastUnwellAt = now;
		this.nextProbeAt = now;
	}

	/**
	 * Records a heartbeat from this instance: the silence restarts now, and the interval
	 * since the last sampled heartbeat is learned unless one was sampled within the last
	 * interval.
	 * @param kind how it reached us
	 */
	public void heartbeat(HeartbeatKind kind) {
		heartbeat(kind, true);
	}

	private void heartbeat(HeartbeatKind kind, boolean learnable) {
		long now = this.clock.nanoTime();
		long slack;
		if (kind == HeartbeatKind.ACTIVE) {
			this.activeHeartbeats.increment();
			slack = this.probeSlackNanos;
		}
		else {
			this.passiveHeartbeats.increment();
			this.lastPassiveAt = now;
			this.heardPassively = true;
			slack = 0;
		}
		long lastSample = this.lastSampleAt.get();
		long gap = now - lastSample;
		// A gap in which the peer answered, but not with heartbeats, is the peer saying it
		// was unwell, not the network's timing: learned, it would read as lost heartbeats
		// (which the detector counts from one and a half intervals) and slow every detection
		// after an episode of errors for hours. A gap of about an interval with such an
		// answer in it is learned as usual, or a busy peer shedding a little load would
		// teach nothing.
		boolean unwellGap = this.lastUnwellAt - lastSample > 0 && gap > this.intervalNanos + this.intervalNanos / 4;
		// A gap that holds a stall of this service is our silence, not the peer's timing.
		boolean pausedGap = this.pauseWatch.pausedBetween(lastSample, now);
		if (!learnable || unwellGap || pausedGap) {
			if (this.lastSampleAt.compareAndSet(lastSample, now)) {
				this.detector.restart();
			}
			else {
				this.detector.refresh();
			}
			return;
		}
		if (gap >= this.intervalNanos - slack && this.lastSampleAt.compareAndSet(lastSample, now)) {
			this.detector.heartbeat();
		}
		else {
			this.detector.refresh();
		}
	}

	/**
	 * Records a response that this service's own traffic got from this instance; it is a
	 * passive heartbeat unless its status is one a gateway answers for a peer it cannot
	 * reach.
	 * @param status the response's HTTP status
	 */
	public void responded(int status) {
		if (this.heartbeat.isHeartbeat(status)) {
			heartbeat(HeartbeatKind.PASSIVE);
		}
		else {
			this.lastUnwellAt = this.clock.nanoTime();
		}
	}

	/**
	 * Counts a request of this service's traffic as sent to this instance, until
	 * {@link #requestEnded()}: balanced routing sends the next one to the instance with
	 * fewer in flight, so a slow or hung instance, holding its requests, gets fewer.
	 */
	public void requestStarted() {
		this.requestsSent.increment();
		this.requestsInFlight.incrementAndGet();
	}

	/**
	 * Counts a request sent to this instance as answered or failed.
	 */
	public void requestEnded() {
		this.requestsInFlight.decrementAndGet();
	}

	/**
	 * Returns how many requests of this service's traffic were sent to this instance.
	 * @return the requests sent so far
	 */
	public long requestsSent() {
		return this.requestsSent.sum();
	}

	/**
	 * Returns how many requests of this service's traffic wait for this instance's answer.
	 * @return the requests in flight
	 */
	public int requestsInFlight() {
		return this.requestsInFlight.get();
	}

	/**
	 * Records what a probe of this instance got: a heartbeat if the settings say so, a
	 * failed probe otherwise.
	 * @param result the probe's result
	 */
	public void probed(ProbeResult result) {
		this.lastProbe = result;
		if (!this.heartbeat.isHeartbeat(result)) {
			logger.debug("Probe of {} got {}: not a heartbeat", displayProbeUri(), result);
			this.failedProbes.increment();
			if (result.isAnswered()) {
				this.lastUnwellAt = this.clock.nanoTime();
			}
			return;
		}
		logger.debug("Probe of {} got {}: a heartbeat", displayProbeUri(), result);
		// In passive mode only a suspected instance is probed: the silence before the answer
		// is how long nobody called the peer, not its timing, and is not learned.
		heartbeat(HeartbeatKind.ACTIVE, this.heartbeat.mode() != HeartbeatMode.PASSIVE);
		if (!this.heartbeat.isHealthAnswer(result) && this.warnedNoHealthAnswer.compareAndSet(false, true)) {
			logger.warn("Peer '{}' instance {} answered {} to its heartbeat probe {}: counted as a heartbeat, since the "
					+ "process answers, but it is no health answer. To judge it by its health, set "
					+ "faultline.peers.{}.heartbeat.path to a path it answers with 2xx while alive (its liveness "
					+ "endpoint, or any cheap GET it serves; a Spring Boot peer answers /actuator/health/liveness "
					+ "once it sets management.endpoint.health.probes.enabled=true)", this.peerName, this.name,
					result, displayProbeUri(), this.peerName);
		}
	}

	/**
	 * Returns what the latest probe of this instance got, if one was answered or failed.
	 * @return the latest probe's result, or {@code null} before the first
	 */
	public ProbeResult lastProbe() {
		return this.lastProbe;
	}

	/**
	 * Starts the watch now: the silence so far (while this service was still starting and
	 * nobody probed) neither counts against the instance nor is learned as an interval.
	 */
	void startWatching() {
		long now = this.clock.nanoTime();
		this.lastSampleAt.set(now);
		this.nextProbeAt = now;
		// a probe whose answer a stopped monitor dropped must not block the next ones
		this.probeInFlight.set(false);
		this.detector.restart();
	}

	/**
	 * Returns whether this instance is considered alive now. A suspected instance still
	 * counts as available while convictions are held after a pause of this service itself.
	 * @return {@code true} unless the instance is suspected
	 */
	public boolean isAvailable() {
		return this.detector.isAvailable() || this.pauseWatch.holds(this.clock.nanoTime(), this.graceNanos);
	}

	/**
	 * Decides, on the monitor's thread, whether a probe should be sent now, and if so
	 * marks one in flight; the caller must then call {@link #probeFinished()}.
	 * @param now the monotonic time now, in nanoseconds
	 * @return {@code true} if the caller should probe this instance now
	 */
	boolean startProbeIfDue(long now) {
		if (now - this.nextProbeAt < 0) {
			return false;
		}
		// A suspected instance is probed whatever the mode: traffic may never reach it again
		// (its circuit is held open, requests go to a standby), so only a probe can prove it
		// is back.
		if (this.heartbeat.mode() == HeartbeatMode.PASSIVE && this.detector.isAvailable()) {
			return false;
		}
		if (this.heartbeat.mode() == HeartbeatMode.HYBRID && this.heardPassively
				&& now - this.lastPassiveAt < this.intervalNanos) {
			// Traffic is answering: the next probe is due one interval after the last response.
			this.nextProbeAt = this.lastPassiveAt + this.intervalNanos;
			return false;
		}
		this.nextProbeAt = now + this.intervalNanos;
		return this.probeInFlight.compareAndSet(false, true);
	}

	void probeFinished() {
		this.probeInFlight.set(false);
	}

	/**
	 * Returns the URL probed for heartbeats: the base URL with the heartbeat path.
	 * @return the probe URL
	 */
	public URI probeUri() {
		return resolve(this.heartbeat.path(), null);
	}

	/**
	 * Returns where a request for {@code request} goes on this instance: its path and
	 * query under this instance's base URL; the request's own scheme and host are
	 * ignored.
	 * @param request the request URL, absolute or not
	 * @return the URL on this instance
	 */
	public URI resolve(URI request) {
		String path = (request.getRawPath() != null) ? request.getRawPath() : "";
		return resolve(path.startsWith("/") || path.isEmpty() ? path : "/" + path, request.getRawQuery());
	}

	private URI resolve(String rawPath, String rawQuery) {
		String base = (this.uri.getRawPath() != null) ? this.uri.getRawPath() : "";
		if (base.endsWith("/")) {
			base = base.substring(0, base.length() - 1);
		}
		// The base URL's own query and fragment are no part of a request to it.
		return URI.create(this.uri.getScheme() + "://" + this.uri.getRawAuthority() + base + rawPath
				+ ((rawQuery != null) ? "?" + rawQuery : ""));
	}

	private String displayProbeUri() {
		String base = displayUri();
		return (base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + this.heartbeat.path();
	}

	/**
	 * Returns the base URL without user-info, query or fragment, safe to show in health
	 * output and logs.
	 * @return the URL to display
	 */
	public String displayUri() {
		try {
			return new URI(this.uri.getScheme(), null, this.uri.getHost(), this.uri.getPort(), this.uri.getPath(), null,
					null)
				.toString();
		}
		catch (URISyntaxException ex) {
			return this.uri.getScheme() + "://" + this.uri.getHost();
		}
	}

	public String getPeerName() {
		return this.peerName;
	}

	public String getName() {
		return this.name;
	}

	public URI getUri() {
		return this.uri;
	}

	public HeartbeatSettings getHeartbeat() {
		return this.heartbeat;
	}

	public FailureDetector getDetector() {
		return this.detector;
	}

	/**
	 * Returns the detector's state now.
	 * @return the snapshot
	 */
	public DetectorSnapshot snapshot() {
		return this.detector.snapshot();
	}

	/**
	 * Returns how many heartbeats of a kind arrived so far.
	 * @param kind the kind
	 * @return the count
	 */
	public long heartbeats(HeartbeatKind kind) {
		return (kind == HeartbeatKind.ACTIVE) ? this.activeHeartbeats.sum() : this.passiveHeartbeats.sum();
	}

	/**
	 * Returns how many probes failed so far.
	 * @return the count
	 */
	public long failedProbes() {
		return this.failedProbes.sum();
	}

	@Override
	public String toString() {
		return this.peerName + "/" + this.name + " (" + displayUri() + ")";
	}

}
