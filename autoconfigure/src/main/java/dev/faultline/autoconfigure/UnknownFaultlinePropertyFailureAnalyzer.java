package dev.faultline.autoconfigure;

import java.util.List;

import org.springframework.boot.context.properties.bind.UnboundConfigurationPropertiesException;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.core.Ordered;

/**
 * Explains a key under {@code faultline.*} that Faultline does not know, naming the
 * nearest key it does know: a misspelled key is otherwise a setting silently not made.
 * Ordered before Spring Boot's own analyzer of unbound properties, which names the key
 * but not what was meant.
 */
class UnknownFaultlinePropertyFailureAnalyzer extends AbstractFailureAnalyzer<UnboundConfigurationPropertiesException>
		implements Ordered {

	private static final ConfigurationPropertyName FAULTLINE = ConfigurationPropertyName.of("faultline");

	private final FaultlineKeys keys = FaultlineKeys.of("faultline", FaultlineProperties.class);

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, UnboundConfigurationPropertiesException cause) {
		List<ConfigurationProperty> unknown = cause.getUnboundProperties()
			.stream()
			.filter((property) -> FAULTLINE.isAncestorOf(property.getName()))
			.toList();
		if (unknown.isEmpty()) {
			return null;
		}
		StringBuilder description = new StringBuilder("Faultline does not know ")
			.append((unknown.size() == 1) ? "this property" : "these properties")
			.append(":\n");
		for (ConfigurationProperty property : unknown) {
			description.append("\n    Property: ").append(property.getName());
			description.append("\n    Value: \"").append(property.getValue()).append("\"");
			if (property.getOrigin() != null) {
				description.append("\n    Origin: ").append(property.getOrigin());
			}
			description.append("\n    Reason: not a Faultline property");
			this.keys.nearest(property.getName())
				.ifPresent((nearest) -> description.append("; did you mean ").append(nearest).append("?"));
			description.append("\n");
		}
		return new FailureAnalysis(description.toString(),
				"Correct or remove the property. Every Faultline property is listed, with its default, in the "
						+ "IDE metadata (META-INF/spring-configuration-metadata.json) and in the README's "
						+ "Configuration section.",
				cause);
	}

	@Override
	public int getOrder() {
		// Boot's UnboundConfigurationPropertyFailureAnalyzer is unordered (lowest precedence).
		return Ordered.LOWEST_PRECEDENCE - 1;
	}

}
