package dev.faultline.function;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
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
 * <p>
 * With Faultline disabled ({@code faultline.enabled=false}) the functions
 * {@linkplain #passThrough(Collection) pass their calls through}.
 *
 * @see BusinessFunction
 * @see IsolatedFunction
 */
public final class BusinessFunctions {

	private final Map<String, IsolatedFunction> functions;

	private final Set<String> names;

	private final boolean passThrough;

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
		this.names = this.functions.keySet();
		this.passThrough = false;
	}

	private BusinessFunctions(Set<String> names) {
		this.functions = Map.of();
		this.names = Collections.unmodifiableSet(names);
		this.passThrough = true;
	}

	/**
	 * Creates functions that pass their calls through, which is what Faultline provides
	 * when it is disabled: each call runs directly on the caller's thread, with no pool,
	 * circuit breaker or time limit, and what it throws, checked or not, reaches the
	 * caller as it was thrown.
	 * <p>
	 * The fallback is never called, not even for the call's own exception. Switching
	 * Faultline off takes it out of the path, so the application behaves as the same code
	 * without Faultline would, failures included; a fallback answering for them would hide
	 * the very failures the switch is flipped to see, and leave half of Faultline's
	 * behaviour in place. The names are still checked, so code calling an undeclared
	 * function fails the same way either way.
	 * @param names the declared functions' names
	 * @return the functions
	 */
	public static BusinessFunctions passThrough(Collection<String> names) {
		return new BusinessFunctions(new LinkedHashSet<>(names));
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
	 * @see #passThrough(Collection)
	 */
	public <T> T call(String name, Callable<? extends T> work, Function<Throwable, ? extends T> fallback) {
		if (this.passThrough) {
			requireDeclared(name);
			return callDirectly(work);
		}
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
	 * @see #passThrough(Collection)
	 */
	public <T> T call(String name, Callable<? extends T> work) {
		if (this.passThrough) {
			requireDeclared(name);
			return callDirectly(work);
		}
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
	 * @see #passThrough(Collection)
	 */
	public <T> CompletableFuture<T> callAsync(String name, Callable<? extends CompletionStage<T>> work,
			Function<Throwable, ? extends CompletionStage<T>> fallback) {
		if (this.passThrough) {
			return callDirectlyAsync(name, work);
		}
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
	 * @see #passThrough(Collection)
	 */
	public <T> CompletableFuture<T> callAsync(String name, Callable<? extends CompletionStage<T>> work) {
		if (this.passThrough) {
			return callDirectlyAsync(name, work);
		}
		return get(name).callAsync(work);
	}

	private <T> CompletableFuture<T> callDirectlyAsync(String name, Callable<? extends CompletionStage<T>> work) {
		requireDeclared(name);
		CompletionStage<T> stage = Objects.requireNonNull(callDirectly(work),
				() -> "Business function '" + name + "' was given work that returned no stage");
		CompletableFuture<T> result = new CompletableFuture<>();
		stage.whenComplete((value, failure) -> {
			if (failure == null) {
				result.complete(value);
			}
			else {
				result.completeExceptionally(failure);
			}
		});
		return result;
	}

	private static <T> T callDirectly(Callable<? extends T> work) {
		try {
			return work.call();
		}
		catch (Exception ex) {
			return sneakyThrow(ex);
		}
	}

	// Lets the call's own checked exception reach the caller unchanged.
	@SuppressWarnings("unchecked")
	private static <T, E extends Throwable> T sneakyThrow(Throwable ex) throws E {
		throw (E) ex;
	}

	/**
	 * Returns the named function.
	 * @param name the function's name
	 * @return the function
	 * @throws IllegalArgumentException if no function of that name is declared
	 * @throws IllegalStateException if the functions {@linkplain #isPassThrough() pass
	 * their calls through}: there is no pool, circuit breaker or time limit to return
	 */
	public IsolatedFunction get(String name) {
		requireDeclared(name);
		if (this.passThrough) {
			throw new IllegalStateException("Business function '" + name + "' has no pool, circuit breaker or time "
					+ "limit: Faultline is disabled (faultline.enabled=false), so its calls run directly on the "
					+ "caller's thread");
		}
		return this.functions.get(name);
	}

	private void requireDeclared(String name) {
		if (!this.names.contains(name)) {
			throw new IllegalArgumentException("No business function '" + name + "' is declared; declared functions: "
					+ this.names + ". Declare it under faultline.functions." + name);
		}
	}

	/**
	 * Returns whether a function of that name is declared.
	 * @param name the function's name
	 * @return {@code true} if it is
	 */
	public boolean contains(String name) {
		return this.names.contains(name);
	}

	/**
	 * Returns the declared functions by name; none when they
	 * {@linkplain #isPassThrough() pass their calls through}.
	 * @return the functions
	 */
	public Map<String, IsolatedFunction> getFunctions() {
		return this.functions;
	}

	/**
	 * Returns whether these functions pass their calls through, as they do with Faultline
	 * disabled.
	 * @return {@code true} if each call runs directly on the caller's thread
	 * @see #passThrough(Collection)
	 */
	public boolean isPassThrough() {
		return this.passThrough;
	}

}
