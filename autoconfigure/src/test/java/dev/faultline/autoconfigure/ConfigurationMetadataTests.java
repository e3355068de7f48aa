package dev.faultline.autoconfigure;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.beans.BeanUtils;
import org.springframework.beans.BeanWrapperImpl;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.core.annotation.AnnotatedElementUtils;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The IDE metadata, as the configuration processor writes it (generated from the
 * properties' javadoc, merged with {@code additional-spring-configuration-metadata.json}
 * for the keys under the peers and functions maps, which the processor does not descend
 * into), checked against the properties classes themselves so that neither can drift:
 * every key the binder accepts has an entry with a description and the JavaBean's
 * default, and every entry is a key the binder accepts.
 */
class ConfigurationMetadataTests {

	private static final FaultlineKeys KEYS = FaultlineKeys.of("faultline", FaultlineProperties.class);

	private static List<Map<String, Object>> properties;

	private static List<Map<String, Object>> hints;

	@BeforeAll
	@SuppressWarnings("unchecked")
	static void readGeneratedMetadata() throws IOException {
		Map<String, Object> metadata;
		try (InputStream in = ConfigurationMetadataTests.class
			.getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
			assertThat(in).as("generated configuration metadata").isNotNull();
			metadata = new ObjectMapper().readValue(in, Map.class);
		}
		properties = (List<Map<String, Object>>) metadata.get("properties");
		hints = (List<Map<String, Object>>) metadata.get("hints");
	}

	@Test
	void everyPropertyInTheMetadataHasADescription() {
		assertThat(properties).allSatisfy((property) -> assertThat((String) property.get("description"))
			.as("description of %s", property.get("name"))
			.isNotBlank());
	}

	@Test
	void everyKeyOfThePropertiesClassesHasAnEntryWithItsDefault() {
		assertThat(KEYS.all()).extracting(FaultlineKeys.Key::name)
			.as("keys found by walking FaultlineProperties")
			.contains("faultline.enabled", "faultline.monitor.max-local-pause", "faultline.peers.*.instances",
					"faultline.peers.*.heartbeat.interval", "faultline.peers.*.detector.type",
					"faultline.functions.*.peer");
		assertThat(KEYS.all()).allSatisfy((key) -> {
			Map<String, Object> entry = entry(key.name());
			assertThat(entry).as("metadata entry for %s (add it to additional-spring-configuration-metadata.json "
					+ "if the configuration processor does not generate it)", key.name()).isNotNull();
			Object javaBeanDefault = new BeanWrapperImpl(BeanUtils.instantiateClass(key.owner()))
				.getPropertyValue(key.property());
			// An empty list (a peer's instances) is no default: one must be given.
			if (javaBeanDefault == null || javaBeanDefault instanceof Collection<?> empty && empty.isEmpty()) {
				assertThat(entry).as("defaultValue of %s", key.name()).doesNotContainKey("defaultValue");
			}
			else {
				assertThat(entry).as("defaultValue of %s", key.name()).containsKey("defaultValue");
				assertThat(bind(entry.get("defaultValue"), key)).as("defaultValue of %s", key.name())
					.isEqualTo(javaBeanDefault);
			}
		});
	}

	@Test
	void everyEnumKeyHintsAtEachOfItsValues() {
		assertThat(KEYS.all()).filteredOn((key) -> key.type().resolve(Object.class).isEnum()).allSatisfy((key) -> {
			Set<String> values = Arrays.stream(key.type().resolve().getEnumConstants())
				.map((constant) -> ((Enum<?>) constant).name().toLowerCase(Locale.ROOT))
				.collect(Collectors.toSet());
			assertThat(hintValues(key.name())).as("hinted values of %s", key.name())
				.containsExactlyInAnyOrderElementsOf(values);
		});
	}

	@Test
	void everyFaultlineEntryIsAKeyThePropertiesClassesBind() {
		Set<String> keys = KEYS.all().stream().map(FaultlineKeys.Key::name).collect(Collectors.toSet());
		assertThat(properties).extracting((property) -> (String) property.get("name"))
			.filteredOn((name) -> name.startsWith("faultline."))
			.allSatisfy((name) -> assertThat(keys.contains(name) || isMap(name))
				.as("%s is a key of FaultlineProperties", name)
				.isTrue());
		assertThat(hints).extracting((hint) -> (String) hint.get("name"))
			.allSatisfy((name) -> assertThat(keys.contains(name) || name.endsWith(".keys")
					&& isMap(name.substring(0, name.length() - ".keys".length())))
				.as("hint %s is for a key of FaultlineProperties or the keys of one of its maps", name)
				.isTrue());
	}

	@Test
	void peersHealthContributorHasAnEntryForTheKeyThatTurnsItOff() {
		String indicator = AnnotatedElementUtils
			.getMergedAnnotationAttributes(PeerHealthContributorAutoConfiguration.class,
					BootAutoConfigurations.ENABLED_HEALTH_INDICATOR)
			.getString("value");
		Map<String, Object> entry = entry("management.health." + indicator + ".enabled");

		assertThat(entry).isNotNull().containsEntry("type", "java.lang.Boolean").containsEntry("defaultValue", true);
	}

	@Test
	void mapKeysHaveHints() {
		assertThat(hints).extracting((hint) -> hint.get("name"))
			.contains("faultline.peers.keys", "faultline.functions.keys", "faultline.peers.*.heartbeat.path");
	}

	private static boolean isMap(String name) {
		return KEYS.all().stream().anyMatch((key) -> key.name().startsWith(name + "." + FaultlineKeys.ANY + "."));
	}

	private static Map<String, Object> entry(String name) {
		return properties.stream().filter((property) -> name.equals(property.get("name"))).findFirst().orElse(null);
	}

	@SuppressWarnings("unchecked")
	private static List<String> hintValues(String name) {
		return hints.stream()
			.filter((hint) -> name.equals(hint.get("name")))
			.flatMap((hint) -> ((List<Map<String, Object>>) hint.get("values")).stream())
			.map((value) -> (String) value.get("value"))
			.toList();
	}

	// The metadata's default as the binder reads it: "1s" is a Duration, "hybrid" an enum.
	private static Object bind(Object defaultValue, FaultlineKeys.Key key) {
		Object value = (defaultValue instanceof List<?> list)
				? list.stream().map(String::valueOf).collect(Collectors.joining(",")) : defaultValue;
		Binder binder = new Binder(new MapConfigurationPropertySource(Map.of("value", value)));
		return binder.bind("value", Bindable.of(key.type())).get();
	}

}
