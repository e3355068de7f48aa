package dev.faultline.function;

import java.lang.reflect.Method;

/**
 * Tells the key of a call of a partitioned function, such as the customer it is for, when
 * its {@link BusinessFunction#partitionKey()} does not: a bean of this type, or Faultline's
 * own that reads the HTTP header named by {@code faultline.functions.<name>.partition.header}.
 */
@FunctionalInterface
public interface PartitionKeyResolver {

	/**
	 * Returns the key of a call.
	 * @param function the function's name
	 * @param method the method called
	 * @param args its arguments
	 * @return the key, or {@code null} for a call that is not limited
	 */
	String partitionKey(String function, Method method, Object[] args);

}
