package dev.faultline.peer.cloud;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import dev.faultline.peer.PeerInstance;
import dev.faultline.peer.PeerRegistry;
import reactor.core.publisher.Flux;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.client.loadbalancer.Request;
import org.springframework.cloud.loadbalancer.core.ServiceInstanceListSupplier;

/**
 * Spring Cloud LoadBalancer's list of instances to choose from, without those Faultline
 * suspects: {@code @LoadBalanced} clients then skip them until their heartbeats bring them
 * back. When every instance Faultline watches is suspected none is left out, since the
 * trouble is then no single instance's (the peer is suspected, its circuits open).
 * Instances Faultline does not watch pass as they are.
 */
public final class SuspectedInstancesFilter implements ServiceInstanceListSupplier, DisposableBean {

	private final ServiceInstanceListSupplier delegate;

	private final PeerRegistry registry;

	/**
	 * Wraps a supplier.
	 * @param delegate the supplier of the load balancer's instances
	 * @param registry the peers
	 */
	public SuspectedInstancesFilter(ServiceInstanceListSupplier delegate, PeerRegistry registry) {
		this.delegate = delegate;
		this.registry = registry;
	}

	@Override
	public String getServiceId() {
		return this.delegate.getServiceId();
	}

	@Override
	public Flux<List<ServiceInstance>> get() {
		return this.delegate.get().map(this::withoutSuspected);
	}

	@Override
	@SuppressWarnings("rawtypes")
	public Flux<List<ServiceInstance>> get(Request request) {
		return this.delegate.get(request).map(this::withoutSuspected);
	}

	List<ServiceInstance> withoutSuspected(List<ServiceInstance> instances) {
		List<ServiceInstance> kept = new ArrayList<>(instances.size());
		boolean anyWatched = false;
		boolean anyAvailable = false;
		for (ServiceInstance service : instances) {
			Optional<PeerInstance> watched = ServiceInstances.find(this.registry, service);
			if (watched.isEmpty()) {
				kept.add(service);
				continue;
			}
			anyWatched = true;
			if (watched.get().isAvailable()) {
				anyAvailable = true;
				kept.add(service);
			}
		}
		return (anyWatched && !anyAvailable) ? instances : kept;
	}

	// Stands in for the delegate as the bean: its own clean-up (a health-check supplier
	// stops polling) must still run.
	@Override
	public void destroy() throws Exception {
		if (this.delegate instanceof DisposableBean disposable) {
			disposable.destroy();
		}
	}

	/**
	 * Returns the supplier this one filters.
	 * @return the delegate
	 */
	public ServiceInstanceListSupplier getDelegate() {
		return this.delegate;
	}

}
