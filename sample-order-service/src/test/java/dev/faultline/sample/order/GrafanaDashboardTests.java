package dev.faultline.sample.order;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.json.JsonParserFactory;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The Grafana dashboard in {@code docs/grafana} queries only what the sample really
 * exposes: the order service runs with its real configuration against a real HTTP payment
 * server, takes a few orders so that every function's meters have counted something, and
 * every metric and label in every panel's and variable's query is looked up in what
 * {@code /actuator/prometheus} answers over HTTP.
 */
// Spring Boot's tests turn every metrics export but the in-memory one off; the Prometheus
// registry is turned back on by its own property, which both Boot lines honour (the
// annotation that does it moved module in Boot 4).
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "faultline.peers.payment-service.heartbeat.interval=200ms",
				"faultline.peers.payment-service.heartbeat.timeout=100ms",
				"management.prometheus.metrics.export.enabled=true" })
class GrafanaDashboardTests {

	private static final String DASHBOARD = "docs/grafana/faultline-dashboard.json";

	// Labels Prometheus itself puts on every series it scrapes: the target's.
	private static final Set<String> TARGET_LABELS = Set.of("job", "instance");

	// A scraped label named like a target label is kept by Prometheus (honor_labels: false,
	// its default) as exported_<label>: Faultline's peer 'instance' tag arrives that way.
	private static final String EXPORTED = "exported_";

	private static final Set<String> KEYWORDS = Set.of("by", "without", "on", "ignoring", "group_left",
			"group_right", "bool", "and", "or", "unless", "offset", "inf", "nan");

	private static final String IDENTIFIER = "[a-zA-Z_:][a-zA-Z0-9_:]*";

	private static final Pattern SELECTOR = Pattern.compile("(?<![\\w$:.])(" + IDENTIFIER + ")\\s*(\\{([^}]*)})?");

	private static final Pattern MATCHER = Pattern.compile("(" + IDENTIFIER + ")\\s*(=~|!~|!=|=)\\s*\"");

	private static final Pattern GROUPING = Pattern
		.compile("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\(([^)]*)\\)");

	private static final Pattern LABEL_VALUES = Pattern
		.compile("label_values\\(\\s*(" + IDENTIFIER + ")\\s*(\\{[^}]*})?\\s*,\\s*(" + IDENTIFIER + ")\\s*\\)");

	private static final Pattern LEGEND_LABEL = Pattern.compile("\\{\\{\\s*(" + IDENTIFIER + ")\\s*}}");

	private static final Pattern SAMPLE = Pattern.compile("^(" + IDENTIFIER + ")(\\{(.*)})?\\s+\\S+.*$");

	private static final Pattern SCRAPED_LABEL = Pattern.compile("(" + IDENTIFIER + ")=\"(?:[^\"\\\\]|\\\\.)*\"");

	private static final PaymentStub payment = PaymentStub.start();

	@TempDir
	static Path data;

	@LocalServerPort
	private int port;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		registry.add("faultline.peers.payment-service.instances[0]", payment::url);
		registry.add("orders.data-dir", () -> data.toString());
	}

	@AfterAll
	static void stopPayment() {
		payment.close();
	}

	@Test
	void everyMetricAndLabelTheDashboardQueriesIsInTheSamplesPrometheusScrape() throws IOException {
		for (int i = 0; i < 3; i++) {
			assertThat(new SampleOverHttp(this.port).placeOrder("dashboard-customer").getStatusCode())
				.isEqualTo(HttpStatus.CREATED);
		}
		// Orders through every function, and heartbeats from payment, so the scrape is
		// that of a service at work; it is taken once the peer's and the functions' meters
		// are all registered.
		Map<String, Set<String>> scraped = await().atMost(Duration.ofSeconds(20))
			.until(this::scrape, (metrics) -> metrics.containsKey("faultline_peer_heartbeats_total")
					&& metrics.containsKey("resilience4j_circuitbreaker_calls_seconds_count")
					&& metrics.containsKey("resilience4j_timelimiter_calls_total"));
		List<Query> queries = queries(dashboard());

		assertThat(queries).hasSizeGreaterThan(10);
		assertThat(problems(queries, scraped)).isEmpty();
	}

	@Test
	void queryOfAMetricOrLabelThatIsNotScrapedIsReportedWithItsPanel() {
		Map<String, Set<String>> scraped = Map.of("faultline_peer_phi", Set.of("peer", "instance"),
				"resilience4j_circuitbreaker_state", Set.of("name", "state"));
		List<Query> queries = List.of(
				new Query("φ", "max by (peer, exported_instance) (faultline_peer_phi{peer=~\"$peer\"})",
						"{{peer}} {{exported_instance}}"),
				new Query("typo", "faultline_peer_phii", ""),
				new Query("tag", "faultline_peer_phi{function=\"payment\"}", ""),
				new Query("grouping", "sum by (name, kind) (resilience4j_circuitbreaker_state)", ""),
				new Query("legend", "resilience4j_circuitbreaker_state", "{{function}}"),
				new Query("clash", "resilience4j_circuitbreaker_state{exported_instance=\"a\"}", ""),
				new Query("variable", "label_values(faultline_peer_phi, function)", ""));

		assertThat(problems(queries, scraped)).containsExactly(
				"typo: faultline_peer_phii is not scraped", "tag: faultline_peer_phi has no label function",
				"grouping: resilience4j_circuitbreaker_state has no label kind",
				"legend: resilience4j_circuitbreaker_state has no label function",
				"clash: resilience4j_circuitbreaker_state has no label exported_instance",
				"variable: faultline_peer_phi has no label function");
	}

	/**
	 * Returns, for each query, each metric it names that the scrape lacks and each label it
	 * uses that a metric of it does not carry.
	 */
	private static List<String> problems(List<Query> queries, Map<String, Set<String>> scraped) {
		List<String> problems = new ArrayList<>();
		for (Query query : queries) {
			Map<String, Set<String>> used = query.labelsByMetric();
			assertThat(used).as("metrics queried by %s: %s", query.panel(), query.expr()).isNotEmpty();
			used.forEach((metric, labels) -> {
				Set<String> carried = scraped.get(metric);
				if (carried == null) {
					problems.add(query.panel() + ": " + metric + " is not scraped");
					return;
				}
				for (String label : labels) {
					if (!carries(carried, label)) {
						problems.add(query.panel() + ": " + metric + " has no label " + label);
					}
				}
			});
		}
		return problems;
	}

	private static boolean carries(Set<String> scraped, String label) {
		if (label.startsWith(EXPORTED) && TARGET_LABELS.contains(label.substring(EXPORTED.length()))) {
			return scraped.contains(label.substring(EXPORTED.length()));
		}
		return (TARGET_LABELS.contains(label) || label.equals("__name__")) || scraped.contains(label);
	}

	/**
	 * Returns every metric of the scrape, as Prometheus names the samples, with the labels
	 * its series carry.
	 */
	private Map<String, Set<String>> scrape() {
		ResponseEntity<String> answer = new SampleOverHttp(this.port).get("/actuator/prometheus", MediaType.TEXT_PLAIN);
		assertThat(answer.getStatusCode()).isEqualTo(HttpStatus.OK);
		// Kept as build output: what a dashboard author has to choose from.
		writeQuietly(Path.of("target", "prometheus-scrape.txt"), answer.getBody());
		Map<String, Set<String>> metrics = new LinkedHashMap<>();
		for (String line : answer.getBody().split("\n")) {
			Matcher sample = SAMPLE.matcher(line);
			if (line.startsWith("#") || !sample.matches()) {
				continue;
			}
			Set<String> labels = metrics.computeIfAbsent(sample.group(1), (name) -> new TreeSet<>());
			if (sample.group(3) != null) {
				Matcher label = SCRAPED_LABEL.matcher(sample.group(3));
				while (label.find()) {
					labels.add(label.group(1));
				}
			}
		}
		return metrics;
	}

	private static void writeQuietly(Path file, String text) {
		try {
			Files.createDirectories(file.getParent());
			Files.writeString(file, text, StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			// Only a copy for people to read; the check does not depend on it.
		}
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> dashboard() throws IOException {
		// Found from the module's folder up, since the Boot 4 build runs these tests from
		// boot4/sample-order-service.
		Path folder = Path.of("").toAbsolutePath();
		while (folder != null && !Files.exists(folder.resolve(DASHBOARD))) {
			folder = folder.getParent();
		}
		assertThat(folder).as("a folder holding %s", DASHBOARD).isNotNull();
		String json = Files.readString(folder.resolve(DASHBOARD), StandardCharsets.UTF_8);
		// Boot's own parser: these sources build on Jackson 2 (Boot 3.5) and Jackson 3 (Boot 4).
		return JsonParserFactory.getJsonParser().parseMap(json);
	}

	/**
	 * Returns the queries of every panel (rows' nested panels too) and of every query
	 * variable.
	 */
	@SuppressWarnings("unchecked")
	private static List<Query> queries(Map<String, Object> dashboard) {
		List<Query> queries = new ArrayList<>();
		List<Map<String, Object>> panels = new ArrayList<>((List<Map<String, Object>>) dashboard.get("panels"));
		for (int i = 0; i < panels.size(); i++) {
			Map<String, Object> panel = panels.get(i);
			panels.addAll((List<Map<String, Object>>) panel.getOrDefault("panels", List.of()));
			for (Map<String, Object> target : (List<Map<String, Object>>) panel.getOrDefault("targets", List.of())) {
				queries.add(new Query((String) panel.get("title"), (String) target.get("expr"),
						(String) target.getOrDefault("legendFormat", "")));
			}
		}
		Map<String, Object> templating = (Map<String, Object>) dashboard.get("templating");
		for (Map<String, Object> variable : (List<Map<String, Object>>) templating.get("list")) {
			if ("query".equals(variable.get("type"))) {
				Object query = variable.get("query");
				String expr = (query instanceof Map) ? (String) ((Map<String, Object>) query).get("query")
						: (String) query;
				queries.add(new Query("variable " + variable.get("name"), expr, ""));
			}
		}
		return queries;
	}

	/**
	 * One PromQL query of the dashboard.
	 *
	 * @param panel the title of its panel, or the variable it fills
	 * @param expr the query
	 * @param legend its legend format, whose {@code {{label}}} names must be carried too
	 */
	record Query(String panel, String expr, String legend) {

		/**
		 * Returns each metric the query names with the labels it uses with it: its own
		 * matchers, and the query's grouping labels and legend labels, which every metric
		 * of a dashboard query carries, since its panels aggregate and join on those alone.
		 */
		Map<String, Set<String>> labelsByMetric() {
			Map<String, Set<String>> metrics = new LinkedHashMap<>();
			Matcher variable = LABEL_VALUES.matcher(this.expr);
			if (variable.find()) {
				Set<String> labels = metrics.computeIfAbsent(variable.group(1), (name) -> new LinkedHashSet<>());
				labels.addAll(matchers(variable.group(2)));
				labels.add(variable.group(3));
				return metrics;
			}
			Set<String> shared = new LinkedHashSet<>();
			Matcher grouping = GROUPING.matcher(this.expr);
			while (grouping.find()) {
				for (String label : grouping.group(2).split(",")) {
					if (!label.isBlank()) {
						shared.add(label.strip());
					}
				}
			}
			Matcher legendLabel = LEGEND_LABEL.matcher(this.legend);
			while (legendLabel.find()) {
				shared.add(legendLabel.group(1));
			}
			// Grouping lists and range durations ([5m], [$__rate_interval]) hold no metric
			// names: blanked before metrics are looked for.
			String rest = GROUPING.matcher(this.expr).replaceAll(" ").replaceAll("\\[[^]]*]", " ");
			Matcher selector = SELECTOR.matcher(rest);
			while (selector.find()) {
				String name = selector.group(1);
				boolean function = rest.substring(selector.end(1)).matches("(?s)\\s*\\(.*")
						&& selector.group(2) == null;
				if (function || KEYWORDS.contains(name.toLowerCase()) || name.startsWith("__")) {
					continue;
				}
				Set<String> labels = metrics.computeIfAbsent(name, (key) -> new LinkedHashSet<>());
				labels.addAll(matchers(selector.group(2)));
				labels.addAll(shared);
			}
			return metrics;
		}

		private static Set<String> matchers(String braces) {
			Set<String> labels = new LinkedHashSet<>();
			if (braces != null) {
				Matcher matcher = MATCHER.matcher(braces);
				while (matcher.find()) {
					labels.add(matcher.group(1));
				}
			}
			return labels;
		}

	}

}
