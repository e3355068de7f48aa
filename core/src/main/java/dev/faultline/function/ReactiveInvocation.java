package dev.faultline.function;

import java.util.concurrent.Callable;
import java.util.function.Function;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The interceptor's calls of a method returning a {@code Mono} or {@code Flux}: apart, so
 * that the interceptor itself loads without Reactor.
 */
final class ReactiveInvocation {

	private ReactiveInvocation() {
	}

	@SuppressWarnings("unchecked")
	static Object call(Object reactiveFunctions, String function, boolean flux, Callable<Object> work,
			Function<Throwable, Object> fallback) {
		ReactiveFunctions functions = (ReactiveFunctions) reactiveFunctions;
		if (flux) {
			return functions.flux(function, () -> (Flux<Object>) invoke(work),
					(fallback != null) ? (cause) -> (Flux<Object>) fallback.apply(cause) : null);
		}
		return functions.mono(function, () -> (Mono<Object>) invoke(work),
				(fallback != null) ? (cause) -> (Mono<Object>) fallback.apply(cause) : null);
	}

	static boolean runsOnPool(Object reactiveFunctions, String function) {
		return ((ReactiveFunctions) reactiveFunctions).get(function).runOnPool();
	}

	// The method throwing instead of returning an error signal becomes the error signal.
	private static Object invoke(Callable<Object> work) {
		try {
			return work.call();
		}
		catch (RuntimeException ex) {
			throw ex;
		}
		catch (Exception ex) {
			throw reactor.core.Exceptions.propagate(ex);
		}
	}

}
