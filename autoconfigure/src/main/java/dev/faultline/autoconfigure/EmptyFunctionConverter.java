package dev.faultline.autoconfigure;

import org.springframework.core.convert.converter.Converter;

/**
 * Lets {@code faultline.functions.delivery:} (an empty value) declare a function with no
 * settings: YAML and properties files hand it to the binder as an empty string, which
 * otherwise binds to nothing and silently drops the function. (An empty {@code {}} map
 * never reaches the binder at all: YAML loading drops it.)
 */
class EmptyFunctionConverter implements Converter<String, FaultlineProperties.Function> {

	@Override
	public FaultlineProperties.Function convert(String source) {
		if (!source.isBlank()) {
			throw new IllegalArgumentException("A business function is declared with its settings, such as "
					+ "'peer: payment-service', or with an empty value for none; got '" + source + "'");
		}
		return new FaultlineProperties.Function();
	}

}
