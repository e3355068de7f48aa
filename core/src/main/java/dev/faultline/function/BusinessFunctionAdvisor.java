package dev.faultline.function;

import java.util.function.Supplier;

import org.aopalliance.aop.Advice;
import org.aopalliance.intercept.MethodInterceptor;

import org.springframework.aop.Advisor;
import org.springframework.aop.Pointcut;
import org.springframework.aop.support.AbstractPointcutAdvisor;
import org.springframework.aop.support.DefaultPointcutAdvisor;
import org.springframework.aop.support.annotation.AnnotationMatchingPointcut;

/**
 * Applies {@link BusinessFunctionInterceptor} to {@link BusinessFunction @BusinessFunction}
 * methods. On a bean that also carries Spring Framework's resilient-method annotations it
 * is split in two around them by {@link ResilientMethodsComposition}.
 */
public final class BusinessFunctionAdvisor extends AbstractPointcutAdvisor {

	private static final Pointcut POINTCUT = new AnnotationMatchingPointcut(null, BusinessFunction.class, true);

	private final Supplier<BusinessFunctionInterceptor> interceptor;

	/**
	 * Creates the advisor.
	 * @param interceptor the interceptor, looked up at the first call: the advisor is
	 * created with the proxies, before the functions' registries
	 */
	public BusinessFunctionAdvisor(Supplier<BusinessFunctionInterceptor> interceptor) {
		this.interceptor = interceptor;
	}

	@Override
	public Pointcut getPointcut() {
		return POINTCUT;
	}

	@Override
	public Advice getAdvice() {
		return (MethodInterceptor) (invocation) -> this.interceptor.get().invoke(invocation);
	}

	Advisor answering() {
		return new DefaultPointcutAdvisor(POINTCUT,
				(MethodInterceptor) (invocation) -> this.interceptor.get().answer(invocation));
	}

	Advisor attempting() {
		return new DefaultPointcutAdvisor(POINTCUT,
				(MethodInterceptor) (invocation) -> this.interceptor.get().attempt(invocation));
	}

}
