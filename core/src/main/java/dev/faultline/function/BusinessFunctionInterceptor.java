package dev.faultline.function;

import java.lang.reflect.Method;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Supplier;

import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;

import org.springframework.aop.support.AopUtils;
import org.springframework.context.expression.MethodBasedEvaluationContext;
import org.springframework.core.DefaultParameterNameDiscoverer;
import org.springframework.core.ParameterNameDiscoverer;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.expression.Expression;
import org.springframework.expression.ExpressionParser;
import org.springframework.expression.ParseException;
import org.springframework.expression.spel.standard.SpelExpressionParser;

/**
 * Runs {@link BusinessFunction @BusinessFunction} methods through their function. The
 * rest of the interceptor chain and the method itself run on the function's pool thread.
 * When the call cannot succeed, the fallback method gets the cause (resilience4j's
 * exception of a refusal, or what the method threw); without a fallback method, a
 * refused call throws a {@link FunctionRefusedException} and a method that threw has its
 * own exception rethrown unchanged.
 */
public final class BusinessFunctionInterceptor implements MethodInterceptor {

	private final Supplier<BusinessFunctions> functions;

	private final Supplier<?> reactiveFunctions;

	private final Supplier<PartitionKeyResolver> partitionKeys;

	private final ExpressionParser expressions = new SpelExpressionParser();

	private final ParameterNameDiscoverer parameterNames = new DefaultParameterNameDiscoverer();

	private final Map<MethodKey, Plan> plans = new ConcurrentHashMap<>();

	/**
	 * Creates an interceptor for the given functions.
	 * @param functions the declared functions, looked up when first needed: the
	 * interceptor is created with the proxies, before the functions' registries
	 */
	public BusinessFunctionInterceptor(Supplier<BusinessFunctions> functions) {
		this(functions, () -> null);
	}

	/**
	 * Creates an interceptor for the given functions, with their calls for Reactor's
	 * {@code Mono} and {@code Flux}.
	 * @param functions the declared functions, looked up when first needed
	 * @param reactiveFunctions their {@link ReactiveFunctions}, or {@code null} without
	 * Reactor and resilience4j-reactor on the classpath; looked up when first needed
	 */
	public BusinessFunctionInterceptor(Supplier<BusinessFunctions> functions, Supplier<?> reactiveFunctions) {
		this(functions, reactiveFunctions, () -> null);
	}

	/**
	 * Creates an interceptor for the given functions, with their reactive calls and the
	 * resolver of the keys of partitioned functions' calls.
	 * @param functions the declared functions, looked up when first needed
	 * @param reactiveFunctions their {@link ReactiveFunctions}, or {@code null}; looked up
	 * when first needed
	 * @param partitionKeys the key of a call whose method names none, or {@code null};
	 * looked up when first needed
	 */
	public BusinessFunctionInterceptor(Supplier<BusinessFunctions> functions, Supplier<?> reactiveFunctions,
			Supplier<PartitionKeyResolver> partitionKeys) {
		this.functions = functions;
		this.reactiveFunctions = reactiveFunctions;
		this.partitionKeys = partitionKeys;
	}

	@Override
	public Object invoke(MethodInvocation invocation) throws Throwable {
		Object target = invocation.getThis();
		Plan plan = plan(invocation);
		if (plan == null) {
			return invocation.proceed();
		}
		Object[] args = invocation.getArguments();
		if (plan.kind().reactive()) {
			Function<Throwable, Object> fallback = (plan.fallback() != null)
					? (cause) -> fallback(plan, target, args, cause) : null;
			return ReactiveInvocation.call(this.reactiveFunctions.get(), plan.function(), plan.kind() == ReturnKind.FLUX,
					() -> proceed(invocation), fallback);
		}
		IsolatedFunction function = this.functions.get().get(plan.function());
		String key = partitionKey(function, plan, args);
		if (plan.fallback() == null) {
			// A refusal becomes a FunctionRefusedException, what the call threw stays as is.
			return plan.asynchronous() ? function.callAsync(key, () -> asStage(proceed(invocation)))
					: function.call(key, () -> proceed(invocation));
		}
		if (plan.asynchronous()) {
			Function<Throwable, CompletionStage<Object>> fallback = (cause) -> asStage(
					fallback(plan, target, args, cause));
			return function.callAsync(key, () -> asStage(proceed(invocation)), fallback);
		}
		return function.call(key, () -> proceed(invocation), (cause) -> fallback(plan, target, args, cause));
	}

	/**
	 * The outer half of a call split around Spring Framework's {@code @Retryable} and
	 * {@code @ConcurrencyLimit}: answers with the fallback method, or a
	 * {@link FunctionRefusedException}, once the inner half and the retries between them
	 * have given up.
	 * @param invocation the method invocation
	 * @return the method's result, or the fallback's
	 * @throws Throwable what the method or the fallback threw, or the refusal
	 * @see ResilientMethodsComposition
	 */
	Object answer(MethodInvocation invocation) throws Throwable {
		Object target = invocation.getThis();
		Plan plan = plan(invocation);
		if (plan == null || plan.asynchronous()) {
			return invocation.proceed();
		}
		Object result;
		try {
			result = invocation.proceed();
		}
		catch (Throwable ex) {
			if (plan.fallback() == null) {
				throw ex;
			}
			boolean refusedHere = ex instanceof FunctionRefusedException refusal
					&& refusal.getFunction().equals(plan.function());
			return fallback(plan, target, invocation.getArguments(), refusedHere ? ex.getCause() : ex);
		}
		if (result instanceof Refused refused) {
			if (plan.fallback() == null) {
				throw refused.exception();
			}
			return fallback(plan, target, invocation.getArguments(), refused.exception().getCause());
		}
		return result;
	}

	/**
	 * The inner half of a split call: one attempt through the function. A refusal at the
	 * door (open circuit, full pool, concurrency limit) comes back as a value, not thrown,
	 * so that a retry between the halves ends at once instead of trying again into it; a
	 * call past its time limit, or one that threw, is thrown for the retry to judge.
	 * An asynchronous method runs whole here, since Spring's retry does not see a future's
	 * failure.
	 * @param invocation the method invocation
	 * @return the method's result, or the refusal for the outer half
	 * @throws Throwable what the method threw, or a time-limit refusal
	 */
	Object attempt(MethodInvocation invocation) throws Throwable {
		Plan plan = plan(invocation);
		if (plan == null) {
			return invocation.proceed();
		}
		if (plan.asynchronous()) {
			return invoke(invocation);
		}
		try {
			IsolatedFunction function = this.functions.get().get(plan.function());
			return function.call(partitionKey(function, plan, invocation.getArguments()), () -> proceed(invocation));
		}
		catch (FunctionRefusedException ex) {
			if (ex.getFunction().equals(plan.function()) && ex.getReason() != FunctionRefusedException.Reason.TIME_LIMIT) {
				return new Refused(ex);
			}
			throw ex;
		}
	}

	// The call's key in a partitioned function: the method's own expression, or the
	// resolver's; null (not limited) in a function that is not partitioned.
	private String partitionKey(IsolatedFunction function, Plan plan, Object[] args) {
		if (function.getPartitions() == null) {
			return null;
		}
		if (plan.partitionKey() != null) {
			Object key = plan.partitionKey()
				.getValue(new MethodBasedEvaluationContext(null, plan.method(), args, this.parameterNames));
			return (key != null) ? key.toString() : null;
		}
		PartitionKeyResolver resolver = this.partitionKeys.get();
		return (resolver != null) ? resolver.partitionKey(plan.function(), plan.method(), args) : null;
	}

	private Plan plan(MethodInvocation invocation) {
		Object target = invocation.getThis();
		Class<?> targetClass = (target != null) ? AopUtils.getTargetClass(target) : invocation.getMethod().getDeclaringClass();
		return plan(targetClass, invocation.getMethod());
	}

	/**
	 * Checks a {@link BusinessFunction @BusinessFunction} method at startup: its function is
	 * declared and its fallback method exists and matches.
	 * @param targetClass the class of the bean
	 * @param method the method
	 * @throws BusinessFunctionDeclarationException if it cannot work as declared
	 */
	public void check(Class<?> targetClass, Method method) {
		plan(targetClass, method);
	}

	// Keyed by the method as invoked: resolving the most specific method is reflection,
	// done once per method and class, not on every call.
	private Plan plan(Class<?> targetClass, Method method) {
		return this.plans.computeIfAbsent(new MethodKey(targetClass, method),
				(key) -> createPlan(targetClass, AopUtils.getMostSpecificMethod(method, targetClass)));
	}

	private Plan createPlan(Class<?> targetClass, Method method) {
		BusinessFunction annotation = AnnotatedElementUtils.findMergedAnnotation(method, BusinessFunction.class);
		if (annotation == null) {
			return null;
		}
		BusinessFunctions functions = this.functions.get();
		if (!functions.contains(annotation.value())) {
			throw new BusinessFunctionDeclarationException(
					BusinessFunctionDeclarationException.Kind.UNDECLARED_FUNCTION, FallbackMethod.describe(targetClass, method)
					+ " calls business function '" + annotation.value() + "', which is not declared; declared functions: "
					+ functions.getFunctions().keySet() + ". Declare it under faultline.functions."
					+ annotation.value() + " (in YAML, a function with nothing to set needs an empty value, '"
					+ annotation.value() + ":', since YAML drops an empty '{}')");
		}
		FallbackMethod fallback = annotation.fallbackMethod().isEmpty() ? null
				: FallbackMethod.resolve(targetClass, method, annotation.fallbackMethod());
		ReturnKind kind = ReturnKind.of(targetClass, method);
		if (kind.reactive() && this.reactiveFunctions.get() == null) {
			throw new BusinessFunctionDeclarationException(BusinessFunctionDeclarationException.Kind.UNSUPPORTED_RETURN_TYPE,
					FallbackMethod.describe(targetClass, method) + " returns " + method.getReturnType().getSimpleName()
							+ ", and a business function protects a Mono or Flux only with resilience4j-reactor "
							+ "(io.github.resilience4j:resilience4j-reactor) on the classpath");
		}
		if (kind == ReturnKind.FLUX && ReactiveInvocation.runsOnPool(this.reactiveFunctions.get(), annotation.value())) {
			throw new BusinessFunctionDeclarationException(BusinessFunctionDeclarationException.Kind.UNSUPPORTED_RETURN_TYPE,
					FallbackMethod.describe(targetClass, method) + " returns Flux, and business function '"
							+ annotation.value() + "' runs its calls' blocking work on its pool (faultline.functions."
							+ annotation.value() + ".blocking=true), where a Flux would be buffered whole: return a "
							+ "Mono (of a List), or leave the function non-blocking");
		}
		if (kind != ReturnKind.VALUE && ResilientMethodsComposition.retryDeclaredOn(targetClass, method)) {
			throw new BusinessFunctionDeclarationException(BusinessFunctionDeclarationException.Kind.RETRY_OF_FUTURE,
					FallbackMethod.describe(targetClass, method) + " is a @BusinessFunction returning "
							+ method.getReturnType().getSimpleName() + " with Spring's @Retryable, which Faultline "
							+ "composes only with a method that returns its value: one returning a future retries "
							+ "nothing (its failure comes later), and a Mono or Flux would be retried around its "
							+ "fallback");
		}
		return new Plan(annotation.value(), fallback, kind, method,
				partitionKey(targetClass, method, annotation, functions.get(annotation.value())));
	}

	private Expression partitionKey(Class<?> targetClass, Method method, BusinessFunction annotation,
			IsolatedFunction function) {
		if (annotation.partitionKey().isBlank()) {
			return null;
		}
		String where = FallbackMethod.describe(targetClass, method) + " has partitionKey '" + annotation.partitionKey()
				+ "'";
		if (function.getPartitions() == null) {
			throw new BusinessFunctionDeclarationException(BusinessFunctionDeclarationException.Kind.INVALID_PARTITION_KEY,
					where + ", but business function '" + annotation.value() + "' is not partitioned: set "
							+ "faultline.functions." + annotation.value() + ".partition.share");
		}
		try {
			return this.expressions.parseExpression(annotation.partitionKey());
		}
		catch (ParseException ex) {
			throw new BusinessFunctionDeclarationException(BusinessFunctionDeclarationException.Kind.INVALID_PARTITION_KEY,
					where + ", which is not a Spring expression: " + ex.getMessage());
		}
	}

	private static Object proceed(MethodInvocation invocation) throws Exception {
		try {
			return invocation.proceed();
		}
		catch (Exception | Error ex) {
			throw ex;
		}
		catch (Throwable ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static Object fallback(Plan plan, Object target, Object[] args, Throwable cause) {
		try {
			return plan.fallback().invoke(target, args, cause);
		}
		catch (Throwable ex) {
			return sneakyThrow(ex);
		}
	}

	@SuppressWarnings("unchecked")
	private static CompletionStage<Object> asStage(Object value) {
		return (value != null) ? (CompletionStage<Object>) value : CompletableFuture.completedFuture(null);
	}

	// Lets the fallback's own checked exception reach the caller unchanged.
	@SuppressWarnings("unchecked")
	private static <E extends Throwable> Object sneakyThrow(Throwable ex) throws E {
		throw (E) ex;
	}

	/** A refusal carried past a retry as a value, to the outer half. */
	record Refused(FunctionRefusedException exception) {
	}

	private record Plan(String function, FallbackMethod fallback, ReturnKind kind, Method method,
			Expression partitionKey) {

		// Anything but a plain value: the split around Spring's retry passes it whole.
		boolean asynchronous() {
			return this.kind != ReturnKind.VALUE;
		}

	}

	private record MethodKey(Class<?> targetClass, Method method) {
	}

}
