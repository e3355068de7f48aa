package dev.faultline.autoconfigure;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

import dev.faultline.detector.AdaptiveSettings;
import dev.faultline.detector.DetectorType;
import dev.faultline.detector.FixedTimeoutDetector;
import dev.faultline.detector.PhiAccrualSettings;
import dev.faultline.function.Threads;
import dev.faultline.peer.HeartbeatMode;
import dev.faultline.peer.HeartbeatSettings;
import dev.faultline.peer.Routing;
import dev.faultline.peer.http.Resend;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.BindingResult;
import org.springframework.validation.Errors;
import org.springframework.validation.FieldError;
import org.springframework.validation.Validator;

/**
 * Configuration properties for Faultline.
 *
 * <p>
 * Validates itself when bound (Spring Boot applies a {@link Validator} that the
 * properties object implements), so bad configuration stops startup with a message
 * naming the property, the value and what is allowed. An unknown key under
 * {@code faultline.*} stops startup too (a misspelled key is a setting silently not
 * made); {@code UnknownFaultlinePropertyFailureAnalyzer} names the nearest known key.
 */
@ConfigurationProperties(prefix = "faultline", ignoreUnknownFields = false)
public class FaultlineProperties implements Validator {

	static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]*");

	/**
	 * Whether Faultline is enabled. When it is not, the application runs unprotected:
	 * business functions run their calls directly on the caller's thread, without
	 * fallback, and each peer's client calls its first instance, with no detection.
	 */
	private boolean enabled = true;

	/**
	 * Downstream peers to watch, by name (letters, digits, '-' and '_'): each with its
	 * instance URLs and its client, heartbeat and detector settings, listed as
	 * 'faultline.peers.*.instances', 'faultline.peers.*.heartbeat.interval' and so on.
	 */
	private Map<String, Peer> peers = new LinkedHashMap<>();

	/**
	 * Business functions, by name: each gets a thread-pool bulkhead (on virtual threads: a
	 * bulkhead), circuit breaker and time limiter of the same name, tuned under
	 * resilience4j's own keys ('resilience4j.thread-pool-bulkhead.instances.NAME',
	 * 'resilience4j.bulkhead.instances.NAME', 'resilience4j.circuitbreaker.instances.NAME',
	 * 'resilience4j.timelimiter.instances.NAME'), may name the peer it calls ('peer') and
	 * where its calls run ('threads').
	 */
	private Map<String, Function> functions = new LinkedHashMap<>();

	private final Monitor monitor = new Monitor();

	private final Health health = new Health();

	private final Web web = new Web();

	private final Dashboard dashboard = new Dashboard();

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public Map<String, Peer> getPeers() {
		return this.peers;
	}

	public void setPeers(Map<String, Peer> peers) {
		this.peers = peers;
	}

	public Map<String, Function> getFunctions() {
		return this.functions;
	}

	public void setFunctions(Map<String, Function> functions) {
		this.functions = functions;
	}

	public Monitor getMonitor() {
		return this.monitor;
	}

	public Health getHealth() {
		return this.health;
	}

	public Web getWeb() {
		return this.web;
	}

	public Dashboard getDashboard() {
		return this.dashboard;
	}

	@Override
	public boolean supports(Class<?> type) {
		return FaultlineProperties.class.isAssignableFrom(type);
	}

	@Override
	public void validate(Object target, Errors errors) {
		FaultlineProperties properties = (FaultlineProperties) target;
		properties.peers.forEach((name, peer) -> peer.validate("peers." + name, name, errors));
		properties.functions.forEach((name, function) -> {
			if (!NAME.matcher(name).matches()) {
				errors.reject("faultline.invalid", "Function name '" + name + "' under faultline.functions must be "
						+ "letters, digits, '-' and '_', starting with a letter or digit");
			}
			if (function.peer != null && !properties.peers.containsKey(function.peer)) {
				reject(errors, "functions." + name + ".peer", function.peer,
						"must name a peer declared under faultline.peers " + properties.peers.keySet());
			}
			if (function.threads == Threads.VIRTUAL && !Threads.virtualAvailable()) {
				reject(errors, "functions." + name + ".threads", "virtual",
						"needs Java 21 or later for virtual threads, and this is Java " + Runtime.version().feature()
								+ "; set 'platform' or leave it unset");
			}
			Double share = function.partition.share;
			if (share != null && !(share > 0 && share <= 1)) {
				reject(errors, "functions." + name + ".partition.share", share,
						"must be above 0 and at most 1, the fraction of the function's threads one key's calls may take, "
								+ "such as 0.5");
			}
			if (function.partition.header != null && share == null) {
				reject(errors, "functions." + name + ".partition.header", function.partition.header,
						"takes effect only with functions." + name + ".partition.share set; set it too");
			}
		});
		requirePositive(errors, "monitor.maxLocalPause", properties.monitor.maxLocalPause);
		requirePositive(errors, "monitor.discoveryRefreshInterval", properties.monitor.discoveryRefreshInterval);
		requirePositive(errors, "dashboard.interval", properties.dashboard.interval);
		requirePositive(errors, "dashboard.window", properties.dashboard.window);
	}

	static void requirePositive(Errors errors, String field, Duration value) {
		if (value == null || value.isNegative() || value.isZero()) {
			reject(errors, field, value, "must be a positive duration such as 500ms or 1s");
		}
	}

	static void reject(Errors errors, String field, Object value, String allowed) {
		String message = allowed + " (was " + value + ")";
		if (errors instanceof BindingResult result) {
			// With the value rejected, not the one the binder finds under the field's name:
			// it has none for instances[1] when the list came from 'instances=a,b'.
			result.addError(new FieldError(result.getObjectName(), field, value, false,
					result.resolveMessageCodes("faultline.invalid", field), null, message));
		}
		else {
			errors.rejectValue(field, "faultline.invalid", message);
		}
	}

	/**
	 * One downstream peer.
	 */
	public static class Peer {

		/**
		 * Base URLs of the peer's instances, the primary first, such as
		 * http://127.0.0.1:8081.
		 */
		private List<URI> instances = new ArrayList<>();

		/**
		 * Whether traffic returns to the primary instance once it is available again after
		 * a failover. By default it stays on the instance that works.
		 */
		private boolean failback;

		/**
		 * How requests of the peer's ready RestClient are spread over its instances:
		 * 'failover' (all to the primary, then to the first available standby) or
		 * 'balanced' (each to the less loaded of two available instances picked at random;
		 * a suspected instance gets none).
		 */
		private Routing routing = Routing.FAILOVER;

		private final Heartbeat heartbeat = new Heartbeat();

		private final Client client = new Client();

		private final Detector detector = new Detector();

		private final Discovery discovery = new Discovery();

		public List<URI> getInstances() {
			return this.instances;
		}

		public void setInstances(List<URI> instances) {
			this.instances = instances;
		}

		public boolean isFailback() {
			return this.failback;
		}

		public void setFailback(boolean failback) {
			this.failback = failback;
		}

		public Routing getRouting() {
			return this.routing;
		}

		public void setRouting(Routing routing) {
			this.routing = routing;
		}

		public Heartbeat getHeartbeat() {
			return this.heartbeat;
		}

		public Client getClient() {
			return this.client;
		}

		public Detector getDetector() {
			return this.detector;
		}

		public Discovery getDiscovery() {
			return this.discovery;
		}

		/**
		 * Returns whether the peer's instances come from discovery.
		 * @return whether a service id is named
		 */
		public boolean isDiscovered() {
			return this.discovery.serviceId != null;
		}

		void validate(String path, String name, Errors errors) {
			if (!NAME.matcher(name).matches()) {
				errors.reject("faultline.invalid", "Peer name '" + name + "' under faultline.peers must be letters, "
						+ "digits, '-' and '_', starting with a letter or digit");
			}
			if (this.discovery.serviceId != null) {
				if (this.discovery.serviceId.isBlank()) {
					reject(errors, path + ".discovery.serviceId", this.discovery.serviceId,
							"must name the service in discovery, or be left out to list the instances");
				}
				if (this.instances != null && !this.instances.isEmpty()) {
					reject(errors, path + ".instances", this.instances,
							"must be left out when discovery.service-id names the service in discovery: its "
									+ "instances come from there");
				}
				if (this.failback) {
					reject(errors, path + ".failback", true, "needs a primary instance, and a discovered peer has none; "
							+ "leave failback out");
				}
			}
			else if (this.instances == null || this.instances.isEmpty()) {
				reject(errors, path + ".instances", this.instances,
						"must list at least one instance URL such as http://127.0.0.1:8081, or name the service "
								+ "in discovery under discovery.service-id");
			}
			else {
				for (int i = 0; i < this.instances.size(); i++) {
					URI uri = this.instances.get(i);
					if (!isHttpUrl(uri)) {
						reject(errors, path + ".instances[" + i + "]", uri,
								"must be an absolute http or https URL with a host, such as http://127.0.0.1:8081");
					}
					else if (uri.getPort() != -1 && (uri.getPort() < 1 || uri.getPort() > 65535)) {
						// java.net.URI takes any port that fits an int; no connection can.
						reject(errors, path + ".instances[" + i + "]", uri,
								"must have a port between 1 and 65535 or leave it out, such as http://127.0.0.1:8081");
					}
				}
			}
			if (this.failback && this.routing == Routing.BALANCED) {
				reject(errors, path + ".failback", true,
						"applies to 'failover' routing only; with 'balanced' routing every available instance "
								+ "gets traffic, so leave failback out");
			}
			this.heartbeat.validate(path + ".heartbeat", errors);
			this.detector.validate(path + ".detector", errors);
			requirePositive(errors, path + ".client.connectTimeout", this.client.connectTimeout);
			requirePositive(errors, path + ".client.readTimeout", this.client.readTimeout);
			if (this.client.sslBundle != null && this.client.sslBundle.isBlank()) {
				reject(errors, path + ".client.sslBundle", this.client.sslBundle,
						"must name an SSL bundle declared under spring.ssl.bundle, or be left out");
			}
		}

		private static boolean isHttpUrl(URI uri) {
			if (uri == null || uri.getScheme() == null || uri.getHost() == null) {
				return false;
			}
			String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
			return scheme.equals("http") || scheme.equals("https");
		}

		/**
		 * Returns the heartbeat settings of this peer.
		 * @return the settings
		 */
		public HeartbeatSettings toHeartbeatSettings() {
			return new HeartbeatSettings(this.heartbeat.path, this.heartbeat.interval, this.heartbeat.timeout,
					this.heartbeat.mode, this.heartbeat.gatewayStatuses);
		}

	}

	/**
	 * Where a peer's instances come from when they are not listed.
	 */
	public static class Discovery {

		/**
		 * Service id under which Spring Cloud's DiscoveryClient (Eureka, Consul,
		 * Kubernetes, the simple one from properties) lists the peer's instances. Setting it
		 * takes the instances from there, each named by its instance id; leave 'instances'
		 * out then.
		 */
		private String serviceId;

		public String getServiceId() {
			return this.serviceId;
		}

		public void setServiceId(String serviceId) {
			this.serviceId = serviceId;
		}

	}

	/**
	 * The ready RestClient of a peer.
	 */
	public static class Client {

		/**
		 * Longest wait for a connection to an instance; a refused connection moves on to
		 * the next instance at once.
		 */
		private Duration connectTimeout = Duration.ofSeconds(1);

		/**
		 * Longest wait for a response once the request is sent.
		 */
		private Duration readTimeout = Duration.ofSeconds(5);

		/**
		 * SSL bundle (declared under spring.ssl.bundle) that the probes and the ready
		 * RestClient of this peer use for https, such as a client certificate the peer
		 * requires. By default, the bundle of spring.http.client.ssl.bundle (on Boot 4 spring.http.clients.ssl.bundle), if any.
		 */
		private String sslBundle;

		/**
		 * Where an idempotent request (GET, HEAD, OPTIONS, TRACE, PUT, DELETE) that failed
		 * on one instance is sent to the next, though the first may have received it:
		 * 'timeout' (no answer within the read timeout), 'reset' (the connection failed
		 * after it was made), 'gateway-status' (answered with one of the heartbeat's
		 * gateway statuses). A request that cannot have reached the instance (connection
		 * refused or timed out, unknown host, no route) goes to the next one whatever its
		 * method. By default nothing else is sent again.
		 */
		private Set<Resend.Condition> resendIdempotentOn = new LinkedHashSet<>();

		public Duration getConnectTimeout() {
			return this.connectTimeout;
		}

		public void setConnectTimeout(Duration connectTimeout) {
			this.connectTimeout = connectTimeout;
		}

		public Duration getReadTimeout() {
			return this.readTimeout;
		}

		public void setReadTimeout(Duration readTimeout) {
			this.readTimeout = readTimeout;
		}

		public String getSslBundle() {
			return this.sslBundle;
		}

		public void setSslBundle(String sslBundle) {
			this.sslBundle = sslBundle;
		}

		public Set<Resend.Condition> getResendIdempotentOn() {
			return this.resendIdempotentOn;
		}

		public void setResendIdempotentOn(Set<Resend.Condition> resendIdempotentOn) {
			this.resendIdempotentOn = resendIdempotentOn;
		}

	}

	/**
	 * How a peer is heard from.
	 */
	public static class Heartbeat {

		/**
		 * Path probed on each instance. A 2xx is a heartbeat; so is any other answer below
		 * 500 (such as a 404 where the path is not served), since the process answered,
		 * with a warning once; a 5xx, a timeout or a refused connection is not.
		 */
		private String path = "/actuator/health/liveness";

		/**
		 * Heartbeat cadence: probes are sent this often, and traffic feeds the detector's
		 * statistics at most once per interval.
		 */
		private Duration interval = Duration.ofSeconds(1);

		/**
		 * How long a probe may take before it counts as missed.
		 */
		private Duration timeout = Duration.ofMillis(500);

		/**
		 * Where heartbeats come from: 'active' probes every interval, 'passive' uses only
		 * responses to this service's own RestClient and RestTemplate traffic, 'hybrid'
		 * probes only when no response arrived within the interval.
		 */
		private HeartbeatMode mode = HeartbeatMode.HYBRID;

		/**
		 * Statuses that a proxy, sidecar or ingress in front of the peer answers when it
		 * cannot reach it; a response with one of them is not a passive heartbeat.
		 */
		private Set<Integer> gatewayStatuses = new TreeSet<>(HeartbeatSettings.DEFAULT_GATEWAY_STATUSES);

		public String getPath() {
			return this.path;
		}

		public void setPath(String path) {
			this.path = path;
		}

		public Duration getInterval() {
			return this.interval;
		}

		public void setInterval(Duration interval) {
			this.interval = interval;
		}

		public Duration getTimeout() {
			return this.timeout;
		}

		public void setTimeout(Duration timeout) {
			this.timeout = timeout;
		}

		public HeartbeatMode getMode() {
			return this.mode;
		}

		public void setMode(HeartbeatMode mode) {
			this.mode = mode;
		}

		public Set<Integer> getGatewayStatuses() {
			return this.gatewayStatuses;
		}

		public void setGatewayStatuses(Set<Integer> gatewayStatuses) {
			this.gatewayStatuses = gatewayStatuses;
		}

		void validate(String path, Errors errors) {
			if (this.path == null || !this.path.startsWith("/")) {
				reject(errors, path + ".path", this.path, "must be a path starting with '/'");
			}
			requirePositive(errors, path + ".interval", this.interval);
			requirePositive(errors, path + ".timeout", this.timeout);
			if (this.mode == null) {
				reject(errors, path + ".mode", null, "must be one of active, passive, hybrid");
			}
			if (this.gatewayStatuses == null || this.gatewayStatuses.stream()
				.anyMatch((status) -> status == null || status < 300 || status > 599)) {
				reject(errors, path + ".gatewayStatuses", this.gatewayStatuses,
						"must be HTTP statuses between 300 and 599 (a 2xx is always a heartbeat), such as [502, 503, 504]");
			}
		}

	}

	/**
	 * Which failure detector watches each instance of a peer, and how.
	 */
	public static class Detector {

		/**
		 * Detector model: 'adaptive' (phi from the peer's own history of intervals, rare
		 * pauses included; needs no tuning), 'phi' (the classic phi accrual detector, a
		 * normal distribution of recent intervals) or 'fixed' (suspect after a fixed number
		 * of missed heartbeats, for stable networks).
		 */
		private DetectorType type = DetectorType.ADAPTIVE;

		/**
		 * Phi at and above which an instance is suspected. Defaults to 5 for 'adaptive' (a
		 * false suspicion about once in 10^5 heartbeat intervals) and 8 for 'phi'.
		 */
		private Double threshold;

		/**
		 * After how many learned intervals an interval counts half as much for the
		 * adaptive detector: how long rare pauses are remembered.
		 */
		private int memoryHalfLife = AdaptiveSettings.DEFAULTS.memoryHalfLife();

		/**
		 * Steepest tail the adaptive detector assumes beyond the longest interval it has
		 * seen: higher suspects sooner after it.
		 */
		private double maxTailExponent = AdaptiveSettings.DEFAULTS.maxTailExponent();

		/**
		 * How many heartbeat intervals (the ordinary interval learned, at least the
		 * configured one) an interval that ended a suspicion may last and still be learned
		 * by the adaptive detector as a pause; a longer one was an outage and is not
		 * learned.
		 */
		private double outageFactor = AdaptiveSettings.DEFAULTS.outageFactor();

		/**
		 * Number of recent heartbeat intervals the phi detector learns from.
		 */
		private int maxSamples = PhiAccrualSettings.DEFAULTS.maxSampleSize();

		/**
		 * Smallest standard deviation the phi detector assumes, so that a very regular peer
		 * is not suspected over scheduler noise.
		 */
		private Duration minStdDeviation = PhiAccrualSettings.DEFAULTS.minStdDeviation();

		/**
		 * Extra silence the phi detector accepts on top of the learned mean interval.
		 * Defaults to the heartbeat interval, so one lost heartbeat is not a crash.
		 */
		private Duration acceptableHeartbeatPause;

		/**
		 * Interval the phi detector assumes before it has learned any. Defaults to the
		 * heartbeat interval.
		 */
		private Duration firstHeartbeatEstimate;

		/**
		 * Number of heartbeat intervals without a heartbeat after which the fixed detector
		 * suspects an instance.
		 */
		private int missedHeartbeats = FixedTimeoutDetector.DEFAULT_MISSED_HEARTBEATS;

		public DetectorType getType() {
			return this.type;
		}

		public void setType(DetectorType type) {
			this.type = type;
		}

		public Double getThreshold() {
			return this.threshold;
		}

		public void setThreshold(Double threshold) {
			this.threshold = threshold;
		}

		public int getMemoryHalfLife() {
			return this.memoryHalfLife;
		}

		public void setMemoryHalfLife(int memoryHalfLife) {
			this.memoryHalfLife = memoryHalfLife;
		}

		public double getMaxTailExponent() {
			return this.maxTailExponent;
		}

		public void setMaxTailExponent(double maxTailExponent) {
			this.maxTailExponent = maxTailExponent;
		}

		public double getOutageFactor() {
			return this.outageFactor;
		}

		public void setOutageFactor(double outageFactor) {
			this.outageFactor = outageFactor;
		}

		public int getMaxSamples() {
			return this.maxSamples;
		}

		public void setMaxSamples(int maxSamples) {
			this.maxSamples = maxSamples;
		}

		public Duration getMinStdDeviation() {
			return this.minStdDeviation;
		}

		public void setMinStdDeviation(Duration minStdDeviation) {
			this.minStdDeviation = minStdDeviation;
		}

		public Duration getAcceptableHeartbeatPause() {
			return this.acceptableHeartbeatPause;
		}

		public void setAcceptableHeartbeatPause(Duration acceptableHeartbeatPause) {
			this.acceptableHeartbeatPause = acceptableHeartbeatPause;
		}

		public Duration getFirstHeartbeatEstimate() {
			return this.firstHeartbeatEstimate;
		}

		public void setFirstHeartbeatEstimate(Duration firstHeartbeatEstimate) {
			this.firstHeartbeatEstimate = firstHeartbeatEstimate;
		}

		public int getMissedHeartbeats() {
			return this.missedHeartbeats;
		}

		public void setMissedHeartbeats(int missedHeartbeats) {
			this.missedHeartbeats = missedHeartbeats;
		}

		void validate(String path, Errors errors) {
			if (this.type == null) {
				reject(errors, path + ".type", null, "must be one of adaptive, phi, fixed");
			}
			if (this.threshold != null && (!(this.threshold > 0) || this.threshold.isInfinite())) {
				reject(errors, path + ".threshold", this.threshold, "must be a finite number greater than 0");
			}
			if (this.memoryHalfLife < AdaptiveSettings.MIN_MEMORY_HALF_LIFE
					|| this.memoryHalfLife > AdaptiveSettings.MAX_MEMORY_HALF_LIFE) {
				reject(errors, path + ".memoryHalfLife", this.memoryHalfLife, "must be between "
						+ AdaptiveSettings.MIN_MEMORY_HALF_LIFE + " and " + AdaptiveSettings.MAX_MEMORY_HALF_LIFE);
			}
			if (!(this.maxTailExponent >= AdaptiveSettings.MIN_TAIL_EXPONENT
					&& this.maxTailExponent <= AdaptiveSettings.MAX_TAIL_EXPONENT)) {
				reject(errors, path + ".maxTailExponent", this.maxTailExponent, "must be between "
						+ AdaptiveSettings.MIN_TAIL_EXPONENT + " and " + AdaptiveSettings.MAX_TAIL_EXPONENT);
			}
			if (!(this.outageFactor > 1) || Double.isInfinite(this.outageFactor)) {
				reject(errors, path + ".outageFactor", this.outageFactor, "must be a finite number greater than 1");
			}
			if (this.maxSamples < 1 || this.maxSamples > PhiAccrualSettings.MAX_SAMPLE_SIZE_LIMIT) {
				reject(errors, path + ".maxSamples", this.maxSamples,
						"must be between 1 and " + PhiAccrualSettings.MAX_SAMPLE_SIZE_LIMIT);
			}
			requirePositive(errors, path + ".minStdDeviation", this.minStdDeviation);
			if (this.acceptableHeartbeatPause != null && this.acceptableHeartbeatPause.isNegative()) {
				reject(errors, path + ".acceptableHeartbeatPause", this.acceptableHeartbeatPause,
						"must be zero or a positive duration");
			}
			if (this.firstHeartbeatEstimate != null) {
				requirePositive(errors, path + ".firstHeartbeatEstimate", this.firstHeartbeatEstimate);
			}
			if (this.missedHeartbeats < 1) {
				reject(errors, path + ".missedHeartbeats", this.missedHeartbeats, "must be at least 1");
			}
		}

	}

	/**
	 * One business function.
	 */
	public static class Function {

		/**
		 * Name of the peer (under faultline.peers) that this function calls.
		 */
		private String peer;

		/**
		 * Where this function's calls run: 'platform' on its own pool of platform threads,
		 * or 'virtual', each on a virtual thread of its own under the concurrency limit of
		 * 'resilience4j.bulkhead.instances.NAME' (Java 21 or later). By default virtual
		 * when 'spring.threads.virtual.enabled' is true on Java 21 or later, else platform.
		 */
		private Threads threads;

		/**
		 * Whether this function's Mono calls wrap blocking work (such as Mono.fromCallable
		 * over JDBC): they then run on the function's pool, with its threads, queue and a
		 * time limit that interrupts the blocked thread, instead of under a concurrency
		 * limit in the caller's pipeline.
		 */
		private boolean blocking;

		private final Partition partition = new Partition();

		public String getPeer() {
			return this.peer;
		}

		public Partition getPartition() {
			return this.partition;
		}

		public boolean isBlocking() {
			return this.blocking;
		}

		public void setBlocking(boolean blocking) {
			this.blocking = blocking;
		}

		public Threads getThreads() {
			return this.threads;
		}

		public void setThreads(Threads threads) {
			this.threads = threads;
		}

		public void setPeer(String peer) {
			// 'peer=' in a properties file declares the function without a peer.
			this.peer = (peer == null || peer.isBlank()) ? null : peer;
		}

	}

	/**
	 * How a function (its pool's threads, or its concurrency limit) is shared out by a key
	 * of its calls, such as the customer.
	 */
	public static class Partition {

		/**
		 * The fraction of the function's threads (or concurrency limit) one key's calls may
		 * take, running or queued, above 0 and at most 1, such as 0.5; unset, the function
		 * is not partitioned. A call of a key that has its share gets the fallback at once
		 * (or a 503 with the cause 'partition-full').
		 */
		private Double share;

		/**
		 * The HTTP request header whose value is a call's key, such as 'X-Customer', in a
		 * Spring MVC application; for a key from the method's arguments, use
		 * '@BusinessFunction(partitionKey = ...)' instead.
		 */
		private String header;

		public Double getShare() {
			return this.share;
		}

		public void setShare(Double share) {
			this.share = share;
		}

		public String getHeader() {
			return this.header;
		}

		public void setHeader(String header) {
			this.header = header;
		}

	}

	/**
	 * The heartbeat monitor.
	 */
	public static class Monitor {

		/**
		 * How late the heartbeat monitor may run before this service counts itself as
		 * paused (a long GC pause, a suspended VM) and holds peer convictions until each peer
		 * has had a fresh chance to answer.
		 */
		private Duration maxLocalPause = Duration.ofMillis(500);

		/**
		 * How often Spring Cloud's DiscoveryClient is asked for the instances of the peers
		 * that name a 'discovery.service-id'; also whenever it announces a change (its
		 * HeartbeatEvent).
		 */
		private Duration discoveryRefreshInterval = Duration.ofSeconds(5);

		public Duration getMaxLocalPause() {
			return this.maxLocalPause;
		}

		public void setMaxLocalPause(Duration maxLocalPause) {
			this.maxLocalPause = maxLocalPause;
		}

		public Duration getDiscoveryRefreshInterval() {
			return this.discoveryRefreshInterval;
		}

		public void setDiscoveryRefreshInterval(Duration discoveryRefreshInterval) {
			this.discoveryRefreshInterval = discoveryRefreshInterval;
		}

	}

	/**
	 * How peers appear in Actuator health.
	 */
	public static class Health {

		/**
		 * Whether a suspected peer is reported DOWN, which fails any health group that
		 * includes it. By default it is reported SUSPECTED, which health aggregation does
		 * not treat as DOWN, so a downstream outage never fails this service's own health.
		 */
		private boolean downWhenSuspected;

		public boolean isDownWhenSuspected() {
			return this.downWhenSuspected;
		}

		public void setDownWhenSuspected(boolean downWhenSuspected) {
			this.downWhenSuspected = downWhenSuspected;
		}

	}

	/**
	 * The dashboard page ({@code /actuator/faultlinedashboard}, once exposed).
	 */
	public static class Dashboard {

		/**
		 * The time between the dashboard's frames: how often it reads every peer's φ and
		 * every function's circuit, threads and calls.
		 */
		private Duration interval = Duration.ofSeconds(1);

		/**
		 * How long the dashboard keeps its frames: the time its charts span.
		 */
		private Duration window = Duration.ofMinutes(5);

		public Duration getInterval() {
			return this.interval;
		}

		public void setInterval(Duration interval) {
			this.interval = interval;
		}

		public Duration getWindow() {
			return this.window;
		}

		public void setWindow(Duration window) {
			this.window = window;
		}

	}

	/**
	 * How business functions answer web requests.
	 */
	public static class Web {

		private final Refusals refusals = new Refusals();

		public Refusals getRefusals() {
			return this.refusals;
		}

	}

	/**
	 * The answer to a call that a business function without a fallback refused.
	 */
	public static class Refusals {

		/**
		 * Whether a call refused by a business function without a fallback (open circuit,
		 * full pool, time limit passed) is answered 503 with a Retry-After header and a
		 * problem body in a Spring MVC application. When off, the FunctionRefusedException
		 * goes to the application's own exception handling.
		 */
		private boolean enabled = true;

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

	}

}
