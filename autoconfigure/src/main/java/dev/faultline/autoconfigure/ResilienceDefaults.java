package dev.faultline.autoconfigure;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.faultline.function.Threads;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.handler.IgnoreErrorsBindHandler;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.MutablePropertySources;
import org.springframework.core.env.PropertySource;

/**
 * Supplies Faultline's defaults for its business functions, and only for them: for each
 * function declared under {@code faultline.functions}, under resilience4j's own keys of
 * the function's instances ({@code resilience4j.thread-pool-bulkhead.instances.NAME.*},
 * {@code resilience4j.bulkhead.instances.NAME.*},
 * {@code resilience4j.circuitbreaker.instances.NAME.*},
 * {@code resilience4j.timelimiter.instances.NAME.*}), with the lowest precedence. Every
 * other resilience4j instance of the application, declared or created on demand, keeps
 * resilience4j's own defaults or what the user set for it.
 *
 * <p>
 * For a function's instance, key by key, the first that is set wins: the user's value for
 * the instance, the user's value in the instance's base configs, Faultline's default,
 * resilience4j's default. The base configs are those resilience4j 2.4 builds the
 * instance's configuration on ({@code Common*ConfigurationProperties}):
 * <ul>
 * <li>the config the instance names with {@code base-config}, then the one that config
 * names with its own, and so on; for the bulkheads and the time limiter a config that
 * names none is built on {@code configs.default};</li>
 * <li>otherwise, for a circuit breaker only, a config of the instance's own name, as it
 * is;</li>
 * <li>otherwise {@code configs.default}, and the config it names with
 * {@code base-config}.</li>
 * </ul>
 * So {@code resilience4j.circuitbreaker.configs.default.failure-rate-threshold: 30} gives
 * the functions 30 as it gives every other circuit breaker, and a function whose
 * {@code base-config} names a config of the user's gets that config's values and
 * Faultline's for the keys it leaves out. A Faultline default is written only where none
 * of these sets the key, since resilience4j lets an instance's own key override its base
 * configs'; keys are matched with Spring Boot's relaxed names ({@code slidingWindowSize}
 * is {@code sliding-window-size}).
 *
 * <p>
 * Faultline's defaults never contradict the user's values: resilience4j requires a pool's
 * core size to be at most its max, so where the user sets only the max, below Faultline's
 * core of 4, the core default becomes that max, and where the user sets only the core,
 * above Faultline's max of 8, the max default becomes that core.
 *
 * <p>
 * The defaults join the application's default properties
 * (the {@code defaultProperties} property source), below every value the application sets,
 * including a {@code @PropertySource} read later. The user's values are read as the
 * environment stands when the application starts (configuration files, profiles, the
 * command line, environment variables, default properties): a resilience4j
 * {@code configs} key in a {@code @PropertySource} is read too late to keep a Faultline
 * default off a function's instance, so set such a key per instance there.
 *
 * <p>
 * Each Boot line's {@code ResilienceDefaultsEnvironmentPostProcessor} runs it, under that
 * line's interface for environment post-processors (Boot 4 moved it).
 *
 * <p>
 * resilience4j's own defaults suit a library, not a service calling another over the
 * network: a circuit that needs 100 calls before it can open and then stays open a
 * minute, a pool of one thread per core with a queue of 100 behind a one-second time
 * limit. Faultline's open a circuit after 10 calls and probe again after 5 seconds, and
 * give each function 4 to 8 threads with a short queue, so a full pool answers with the
 * fallback at once rather than queueing calls that will time out.
 *
 * <p>
 * For a function on virtual threads the semaphore bulkhead is the only limit: 25 calls
 * at once, about the 8 threads and 16 queued that the pool lets in, but all of them
 * running, and no wait for a permit ({@code max-wait-duration: 0}), so a call beyond the
 * limit gets its fallback at once as one beyond a full pool does, instead of holding its
 * caller before the time limit starts counting. They are resilience4j's own values today;
 * written down here, so a function's limit does not move when resilience4j's does.
 */
public class ResilienceDefaults {

	/**
	 * The name of the property source that marks the defaults as supplied; the defaults
	 * themselves are among the application's default properties.
	 */
	public static final String PROPERTY_SOURCE_NAME = "faultlineResilience4jDefaults";

	/**
	 * The name of SpringApplication's default properties. Spring Boot finds them by this
	 * name alone (its class for them moved package between Boot 3 and Boot 4), so a map
	 * of that name joins them on either line.
	 */
	static final String DEFAULT_PROPERTIES = "defaultProperties";

	private static final String DEFAULT_CONFIG = "default";

	private static final String CORE_THREAD_POOL_SIZE = "core-thread-pool-size";

	private static final String MAX_THREAD_POOL_SIZE = "max-thread-pool-size";

	// Only the functions on virtual threads use theirs: the others get none, so
	// resilience4j does not create and report a bulkhead that nothing uses.
	private static final String VIRTUAL_THREADS_LIMIT = "resilience4j.bulkhead";

	static final List<Part> PARTS = List.of(
			new Part("resilience4j.thread-pool-bulkhead", false,
					ordered(CORE_THREAD_POOL_SIZE, "4", MAX_THREAD_POOL_SIZE, "8", "queue-capacity", "16")),
			new Part(VIRTUAL_THREADS_LIMIT, false, ordered("max-concurrent-calls", "25", "max-wait-duration", "0")),
			new Part("resilience4j.circuitbreaker", true,
					ordered("sliding-window-size", "20", "minimum-number-of-calls", "10", "failure-rate-threshold",
							"50", "wait-duration-in-open-state", "5s", "permitted-number-of-calls-in-half-open-state",
							"3", "automatic-transition-from-open-to-half-open-enabled", "true")),
			new Part("resilience4j.timelimiter", false, ordered("timeout-duration", "2s")));

	private static Map<String, String> ordered(String... keysAndValues) {
		Map<String, String> map = new LinkedHashMap<>();
		for (int i = 0; i < keysAndValues.length; i += 2) {
			map.put(keysAndValues[i], keysAndValues[i + 1]);
		}
		return map;
	}

	/**
	 * Adds the defaults to the environment, once, unless Faultline is disabled.
	 * @param environment the application's environment
	 * @param application the application
	 */
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		if (!environment.getProperty("faultline.enabled", Boolean.class, true)
				|| environment.getPropertySources().contains(PROPERTY_SOURCE_NAME)) {
			return;
		}
		Map<String, Object> defaults = defaultsFor(Binder.get(environment));
		MutablePropertySources sources = environment.getPropertySources();
		PropertySource<?> applicationDefaults = sources.get(DEFAULT_PROPERTIES);
		if (applicationDefaults instanceof MapPropertySource map) {
			// Below every value the application set there.
			Map<String, Object> merged = new LinkedHashMap<>(defaults);
			merged.putAll(map.getSource());
			sources.replace(DEFAULT_PROPERTIES, new MapPropertySource(DEFAULT_PROPERTIES, merged));
		}
		else if (applicationDefaults == null && !defaults.isEmpty()) {
			// SpringApplication moves its default properties to the very end once this has
			// run, and each @PropertySource is added above them.
			sources.addLast(new MapPropertySource(DEFAULT_PROPERTIES, defaults));
		}
		else if (!defaults.isEmpty()) {
			// Default properties that are no map cannot take ours: they stay apart, and mark.
			sources.addLast(new MapPropertySource(PROPERTY_SOURCE_NAME, defaults));
			return;
		}
		sources.addLast(new MapPropertySource(PROPERTY_SOURCE_NAME, Map.of()));
	}

	/**
	 * Returns Faultline's defaults for the functions declared in the given configuration,
	 * leaving out every key the user's configuration sets for a function's instance.
	 * @param binder the user's configuration
	 * @return the properties to add
	 */
	static Map<String, Object> defaultsFor(Binder binder) {
		Set<String> functions = binder.bind("faultline.functions", Bindable.mapOf(String.class, Object.class))
			.map(Map::keySet)
			.orElse(Set.of());
		Map<String, Object> defaults = new LinkedHashMap<>();
		for (String function : functions) {
			// A name that is not one is reported by the validation of faultline.functions.
			if (FaultlineProperties.NAME.matcher(function).matches()) {
				boolean virtual = BusinessFunctionAutoConfiguration.threadsOf(function, binder) == Threads.VIRTUAL;
				PARTS.stream()
					.filter((part) -> virtual || !part.prefix().equals(VIRTUAL_THREADS_LIMIT))
					.forEach((part) -> part.addDefaults(function, binder, defaults));
			}
		}
		return defaults;
	}

	/**
	 * One kind of resilience4j instance of a function, and how resilience4j finds an
	 * instance's base configuration for it.
	 *
	 * @param prefix the kind's resilience4j properties
	 * @param circuitBreaker whether the circuit breaker's rules apply: a config of the
	 * instance's own name is its base, and a named config does not fall back to
	 * {@code configs.default} (for the bulkheads and the time limiter it does)
	 * @param defaults Faultline's defaults, by key
	 */
	record Part(String prefix, boolean circuitBreaker, Map<String, String> defaults) {

		void addDefaults(String instance, Binder binder, Map<String, Object> into) {
			String instanceKeys = this.prefix + ".instances." + instance + ".";
			List<String> bases = baseConfigs(instance, binder);
			List<String> names = new ArrayList<>();
			names.add(instanceKeys);
			bases.forEach((base) -> names.add(this.prefix + ".configs." + base + "."));
			UserValues user = new UserValues(binder, names);
			defaultsAgreeingWith(user).forEach((key, value) -> {
				if (!user.isSet(key)) {
					into.put(instanceKeys + key, value);
				}
			});
		}

		/**
		 * Faultline's defaults, with a pool size moved where the user set the other one
		 * past it: resilience4j refuses a max below the core, and a default must not turn
		 * the user's lone size into a startup failure. A max of 2 alone makes the core 2,
		 * a core of 12 alone makes the max 12.
		 */
		private Map<String, String> defaultsAgreeingWith(UserValues user) {
			if (!this.defaults.containsKey(CORE_THREAD_POOL_SIZE) || !this.defaults.containsKey(MAX_THREAD_POOL_SIZE)) {
				return this.defaults;
			}
			Map<String, String> agreeing = new LinkedHashMap<>(this.defaults);
			int core = Integer.parseInt(this.defaults.get(CORE_THREAD_POOL_SIZE));
			int max = Integer.parseInt(this.defaults.get(MAX_THREAD_POOL_SIZE));
			Integer userCore = user.size(CORE_THREAD_POOL_SIZE);
			Integer userMax = user.size(MAX_THREAD_POOL_SIZE);
			// A size below 1 is left to resilience4j, whose message names it.
			if (userMax != null && userMax >= 1 && userMax < core && !user.isSet(CORE_THREAD_POOL_SIZE)) {
				agreeing.put(CORE_THREAD_POOL_SIZE, Integer.toString(userMax));
			}
			if (userCore != null && userCore > max && !user.isSet(MAX_THREAD_POOL_SIZE)) {
				agreeing.put(MAX_THREAD_POOL_SIZE, Integer.toString(userCore));
			}
			return agreeing;
		}

		/**
		 * The configs resilience4j builds the instance's configuration on, nearest first,
		 * as {@code Common*ConfigurationProperties} of resilience4j 2.4 does.
		 */
		private List<String> baseConfigs(String instance, Binder binder) {
			Set<String> configs = binder.bind(this.prefix + ".configs", Bindable.mapOf(String.class, Object.class))
				.map(Map::keySet)
				.orElse(Set.of());
			List<String> chain = new ArrayList<>();
			String named = baseConfig(binder, this.prefix + ".instances." + instance);
			if (named != null) {
				follow(named, configs, binder, chain);
			}
			else if (this.circuitBreaker && configs.contains(instance)) {
				// Used as it is, without following its own base-config.
				chain.add(instance);
			}
			else if (!instance.equals(DEFAULT_CONFIG)) {
				follow(DEFAULT_CONFIG, configs, binder, chain);
			}
			return chain;
		}

		private void follow(String config, Set<String> configs, Binder binder, List<String> chain) {
			String current = config;
			// A missing config stops resilience4j at startup, with its own message.
			while (current != null && configs.contains(current) && !chain.contains(current)) {
				chain.add(current);
				String next = baseConfig(binder, this.prefix + ".configs." + current);
				if (next == null && !this.circuitBreaker && !current.equals(DEFAULT_CONFIG)) {
					next = DEFAULT_CONFIG;
				}
				current = next;
			}
		}

		private static String baseConfig(Binder binder, String name) {
			String base = binder
				.bind(ConfigurationPropertyName.adapt(name + ".base-config", '.'), Bindable.of(String.class))
				.orElse(null);
			return (base != null && !base.isBlank()) ? base : null;
		}

	}

	/**
	 * The user's values for one instance: under the instance's own keys, then under each
	 * of its base configs, nearest first, as resilience4j applies them.
	 *
	 * @param binder the user's configuration
	 * @param prefixes the instance's keys and its base configs' keys, each ending in a dot
	 */
	private record UserValues(Binder binder, List<String> prefixes) {

		boolean isSet(String key) {
			return this.prefixes.stream()
				.anyMatch((prefix) -> this.binder.bind(name(prefix, key), Bindable.of(String.class)).isBound());
		}

		/**
		 * Returns the user's size for the key, the nearest that is set, or {@code null} if
		 * none is or the nearest is no number (resilience4j reports that one).
		 */
		Integer size(String key) {
			for (String prefix : this.prefixes) {
				ConfigurationPropertyName name = name(prefix, key);
				if (this.binder.bind(name, Bindable.of(String.class)).isBound()) {
					return this.binder.bind(name, Bindable.of(Integer.class), new IgnoreErrorsBindHandler())
						.orElse(null);
				}
			}
			return null;
		}

		private static ConfigurationPropertyName name(String prefix, String key) {
			return ConfigurationPropertyName.adapt(prefix + key, '.');
		}

	}

}
