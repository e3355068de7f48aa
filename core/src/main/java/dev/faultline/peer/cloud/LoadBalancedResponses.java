package dev.faultline.peer.cloud;

import dev.faultline.peer.PeerRegistry;

import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.client.loadbalancer.CompletionContext;
import org.springframework.cloud.client.loadbalancer.LoadBalancerLifecycle;
import org.springframework.cloud.client.loadbalancer.Request;
import org.springframework.cloud.client.loadbalancer.Response;
import org.springframework.cloud.client.loadbalancer.ResponseData;
import org.springframework.http.client.ClientHttpResponse;

/**
 * Turns the responses that Spring Cloud LoadBalancer's clients get into passive
 * heartbeats of the instances that gave them: a {@code @LoadBalanced} request's
 * observation carries the service's name, not the instance's address, so it is heard of
 * here.
 */
public final class LoadBalancedResponses implements LoadBalancerLifecycle<Object, Object, ServiceInstance> {

	private final PeerRegistry registry;

	/**
	 * Creates the lifecycle for the peers of a registry.
	 * @param registry the peers
	 */
	public LoadBalancedResponses(PeerRegistry registry) {
		this.registry = registry;
	}

	@Override
	public boolean supports(Class requestContextClass, Class responseClass, Class serverTypeClass) {
		return ServiceInstance.class.isAssignableFrom(serverTypeClass);
	}

	@Override
	public void onStart(Request<Object> request) {
	}

	@Override
	public void onStartRequest(Request<Object> request, Response<ServiceInstance> lbResponse) {
	}

	@Override
	public void onComplete(CompletionContext<Object, ServiceInstance, Object> completion) {
		Response<ServiceInstance> chosen = completion.getLoadBalancerResponse();
		if (chosen == null || !chosen.hasServer()) {
			return;
		}
		Integer status = status(completion.getClientResponse());
		if (status != null) {
			ServiceInstances.find(this.registry, chosen.getServer()).ifPresent((instance) -> instance.responded(status));
		}
	}

	// A failed request (no response) is no heartbeat: nothing answered.
	private static Integer status(Object response) {
		try {
			if (response instanceof ResponseData data && data.getHttpStatus() != null) {
				return data.getHttpStatus().value();
			}
			if (response instanceof ClientHttpResponse http) {
				return http.getStatusCode().value();
			}
		}
		catch (Exception ex) {
			// a response whose status cannot be read tells nothing
		}
		return null;
	}

}
