package dev.faultline.function;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Runs a Spring bean method as a call of a business function: on the function's own
 * thread pool, through its circuit breaker and within its time limit, with the fallback
 * method answering when the call cannot succeed.
 *
 * <p>
 * A method returning a {@code CompletionStage} (or {@code CompletableFuture}) is
 * asynchronous: the caller gets a stage at once. Any other method runs on the pool while
 * the caller waits at most the time limit.
 *
 * <p>
 * The fallback method is declared on the same class, takes the method's parameters
 * followed by one {@link Throwable} parameter (or a subtype: it is then used only for
 * causes of that type) and returns the same type. A fallback that does not exist or does
 * not match stops startup with the signature it expects, as does a function that is not
 * declared under {@code faultline.functions}.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface BusinessFunction {

	/**
	 * The function's name, as declared under {@code faultline.functions}.
	 * @return the name
	 */
	String value();

	/**
	 * The name of the fallback method on the same class; empty for none, in which case the
	 * cause is thrown to the caller.
	 * @return the fallback method's name
	 */
	String fallbackMethod() default "";

	/**
	 * The key of a call in a partitioned function ({@code faultline.functions.<name>.partition.share}),
	 * such as the customer it is for: a Spring expression over the method's arguments, by
	 * name ({@code #order.customerId}) or position ({@code #p0}). Empty for the
	 * {@link PartitionKeyResolver} bean's key, or the {@code partition.header}'s. A call
	 * whose key is {@code null} is not limited.
	 * @return the expression
	 */
	String partitionKey() default "";

}
