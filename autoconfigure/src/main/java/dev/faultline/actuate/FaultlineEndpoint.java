package dev.faultline.actuate;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import dev.faultline.detector.DetectorSnapshot;
import dev.faultline.function.BusinessFunctions;
import dev.faultline.function.IsolatedFunction;
import dev.faultline.function.Partitions;
import dev.faultline.peer.Peer;
import dev.faultline.peer.PeerInstance;
import dev.faultline.peer.PeerRegistry;
import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.ThreadPoolBulkhead;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;

import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;

/**
 * The {@code faultline} Actuator endpoint: every business function's threads (its pool,
 * or its concurrency limit on virtual threads), circuit breaker, time limit and linked
 * peer, and every peer's φ and availability, in one
 * readable document.
 */
@Endpoint(id = "faultline")
public class FaultlineEndpoint {

	/** The busiest keys of a partitioned function shown: no more, whatever the number of keys. */
	static final int BUSIEST_KEYS = 5;

	private final BusinessFunctions functions;

	private final PeerRegistry peers;

	/**
	 * Creates the endpoint.
	 * @param functions the business functions
	 * @param peers the peers
	 */
	public FaultlineEndpoint(BusinessFunctions functions, PeerRegistry peers) {
		this.functions = functions;
		this.peers = peers;
	}

	/**
	 * Describes every function and peer now.
	 * @return the description
	 */
	@ReadOperation
	public FaultlineDescriptor faultline() {
		Map<String, FunctionDescriptor> functions = new LinkedHashMap<>();
		this.functions.getFunctions().forEach((name, function) -> functions.put(name, describe(function)));
		Map<String, PeerDescriptor> peers = new LinkedHashMap<>();
		this.peers.getPeers().forEach((name, peer) -> peers.put(name, describe(peer)));
		return new FaultlineDescriptor(functions, peers);
	}

	private static FunctionDescriptor describe(IsolatedFunction function) {
		CircuitBreaker breaker = function.getCircuitBreaker();
		CircuitBreaker.Metrics calls = breaker.getMetrics();
		Bulkhead reactive = function.getReactiveConcurrencyLimit();
		return new FunctionDescriptor(function.getThreads().name().toLowerCase(Locale.ROOT), pool(function),
				concurrencyLimit(function.getConcurrencyLimit(), function),
				(reactive != function.getConcurrencyLimit()) ? concurrencyLimit(reactive, function) : null,
				partitions(function),
				new CircuitBreakerDescriptor(breaker.getState().name(), calls.getFailureRate(), calls.getSlowCallRate(),
						calls.getNumberOfBufferedCalls(), calls.getNumberOfFailedCalls(), calls.getNumberOfSlowCalls(),
						calls.getNumberOfNotPermittedCalls()),
				function.timeLimit().toMillis(), function.getPeer());
	}

	private static PoolDescriptor pool(IsolatedFunction function) {
		ThreadPoolBulkhead bulkhead = function.getBulkhead();
		if (bulkhead == null) {
			return null;
		}
		ThreadPoolBulkhead.Metrics pool = bulkhead.getMetrics();
		return new PoolDescriptor(pool.getCoreThreadPoolSize(), pool.getMaximumThreadPoolSize(), pool.getThreadPoolSize(),
				pool.getActiveThreadCount(), pool.getQueueDepth(), pool.getQueueCapacity(), function.rejectedCalls());
	}

	private static ConcurrencyLimitDescriptor concurrencyLimit(Bulkhead limit, IsolatedFunction function) {
		if (limit == null) {
			return null;
		}
		Bulkhead.Metrics metrics = limit.getMetrics();
		return new ConcurrencyLimitDescriptor(metrics.getMaxAllowedConcurrentCalls(),
				metrics.getMaxAllowedConcurrentCalls() - metrics.getAvailableConcurrentCalls(), function.rejectedCalls());
	}

	private static PartitionsDescriptor partitions(IsolatedFunction function) {
		Partitions partitions = function.getPartitions();
		if (partitions == null) {
			return null;
		}
		return new PartitionsDescriptor(partitions.places(), partitions.share(), partitions.activeKeys(),
				partitions.busiest(BUSIEST_KEYS), function.partitionRejectedCalls());
	}

	private static PeerDescriptor describe(Peer peer) {
		Map<String, InstanceDescriptor> instances = new LinkedHashMap<>();
		for (PeerInstance instance : peer.getInstances()) {
			DetectorSnapshot snapshot = instance.snapshot();
			instances.put(instance.getName(), new InstanceDescriptor(instance.displayUri(), instance.isAvailable(),
					peer.isActive(instance),
					Math.round(snapshot.phi() * 1000.0) / 1000.0, snapshot.threshold(),
					snapshot.sinceLastHeartbeat().toMillis(),
					(instance.lastProbe() != null) ? instance.lastProbe().toString() : null, instance.requestsSent(),
					instance.requestsInFlight()));
		}
		return new PeerDescriptor(peer.isAvailable(), instances);
	}

	/**
	 * Every function and peer.
	 *
	 * @param functions the functions by name
	 * @param peers the peers by name
	 */
	public record FaultlineDescriptor(Map<String, FunctionDescriptor> functions, Map<String, PeerDescriptor> peers) {
	}

	/**
	 * One business function.
	 *
	 * @param threads where its calls run: {@code platform} (its pool) or {@code virtual}
	 * (a virtual thread each, under its concurrency limit)
	 * @param pool its thread pool; {@code null} on virtual threads
	 * @param concurrencyLimit its concurrency limit on virtual threads; {@code null} on
	 * the pool
	 * @param reactiveConcurrencyLimit the concurrency limit of its {@code Mono} and
	 * {@code Flux} calls, which need no thread of the pool; {@code null} before the first
	 * such call, and on virtual threads, where it is the concurrency limit
	 * @param partitions how its places are shared out by key; {@code null} when it is not
	 * partitioned
	 * @param circuitBreaker its circuit breaker
	 * @param timeLimitMs the longest a caller waits, in milliseconds
	 * @param peer the peer it calls, if linked
	 */
	public record FunctionDescriptor(String threads, PoolDescriptor pool, ConcurrencyLimitDescriptor concurrencyLimit,
			ConcurrencyLimitDescriptor reactiveConcurrencyLimit, PartitionsDescriptor partitions,
			CircuitBreakerDescriptor circuitBreaker, long timeLimitMs, String peer) {
	}

	/**
	 * How a function's places are shared out by key.
	 *
	 * @param places all its places: its pool's most threads and its queue, or its
	 * concurrency limit
	 * @param share the most places one key may hold
	 * @param activeKeys the keys holding places now
	 * @param busiest the keys holding the most places now, with how many, busiest first
	 * @param rejectedCalls the calls turned away since startup because their key held its
	 * share
	 */
	public record PartitionsDescriptor(int places, int share, int activeKeys, Map<String, Integer> busiest,
			long rejectedCalls) {
	}

	/**
	 * The concurrency limit of a function on virtual threads.
	 *
	 * @param maxConcurrentCalls the most calls that may run at once
	 * @param inFlight the calls running now
	 * @param rejectedCalls the calls turned away since startup because the limit was
	 * reached
	 */
	public record ConcurrencyLimitDescriptor(int maxConcurrentCalls, int inFlight, long rejectedCalls) {
	}

	/**
	 * A function's thread pool.
	 *
	 * @param coreSize the core number of threads
	 * @param maxSize the most threads it may have
	 * @param size the threads it has now
	 * @param activeThreads the threads running a call now
	 * @param queueDepth the calls waiting for a thread now
	 * @param queueCapacity the most calls that may wait
	 * @param rejectedCalls the calls turned away since startup because pool and queue were
	 * full
	 */
	public record PoolDescriptor(int coreSize, int maxSize, int size, int activeThreads, int queueDepth,
			int queueCapacity, long rejectedCalls) {
	}

	/**
	 * A function's circuit breaker, with resilience4j's figures for its sliding window.
	 *
	 * @param state the state, such as {@code CLOSED} or {@code OPEN}
	 * @param failureRate the failure rate in percent, or -1 before the minimum number of
	 * calls
	 * @param slowCallRate the slow-call rate in percent, or -1 before the minimum number of
	 * calls
	 * @param bufferedCalls the calls in the window
	 * @param failedCalls the failed calls in the window
	 * @param slowCalls the slow calls in the window
	 * @param notPermittedCalls the calls refused while open, since the last transition
	 */
	public record CircuitBreakerDescriptor(String state, float failureRate, float slowCallRate, int bufferedCalls,
			int failedCalls, int slowCalls, long notPermittedCalls) {
	}

	/**
	 * A peer.
	 *
	 * @param available whether at least one instance is available
	 * @param instances its instances by name
	 */
	public record PeerDescriptor(boolean available, Map<String, InstanceDescriptor> instances) {
	}

	/**
	 * One instance of a peer.
	 *
	 * @param url its URL without user-info or query
	 * @param available whether it is considered alive
	 * @param active whether requests go to it now
	 * @param phi its detector's suspicion level
	 * @param threshold the level at which it is suspected
	 * @param sinceLastHeartbeatMs the silence so far, in milliseconds
	 * @param lastProbe what the latest probe got, such as {@code HTTP 200} or
	 * {@code connection refused}; {@code null} before the first
	 * @param requests the requests of the ready client sent to it so far
	 * @param requestsInFlight those of them still waiting for its answer
	 */
	public record InstanceDescriptor(String url, boolean available, boolean active, double phi, double threshold,
			long sinceLastHeartbeatMs, String lastProbe, long requests, int requestsInFlight) {
	}

}
