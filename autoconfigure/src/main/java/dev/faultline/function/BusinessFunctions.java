package dev.faultline.function;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * The business functions this service declared, and the programmatic way to call them:
 *
 * <pre class="code">
 * Receipt receipt = functions.call("payment", () -&gt; payments.charge(order),
 *         (cause) -&gt; Receipt.pending(order));
 * </pre>
 *
 * Without a fallback, a refused call throws a {@link FunctionRefusedException}:
 *
 * <pre class="code">
 * Receipt receipt = functions.call("payment", () -&gt; payments.charge(order));
 * </pre>
 *
 * @see BusinessFunction
 * @see IsolatedFunction
 */
public final class BusinessFunctions {

	private final Map<String, IsolatedFunction> functions;

	/**
	 * Creates the set of declared functions.
	 * @param functions the functions
	 */
	public BusinessFunctions(Collection<IsolatedFunction> functions) {
		Map<String, IsolatedFunction> byName = new LinkedHashMap<>();
		for (IsolatedFunction function : functions) {
			if (byName.putIfAbsent(function.getName(), function) != null) {
				throw new IllegalArgumentException("Business function '" + function.getName() + "' is declared twice");
			}
		}
		this.functions = Collections.unmodifiableMap(byName);
	}

	/**
	 * Calls the named function and waits at most its time limit.
	 * @param <T> the result type
	 * @param name the function's name, as declared under {@code faultline.functions}
	 * @param work the call, run on the function's pool
	 * @param fallback the answer when the call cannot succeed: gets the cause as
	 * resilience4j reports it, and what it throws reaches the caller unchanged (so a
	 * fallback that rethrows the cause throws resilience4j's exception, not a
	 * {@link FunctionRefusedException}: call without a fallback for that)
	 * @return the call's result or the fallback's
	 * @throws IllegalArgumentException if no function of that name is declared
	 * @see IsolatedFunction#call(Callable, Function)
	 */
	public <T> T call(String name, Callable<? extends T> work, Function<Throwable, ? extends T> fallback) {
		return get(name).call(work, fallback);
	}

	/**
	 * Calls the named function and waits at most its time limit, without a fallback.
	 * @param <T> the result type
	 * @param name the function's name, as declared under {@code faultline.functions}
	 * @param work the call, run on the function's pool
	 * @return the call's result
	 * @throws FunctionRefusedException if the function refused the call (open circuit,
	 * full pool, time limit passed); what the call threw is rethrown unchanged
	 * @throws IllegalArgumentException if no function of that name is declared
	 * @see IsolatedFunction#call(Callable)
	 */
	public <T> T call(String name, Callable<? extends T> work) {
		return get(name).call(work);
	}

	/**
	 * Calls the named function without blocking the caller.
	 * @param <T> the result type
	 * @param name the function's name, as declared under {@code faultline.functions}
	 * @param work the call, run on the function's pool
	 * @param fallback the answer when the call cannot succeed
	 * @return a stage with the call's result or the fallback's
	 * @throws IllegalArgumentException if no function of that name is declared
	 * @see IsolatedFunction#callAsync(Callable, Function)
	 */
	public <T> CompletableFuture<T> callAsync(String name, Callable<? extends CompletionStage<T>> work,
			Function<Throwable, ? extends CompletionStage<T>> fallback) {
		return get(name).callAsync(work, fallback);
	}

	/**
	 * Calls the named function without blocking the caller, without a fallback.
	 * @param <T> the result type
	 * @param name the function's name, as declared under {@code faultline.functions}
	 * @param work the call, run on the function's pool
	 * @return a stage with the call's result; completed with a
	 * {@link FunctionRefusedException} if the function refused the call, with what the
	 * call threw otherwise
	 * @throws IllegalArgumentException if no function of that name is declared
	 * @see IsolatedFunction#callAsync(Callable)
	 */
	public <T> CompletableFuture<T> callAsync(String name, Callable<? extends CompletionStage<T>> work) {
		return get(name).callAsync(work);
	}

	/**
	 * Returns the named function.
	 * @param name the function's name
	 * @return the function
	 * @throws IllegalArgumentException if no function of that name is declared
	 */
	public IsolatedFunction get(String name) {
		IsolatedFunction function = this.functions.get(name);
		if (function == null) {
			throw new IllegalArgumentException("No business function '" + name + "' is declared; declared functions: "
					+ this.functions.keySet() + ". Declare it under faultline.functions." + name);
		}
		return function;
	}

	/**
	 * Returns whether a function of that name is declared.
	 * @param name the function's name
	 * @return {@code true} if it is
	 */
	public boolean contains(String name) {
		return this.functions.containsKey(name);
	}

	/**
	 * Returns the declared functions by name.
	 * @return the functions
	 */
	public Map<String, IsolatedFunction> getFunctions() {
		return this.functions;
	}

}
