package dev.faultline.function;

import java.lang.reflect.Method;
import java.util.concurrent.CompletionStage;

import org.springframework.core.ReactiveAdapter;
import org.springframework.core.ReactiveAdapterRegistry;
import org.springframework.util.ClassUtils;

/**
 * What a {@link BusinessFunction @BusinessFunction} method returns, as far as protecting
 * it goes. Told apart by name, so that neither Reactor nor any other reactive library is
 * needed unless the method returns one of its types.
 */
enum ReturnKind {

	/** A value (or nothing): the call runs on the function's threads. */
	VALUE,

	/** A {@link CompletionStage}: asynchronous, the caller does not wait. */
	STAGE,

	/** Reactor's {@code Mono}: protected in the pipeline, no thread hop. */
	MONO,

	/** Reactor's {@code Flux}: protected in the pipeline, no thread hop. */
	FLUX;

	private static final String MONO_CLASS = "reactor.core.publisher.Mono";

	private static final String FLUX_CLASS = "reactor.core.publisher.Flux";

	// Kotlin's Flow has no adapter unless kotlinx-coroutines-reactor is present: named too.
	private static final String KOTLIN_FLOW = "kotlinx.coroutines.flow.Flow";

	boolean reactive() {
		return this == MONO || this == FLUX;
	}

	/**
	 * Finds what a method returns.
	 * @param targetClass the bean's class
	 * @param method the method
	 * @return its kind
	 * @throws BusinessFunctionDeclarationException if it returns a type a function cannot
	 * protect: another library's reactive type, or a Reactor type other than Mono and Flux
	 */
	static ReturnKind of(Class<?> targetClass, Method method) {
		Class<?> type = method.getReturnType();
		if (CompletionStage.class.isAssignableFrom(type)) {
			return STAGE;
		}
		if (is(type, MONO_CLASS)) {
			return MONO;
		}
		if (is(type, FLUX_CLASS)) {
			return FLUX;
		}
		ReactiveAdapter adapter = ReactiveAdapterRegistry.getSharedInstance().getAdapter(type);
		if (adapter != null || is(type, KOTLIN_FLOW) || type.getName().equals("org.reactivestreams.Publisher")
				|| type.getName().equals("java.util.concurrent.Flow$Publisher")) {
			throw new BusinessFunctionDeclarationException(BusinessFunctionDeclarationException.Kind.UNSUPPORTED_RETURN_TYPE,
					FallbackMethod.describe(targetClass, method) + " returns " + type.getName()
							+ ", which a business function cannot protect (it would return it at once and the work "
							+ "would run later, unprotected); supported are plain values, CompletionStage, and "
							+ "Reactor's Mono and Flux");
		}
		return VALUE;
	}

	private static boolean is(Class<?> type, String className) {
		ClassLoader loader = type.getClassLoader();
		if (!ClassUtils.isPresent(className, loader)) {
			return false;
		}
		return ClassUtils.resolveClassName(className, loader).isAssignableFrom(type);
	}

}
