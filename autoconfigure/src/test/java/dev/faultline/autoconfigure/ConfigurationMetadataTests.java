package dev.faultline.autoconfigure;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The IDE metadata that the configuration processor generates from the properties'
 * javadoc: every property must carry a description.
 */
class ConfigurationMetadataTests {

	@Test
	@SuppressWarnings("unchecked")
	void everyPropertyInTheGeneratedMetadataHasADescription() throws IOException {
		Map<String, Object> metadata;
		try (InputStream in = getClass().getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
			assertThat(in).as("generated configuration metadata").isNotNull();
			metadata = new ObjectMapper().readValue(in, Map.class);
		}
		List<Map<String, Object>> properties = (List<Map<String, Object>>) metadata.get("properties");

		assertThat(properties).extracting((property) -> property.get("name"))
			.contains("faultline.enabled", "faultline.peers", "faultline.monitor.max-local-pause",
					"faultline.health.down-when-suspected");
		assertThat(properties).allSatisfy((property) -> assertThat((String) property.get("description"))
			.as("description of %s", property.get("name"))
			.isNotBlank());
	}

}
