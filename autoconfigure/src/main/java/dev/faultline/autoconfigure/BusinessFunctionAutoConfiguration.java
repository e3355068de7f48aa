package dev.faultline.autoconfigure;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import dev.faultline.function.BusinessFunction;
import dev.faultline.function.BusinessFunctionAdvisor;
import dev.faultline.function.BusinessFunctionInterceptor;
import dev.faultline.function.BusinessFunctionMethodCheck;
import dev.faultline.function.BusinessFunctions;
import dev.faultline.function.IsolatedFunction;
import dev.faultline.function.PartitionKeyResolver;
import dev.faultline.function.PeerCircuitLinks;
import dev.faultline.function.ReactiveFunctions;
import dev.faultline.function.RequestAttributesAccessor;
import dev.faultline.function.ResilientMethodsComposition;
import dev.faultline.function.Threads;
import dev.faultline.function.TimeLimitScheduler;
import dev.faultline.peer.PeerRegistry;
import dev.faultline.web.RequestHeaderPartitionKey;
import io.github.resilience4j.bulkhead.BulkheadRegistry;
import io.github.resilience4j.bulkhead.ThreadPoolBulkhead;
import io.github.resilience4j.bulkhead.ThreadPoolBulkheadRegistry;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.timelimiter.TimeLimiter;
import io.github.resilience4j.timelimiter.TimeLimiterRegistry;
import io.micrometer.context.ContextRegistry;
import io.micrometer.context.ContextSnapshotFactory;
import io.micrometer.context.integration.Slf4jThreadLocalAccessor;

import org.springframework.aop.Advisor;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Role;
import org.springframework.core.env.Environment;
import org.springframework.util.ClassUtils;

/**
 * Auto-configuration for business functions: one resilience4j thread-pool bulkhead (or,
 * for a function on virtual threads, a semaphore bulkhead), circuit breaker and time
 * limiter per function declared under {@code faultline.functions}, the programmatic
 * {@link BusinessFunctions} API and the {@link BusinessFunction @BusinessFunction}
 * annotation.
 *
 * <p>
 * A function runs its calls on virtual threads when its {@code threads} says
 * {@code virtual}, or says nothing and the application turned virtual threads on
 * ({@code spring.threads.virtual.enabled=true}) on Java 21 or later: an application that
 * serves its requests on virtual threads gets its functions on them too, and one that
 * did not ask keeps the platform pools.
 */
// After resilience4j's registries, by name: resilience4j-spring-boot3 on Boot 3.5,
// resilience4j-spring-boot4 on Boot 4, whichever is there.
@AutoConfiguration(after = PeerAutoConfiguration.class,
		afterName = { "io.github.resilience4j.springboot3.bulkhead.autoconfigure.BulkheadAutoConfiguration",
				"io.github.resilience4j.springboot3.circuitbreaker.autoconfigure.CircuitBreakerAutoConfiguration",
				"io.github.resilience4j.springboot3.timelimiter.autoconfigure.TimeLimiterAutoConfiguration",
				"io.github.resilience4j.springboot.bulkhead.autoconfigure.BulkheadAutoConfiguration",
				"io.github.resilience4j.springboot.circuitbreaker.autoconfigure.CircuitBreakerAutoConfiguration",
				"io.github.resilience4j.springboot.timelimiter.autoconfigure.TimeLimiterAutoConfiguration" })
@ConditionalOnBooleanProperty(name = "faultline.enabled", matchIfMissing = true)
@ConditionalOnClass({ ThreadPoolBulkhead.class, CircuitBreaker.class, TimeLimiter.class, Advisor.class })
public final class BusinessFunctionAutoConfiguration {

	static final String REACTIVE_FUNCTIONS = "faultlineReactiveFunctions";

	private static final String VIRTUAL_THREADS = "spring.threads.virtual.enabled";

	@Bean(destroyMethod = "close")
	@ConditionalOnMissingBean
	TimeLimitScheduler timeLimitScheduler() {
		return new TimeLimitScheduler();
	}

	@Bean
	@ConditionalOnMissingBean(name = "faultlineContextSnapshotFactory")
	ContextSnapshotFactory faultlineContextSnapshotFactory() {
		// Accessors found on the classpath (Observation, Spring Security, …), plus MDC and
		// Spring's request attributes, which register none of their own.
		ContextRegistry registry = new ContextRegistry().loadContextAccessors().loadThreadLocalAccessors();
		registry.registerThreadLocalAccessor(new Slf4jThreadLocalAccessor());
		if (ClassUtils.isPresent("org.springframework.web.context.request.RequestContextHolder",
				BusinessFunctionAutoConfiguration.class.getClassLoader())) {
			registry.registerThreadLocalAccessor(new RequestAttributesAccessor());
		}
		return ContextSnapshotFactory.builder().contextRegistry(registry).clearMissing(true).build();
	}

	@Bean
	@ConditionalOnMissingBean
	BusinessFunctions businessFunctions(FaultlineProperties properties,
			ObjectProvider<ThreadPoolBulkheadRegistry> bulkheads, ObjectProvider<BulkheadRegistry> concurrencyLimits,
			ObjectProvider<CircuitBreakerRegistry> circuitBreakers, ObjectProvider<TimeLimiterRegistry> timeLimiters,
			TimeLimitScheduler scheduler, ObjectProvider<ContextSnapshotFactory> snapshots, Environment environment) {
		ThreadPoolBulkheadRegistry bulkheadRegistry = bulkheads.getIfAvailable(ThreadPoolBulkheadRegistry::ofDefaults);
		CircuitBreakerRegistry circuitBreakerRegistry = circuitBreakers.getIfAvailable(CircuitBreakerRegistry::ofDefaults);
		TimeLimiterRegistry timeLimiterRegistry = timeLimiters.getIfAvailable(TimeLimiterRegistry::ofDefaults);
		ContextSnapshotFactory snapshotFactory = snapshots.getObject();
		List<IsolatedFunction> functions = new ArrayList<>();
		Threads defaultThreads = defaultThreads(environment.getProperty(VIRTUAL_THREADS, Boolean.class, false));
		properties.getFunctions().forEach((name, function) -> {
			Threads threads = (function.getThreads() != null) ? function.getThreads() : defaultThreads;
			if (threads == Threads.VIRTUAL) {
				BulkheadRegistry limits = concurrencyLimits.getIfAvailable(BulkheadRegistry::ofDefaults);
				functions.add(new IsolatedFunction(name, limits.bulkhead(name), circuitBreakerRegistry.circuitBreaker(name),
						timeLimiterRegistry.timeLimiter(name), function.getPeer(), scheduler.executor(), snapshotFactory));
			}
			else {
				functions.add(new IsolatedFunction(name, bulkheadRegistry.bulkhead(name),
						circuitBreakerRegistry.circuitBreaker(name), timeLimiterRegistry.timeLimiter(name),
						function.getPeer(), scheduler.executor(), snapshotFactory));
			}
			if (function.getPartition().getShare() != null) {
				functions.get(functions.size() - 1).partitionBy(function.getPartition().getShare());
			}
		});
		return new BusinessFunctions(functions);
	}

	/**
	 * Returns where the named function's calls run, as the configuration says before the
	 * properties are bound.
	 * @param function the function's name
	 * @param binder the configuration
	 * @return its threads
	 */
	static Threads threadsOf(String function, Binder binder) {
		// As text: a value that is no Threads is reported when the properties are bound.
		String configured = binder
			.bind(ConfigurationPropertyName.adapt("faultline.functions." + function + ".threads", '.'),
					Bindable.of(String.class))
			.map((value) -> value.trim().toLowerCase(Locale.ROOT))
			.orElse("");
		return switch (configured) {
			case "virtual" -> Threads.VIRTUAL;
			case "platform" -> Threads.PLATFORM;
			default -> defaultThreads("true".equalsIgnoreCase(binder.bind(VIRTUAL_THREADS, String.class).orElse("")));
		};
	}

	// As Spring Boot's own threading: virtual threads only when asked for and available.
	private static Threads defaultThreads(boolean asked) {
		return (asked && Threads.virtualAvailable()) ? Threads.VIRTUAL : Threads.PLATFORM;
	}

	@Bean
	@ConditionalOnMissingBean
	PeerCircuitLinks peerCircuitLinks(BusinessFunctions functions, PeerRegistry peers) {
		return new PeerCircuitLinks(functions, peers);
	}

	@Bean
	@Role(BeanDefinition.ROLE_INFRASTRUCTURE)
	@ConditionalOnMissingBean
	static BusinessFunctionInterceptor businessFunctionInterceptor(ObjectProvider<BusinessFunctions> functions,
			BeanFactory beans) {
		// By name: the class is Reactor's to load, and Reactor is optional.
		return new BusinessFunctionInterceptor(functions::getObject,
				() -> beans.containsBean(REACTIVE_FUNCTIONS) ? beans.getBean(REACTIVE_FUNCTIONS) : null,
				() -> beans.getBeanProvider(PartitionKeyResolver.class).getIfAvailable());
	}

	/**
	 * The key of a partitioned function's call from the HTTP request header its
	 * {@code partition.header} names, in a Spring MVC application.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = "jakarta.servlet.http.HttpServletRequest")
	static class RequestHeaderPartitionKeyConfiguration {

		@Bean
		@ConditionalOnMissingBean
		PartitionKeyResolver faultlinePartitionKeyResolver(FaultlineProperties properties) {
			Map<String, String> headers = new LinkedHashMap<>();
			properties.getFunctions().forEach((name, function) -> {
				if (function.getPartition().getHeader() != null) {
					headers.put(name, function.getPartition().getHeader());
				}
			});
			return new RequestHeaderPartitionKey(headers);
		}

	}

	/**
	 * Calls of business functions returning Reactor's {@code Mono} and {@code Flux}, when
	 * Reactor and resilience4j-reactor are on the classpath.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = { "reactor.core.publisher.Mono",
			"io.github.resilience4j.reactor.bulkhead.operator.BulkheadOperator" })
	static class ReactiveFunctionsConfiguration {

		@Bean(REACTIVE_FUNCTIONS)
		ReactiveFunctions faultlineReactiveFunctions(BusinessFunctions functions,
				ObjectProvider<BulkheadRegistry> concurrencyLimits, FaultlineProperties properties) {
			BulkheadRegistry limits = concurrencyLimits.getIfAvailable(BulkheadRegistry::ofDefaults);
			return new ReactiveFunctions(functions, limits::bulkhead, (name) -> {
				FaultlineProperties.Function function = properties.getFunctions().get(name);
				return function != null && function.isBlocking();
			});
		}

	}

	@Bean
	@Role(BeanDefinition.ROLE_INFRASTRUCTURE)
	static Advisor businessFunctionAdvisor(ObjectProvider<BusinessFunctionInterceptor> interceptor) {
		return new BusinessFunctionAdvisor(interceptor::getObject);
	}

	@Bean
	@ConditionalOnClass(name = "org.springframework.resilience.annotation.Retryable")
	static ResilientMethodsComposition resilientMethodsComposition() {
		return new ResilientMethodsComposition();
	}

	@Bean
	static BusinessFunctionMethodCheck businessFunctionMethodCheck(ObjectProvider<BusinessFunctionInterceptor> interceptor) {
		return new BusinessFunctionMethodCheck(interceptor::getObject);
	}

}
