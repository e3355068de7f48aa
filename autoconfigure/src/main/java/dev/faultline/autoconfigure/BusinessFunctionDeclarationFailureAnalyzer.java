package dev.faultline.autoconfigure;

import dev.faultline.function.BusinessFunctionDeclarationException;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Explains a misdeclared {@code @BusinessFunction} method at startup, with the one fix
 * for what is wrong.
 */
class BusinessFunctionDeclarationFailureAnalyzer extends AbstractFailureAnalyzer<BusinessFunctionDeclarationException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, BusinessFunctionDeclarationException cause) {
		String action = switch (cause.getKind()) {
			case UNDECLARED_FUNCTION -> "Declare the function under 'faultline.functions.<name>' (with its 'peer', "
					+ "or an empty value for none), or correct the name in @BusinessFunction.";
			case FALLBACK_MISMATCH -> "Write the fallback method in the same class with the signature shown above: "
					+ "the method's parameters followed by a Throwable (or a subtype), returning what the method "
					+ "returns; or correct the name in @BusinessFunction(fallbackMethod = ...).";
			case RETRY_OF_FUTURE -> "Remove @Retryable from the method (or its class), or make the method "
					+ "synchronous and call it asynchronously from outside.";
			case UNSUPPORTED_RETURN_TYPE -> "Return a plain value, a CompletionStage, or Reactor's Mono or Flux "
					+ "(with resilience4j-reactor on the classpath); convert other reactive types at the call site, "
					+ "such as Mono.from(publisher) or kotlinx.coroutines.reactor's mono { } and asFlux().";
			case INVALID_PARTITION_KEY -> "Write the partition key as a Spring expression over the method's "
					+ "arguments, such as '#order.customerId' or '#p0', and set the function's share under "
					+ "'faultline.functions.<name>.partition.share'; or remove partitionKey.";
		};
		return new FailureAnalysis(cause.getMessage(), action, cause);
	}

}
