package dev.faultline.sample.payment.fault;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.boot.actuate.endpoint.EndpointId;
import org.springframework.boot.actuate.endpoint.annotation.DeleteOperation;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.boot.actuate.endpoint.web.annotation.WebEndpoint;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.lang.Nullable;

/**
 * The {@code faults} endpoint: shows, sets and clears the faults injected into the main
 * port. Only over HTTP, and only with the token checked by {@link FaultTokenFilter}.
 */
@WebEndpoint(id = "faults")
public class FaultsEndpoint {

	static final EndpointId ID = EndpointId.of("faults");

	private final FaultInjector injector;

	private final ResourceFaults resources;

	FaultsEndpoint(FaultInjector injector, ResourceFaults resources) {
		this.injector = injector;
		this.resources = resources;
	}

	@ReadOperation
	public FaultsDescriptor faults() {
		return describe(this.injector.settings());
	}

	/**
	 * Changes the faults that are given and keeps the others.
	 * @param latency added to every request: milliseconds as a number, or a duration such
	 * as {@code "500ms"}, {@code "2s"} or {@code "PT0.5S"}
	 * @param errorRate probability from 0.0 to 1.0 that a request gets a 503
	 * @param hang {@code true} to hold every request unanswered, {@code false} to release
	 * them
	 * @param cpuBurn spin threads that burn the CPU for this long (a duration as for
	 * {@code latency}); zero stops a burn
	 * @param memoryLeak {@code true} to keep allocating heap and holding it until the
	 * process is killed or the faults are cleared
	 * @return the faults now in force, or a 400 problem naming the value that is out of
	 * range
	 */
	@WriteOperation
	public WebEndpointResponse<Object> update(@Nullable Duration latency, @Nullable Double errorRate,
			@Nullable Boolean hang, @Nullable Duration cpuBurn, @Nullable Boolean memoryLeak) {
		try {
			FaultSettings settings = this.injector.update(latency, errorRate, hang);
			if (cpuBurn != null) {
				this.resources.burnCpu(cpuBurn);
			}
			if (Boolean.TRUE.equals(memoryLeak)) {
				this.resources.leakMemory();
			}
			return new WebEndpointResponse<>(describe(settings));
		}
		catch (IllegalArgumentException ex) {
			Map<String, Object> problem = new LinkedHashMap<>();
			problem.put("type", "about:blank");
			problem.put("title", HttpStatus.BAD_REQUEST.getReasonPhrase());
			problem.put("status", HttpStatus.BAD_REQUEST.value());
			problem.put("detail", ex.getMessage());
			return new WebEndpointResponse<>(problem, HttpStatus.BAD_REQUEST.value(), MediaType.APPLICATION_PROBLEM_JSON);
		}
	}

	/**
	 * Removes every fault, releases held requests, stops a CPU burn and lets leaked memory
	 * go.
	 * @return no faults
	 */
	@DeleteOperation
	public FaultsDescriptor clear() {
		this.resources.clear();
		return describe(this.injector.clear());
	}

	private FaultsDescriptor describe(FaultSettings settings) {
		return new FaultsDescriptor(settings.latency().toString(), settings.latency().toMillis(),
				settings.errorRate(), settings.hang(), this.injector.hungRequests(), this.injector.maxHang().toString(),
				this.resources.isBurning(), this.resources.heldMemoryMb());
	}

	/**
	 * The faults in force, as the endpoint shows them.
	 *
	 * @param latency the added latency as an ISO-8601 duration
	 * @param latencyMs the same in milliseconds
	 * @param errorRate probability that a request gets a 503
	 * @param hang whether requests are held
	 * @param hungRequests how many requests are held right now
	 * @param maxHang the longest a request is held
	 * @param cpuBurning whether threads burn the CPU
	 * @param leakedMemoryMb the heap a memory leak holds, in mebibytes
	 */
	public record FaultsDescriptor(String latency, long latencyMs, double errorRate, boolean hang, int hungRequests,
			String maxHang, boolean cpuBurning, long leakedMemoryMb) {
	}

}
