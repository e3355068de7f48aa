package dev.faultline.autoconfigure;

import dev.faultline.function.BusinessFunctionDeclarationException;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Explains a misdeclared {@code @BusinessFunction} method at startup.
 */
class BusinessFunctionDeclarationFailureAnalyzer extends AbstractFailureAnalyzer<BusinessFunctionDeclarationException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, BusinessFunctionDeclarationException cause) {
		return new FailureAnalysis(cause.getMessage(),
				"Declare the function under 'faultline.functions', or give the method a fallback with the "
						+ "signature shown above.",
				cause);
	}

}
