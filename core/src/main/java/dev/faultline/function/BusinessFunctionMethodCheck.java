package dev.faultline.function;

import java.util.function.Supplier;

import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.util.ReflectionUtils;

/**
 * Checks every {@link BusinessFunction @BusinessFunction} method of every bean as the bean
 * is created, so a misdeclared function or fallback stops startup instead of failing at
 * the first call in production.
 */
public final class BusinessFunctionMethodCheck implements BeanPostProcessor {

	private final Supplier<BusinessFunctionInterceptor> interceptor;

	/**
	 * Creates the check.
	 * @param interceptor the interceptor whose plans are checked, looked up when first
	 * needed
	 */
	public BusinessFunctionMethodCheck(Supplier<BusinessFunctionInterceptor> interceptor) {
		this.interceptor = interceptor;
	}

	@Override
	public Object postProcessAfterInitialization(Object bean, String beanName) {
		Class<?> targetClass = AopUtils.getTargetClass(bean);
		ReflectionUtils.doWithMethods(targetClass, (method) -> this.interceptor.get().check(targetClass, method),
				(method) -> AnnotatedElementUtils.hasAnnotation(method, BusinessFunction.class));
		return bean;
	}

}
