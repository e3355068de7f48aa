package dev.faultline.function;

import java.lang.annotation.Annotation;
import java.lang.reflect.Method;

import org.springframework.aop.Advisor;
import org.springframework.aop.framework.Advised;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.util.ClassUtils;

/**
 * Puts a {@link BusinessFunction @BusinessFunction} together with Spring Framework 7's
 * {@code @Retryable} and {@code @ConcurrencyLimit} in one order, from the caller in:
 * <ol>
 * <li>the function's answer: its fallback method, or a {@link FunctionRefusedException};</li>
 * <li>{@code @ConcurrencyLimit};</li>
 * <li>{@code @Retryable};</li>
 * <li>the function: breaker, threads and time limit, once per attempt;</li>
 * <li>the method.</li>
 * </ol>
 * So every retry is a call that the breaker counts; a refusal at the door (open circuit,
 * full pool) ends the retries at once, because it reaches the retry as a value and not as
 * an exception; and the fallback answers only when the retries have given up, or when the
 * concurrency limit rejects the call.
 * <p>
 * Spring adds its own advisors in front of those already on the proxy; this post-processor
 * is not ordered, so it runs after Spring's and moves Faultline's halves into place. Beans
 * without Spring's resilient-method advisors keep Faultline's single advisor.
 */
public final class ResilientMethodsComposition implements BeanPostProcessor {

	private static final String RESILIENCE_PACKAGE = "org.springframework.resilience.";

	private static final Class<?> RETRY_INTERCEPTOR = load(RESILIENCE_PACKAGE + "retry.AbstractRetryInterceptor");

	private static final Class<? extends Annotation> RETRYABLE = annotation(RESILIENCE_PACKAGE + "annotation.Retryable");

	@Override
	public Object postProcessAfterInitialization(Object bean, String beanName) {
		if (!(bean instanceof Advised advised) || advised.isFrozen()) {
			return bean;
		}
		Advisor[] advisors = advised.getAdvisors();
		int function = -1;
		int retry = -1;
		boolean resilient = false;
		for (int i = 0; i < advisors.length; i++) {
			Object advice = advisors[i].getAdvice();
			if (advisors[i] instanceof BusinessFunctionAdvisor) {
				function = i;
			}
			else if (advice.getClass().getName().startsWith(RESILIENCE_PACKAGE)) {
				resilient = true;
				if (RETRY_INTERCEPTOR != null && RETRY_INTERCEPTOR.isInstance(advice)) {
					retry = i;
				}
			}
		}
		if (function < 0 || !resilient) {
			return bean;
		}
		BusinessFunctionAdvisor whole = (BusinessFunctionAdvisor) advisors[function];
		advised.removeAdvisor(function);
		int attemptAt = (retry < 0) ? function : ((retry < function) ? retry + 1 : retry);
		advised.addAdvisor(attemptAt, whole.attempting());
		advised.addAdvisor(0, whole.answering());
		return bean;
	}

	/**
	 * Tells whether Spring Framework's {@code @Retryable} is on the method or its class.
	 * @param targetClass the bean's class
	 * @param method the method
	 * @return whether the method is retried by Spring
	 */
	static boolean retryDeclaredOn(Class<?> targetClass, Method method) {
		return RETRYABLE != null && (AnnotatedElementUtils.hasAnnotation(method, RETRYABLE)
				|| AnnotatedElementUtils.hasAnnotation(targetClass, RETRYABLE));
	}

	// Spring Framework 6 has no resilient methods: nothing to compose with there.
	private static Class<?> load(String name) {
		ClassLoader loader = ResilientMethodsComposition.class.getClassLoader();
		return ClassUtils.isPresent(name, loader) ? ClassUtils.resolveClassName(name, loader) : null;
	}

	@SuppressWarnings("unchecked")
	private static Class<? extends Annotation> annotation(String name) {
		return (Class<? extends Annotation>) load(name);
	}

}
