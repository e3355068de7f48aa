package dev.faultline.autoconfigure;

import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.boot.DefaultPropertiesPropertySource;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.MutablePropertySources;
import org.springframework.core.env.PropertySource;

/**
 * Supplies Faultline's defaults for business functions under resilience4j's own
 * {@code configs.default} keys, as the property source of lowest precedence: every value
 * the user sets, in {@code configs.default} or per instance, wins key by key, and no
 * number gets a second key of Faultline's.
 *
 * <p>
 * resilience4j's own defaults suit a library, not a service calling another over the
 * network: a circuit that needs 100 calls before it can open and then stays open a
 * minute, a pool of one thread per core with a queue of 100 behind a one-second time
 * limit. Faultline's open a circuit after 10 calls and probe again after 5 seconds, and
 * give each function 4 to 8 threads with a short queue, so a full pool answers with the
 * fallback at once rather than queueing calls that will time out.
 */
public class ResilienceDefaultsEnvironmentPostProcessor implements EnvironmentPostProcessor {

	/** The name of the property source that holds the defaults. */
	public static final String PROPERTY_SOURCE_NAME = "faultlineResilience4jDefaults";

	static final Map<String, Object> DEFAULTS = defaults();

	private static Map<String, Object> defaults() {
		Map<String, Object> defaults = new LinkedHashMap<>();
		String pool = "resilience4j.thread-pool-bulkhead.configs.default.";
		defaults.put(pool + "core-thread-pool-size", "4");
		defaults.put(pool + "max-thread-pool-size", "8");
		defaults.put(pool + "queue-capacity", "16");
		String breaker = "resilience4j.circuitbreaker.configs.default.";
		defaults.put(breaker + "sliding-window-size", "20");
		defaults.put(breaker + "minimum-number-of-calls", "10");
		defaults.put(breaker + "failure-rate-threshold", "50");
		defaults.put(breaker + "wait-duration-in-open-state", "5s");
		defaults.put(breaker + "permitted-number-of-calls-in-half-open-state", "3");
		defaults.put(breaker + "automatic-transition-from-open-to-half-open-enabled", "true");
		defaults.put("resilience4j.timelimiter.configs.default.timeout-duration", "2s");
		return Map.copyOf(defaults);
	}

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		if (!environment.getProperty("faultline.enabled", Boolean.class, true)
				|| environment.getPropertySources().contains(PROPERTY_SOURCE_NAME)) {
			return;
		}
		MutablePropertySources sources = environment.getPropertySources();
		PropertySource<?> applicationDefaults = sources.get(DefaultPropertiesPropertySource.NAME);
		if (applicationDefaults instanceof MapPropertySource map) {
			// SpringApplication moves its default properties to the very end after this runs,
			// so ours join them, below every value the application set there.
			Map<String, Object> merged = new LinkedHashMap<>(DEFAULTS);
			merged.putAll(map.getSource());
			sources.replace(DefaultPropertiesPropertySource.NAME, new DefaultPropertiesPropertySource(merged));
			sources.addLast(new MapPropertySource(PROPERTY_SOURCE_NAME, Map.of()));
			return;
		}
		sources.addLast(new MapPropertySource(PROPERTY_SOURCE_NAME, DEFAULTS));
	}

}
