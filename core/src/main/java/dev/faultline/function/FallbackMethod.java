package dev.faultline.function;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

import org.springframework.util.ClassUtils;
import org.springframework.util.ReflectionUtils;

/**
 * The fallback method of a {@link BusinessFunction @BusinessFunction} method: same class,
 * the method's parameters followed by one {@link Throwable} (or subtype) parameter, and a
 * return type the method may return.
 */
final class FallbackMethod {

	private final Method method;

	private final Class<?> causeType;

	private FallbackMethod(Method method) {
		this.method = method;
		this.causeType = method.getParameterTypes()[method.getParameterCount() - 1];
		ReflectionUtils.makeAccessible(method);
	}

	/**
	 * Finds the fallback for {@code method} on {@code targetClass}.
	 * @throws BusinessFunctionDeclarationException if it is missing or does not match
	 */
	static FallbackMethod resolve(Class<?> targetClass, Method method, String name) {
		List<Method> candidates = new ArrayList<>();
		ReflectionUtils.doWithMethods(targetClass, candidates::add, (candidate) -> candidate.getName().equals(name));
		for (Method candidate : candidates) {
			if (matches(method, candidate)) {
				return new FallbackMethod(candidate);
			}
		}
		throw new BusinessFunctionDeclarationException(BusinessFunctionDeclarationException.Kind.FALLBACK_MISMATCH,
				"Fallback method '" + name + "' for " + describe(targetClass, method) + " is "
						+ (candidates.isEmpty() ? "missing" : "not compatible") + ": expected "
						+ expectedSignature(method, name) + " on " + targetClass.getName());
	}

	private static boolean matches(Method method, Method candidate) {
		Class<?>[] params = method.getParameterTypes();
		Class<?>[] candidateParams = candidate.getParameterTypes();
		if (candidateParams.length != params.length + 1
				|| !Throwable.class.isAssignableFrom(candidateParams[params.length])) {
			return false;
		}
		for (int i = 0; i < params.length; i++) {
			if (!candidateParams[i].equals(params[i])) {
				return false;
			}
		}
		return ClassUtils.isAssignable(method.getReturnType(), candidate.getReturnType());
	}

	private static String expectedSignature(Method method, String name) {
		String params = Arrays.stream(method.getParameterTypes())
			.map(Class::getSimpleName)
			.collect(Collectors.joining(", "));
		return method.getReturnType().getSimpleName() + " " + name + "(" + params + (params.isEmpty() ? "" : ", ")
				+ "Throwable cause)";
	}

	static String describe(Class<?> targetClass, Method method) {
		return targetClass.getName() + "." + method.getName() + "("
				+ Arrays.stream(method.getParameterTypes()).map(Class::getSimpleName).collect(Collectors.joining(", "))
				+ ")";
	}

	/**
	 * Calls the fallback; a cause it was not declared for is thrown on unchanged.
	 * @return the fallback's result
	 * @throws Throwable the cause, or what the fallback threw (with the cause attached as
	 * suppressed, so neither is lost)
	 */
	Object invoke(Object target, Object[] args, Throwable cause) throws Throwable {
		if (!this.causeType.isInstance(cause)) {
			throw cause;
		}
		Object[] fallbackArgs = Arrays.copyOf(args, args.length + 1);
		fallbackArgs[args.length] = cause;
		try {
			return this.method.invoke(target, fallbackArgs);
		}
		catch (InvocationTargetException ex) {
			Throwable failure = ex.getTargetException();
			if (failure != cause) {
				failure.addSuppressed(cause);
			}
			throw failure;
		}
	}

}
