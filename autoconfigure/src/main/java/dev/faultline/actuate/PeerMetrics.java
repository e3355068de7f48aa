package dev.faultline.actuate;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import dev.faultline.peer.HeartbeatKind;
import dev.faultline.peer.HeartbeatMonitor;
import dev.faultline.peer.PeerInstance;
import dev.faultline.peer.PeerRegistry;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * Micrometer meters for every peer instance, tagged by {@code peer} and {@code instance}
 * only, so the number of series stays bounded by the instances there are:
 * <ul>
 * <li>{@code faultline.peer.phi}: the detector's suspicion level now;</li>
 * <li>{@code faultline.peer.phi.threshold}: the level at which the detector suspects the
 * instance, so that a dashboard draws φ against the threshold in force rather than a
 * number copied from the configuration;</li>
 * <li>{@code faultline.peer.available}: 1 while the instance is available, else 0;</li>
 * <li>{@code faultline.peer.heartbeats}: heartbeats received, tagged {@code kind}
 * {@code active} or {@code passive};</li>
 * <li>{@code faultline.peer.probe.failures}: probes that got no successful answer;</li>
 * <li>{@code faultline.peer.requests}: requests of the ready clients sent to it.</li>
 * </ul>
 * An instance that discovery lists later gets its meters on the heartbeat monitor's next
 * tick; one it no longer lists has them removed, so its series end with it.
 */
public final class PeerMetrics implements MeterBinder, HeartbeatMonitor.Listener {

	private final PeerRegistry peers;

	private final List<MeterRegistry> registries = new ArrayList<>();

	private final Map<PeerInstance, List<Meter>> meters = new IdentityHashMap<>();

	private List<PeerInstance> bound = List.of();

	/**
	 * Creates meters for every instance of the registry.
	 * @param registry the peers
	 */
	public PeerMetrics(PeerRegistry registry) {
		this.peers = registry;
	}

	@Override
	public synchronized void bindTo(MeterRegistry registry) {
		this.registries.add(registry);
		this.bound = this.peers.getInstances();
		for (PeerInstance instance : this.bound) {
			this.meters.computeIfAbsent(instance, (key) -> new ArrayList<>()).addAll(register(instance, registry));
		}
	}

	@Override
	public void ticked() {
		if (this.peers.getInstances() != this.bound) {
			follow();
		}
	}

	private synchronized void follow() {
		List<PeerInstance> instances = this.peers.getInstances();
		Set<PeerInstance> listed = Collections.newSetFromMap(new IdentityHashMap<>());
		listed.addAll(instances);
		for (Iterator<Map.Entry<PeerInstance, List<Meter>>> it = this.meters.entrySet().iterator(); it.hasNext();) {
			Map.Entry<PeerInstance, List<Meter>> entry = it.next();
			if (!listed.contains(entry.getKey())) {
				for (Meter meter : entry.getValue()) {
					this.registries.forEach((registry) -> registry.remove(meter));
				}
				it.remove();
			}
		}
		for (PeerInstance instance : instances) {
			if (!this.meters.containsKey(instance)) {
				List<Meter> registered = new ArrayList<>();
				this.registries.forEach((registry) -> registered.addAll(register(instance, registry)));
				this.meters.put(instance, registered);
			}
		}
		this.bound = instances;
	}

	private static List<Meter> register(PeerInstance instance, MeterRegistry registry) {
		List<Meter> meters = new ArrayList<>();
		Tags tags = Tags.of("peer", instance.getPeerName(), "instance", instance.getName());
		meters.add(Gauge.builder("faultline.peer.phi", instance, (i) -> i.getDetector().phi())
			.tags(tags)
			.description("Suspicion level of the peer instance's failure detector")
			.register(registry));
		meters.add(Gauge.builder("faultline.peer.phi.threshold", instance, (i) -> i.getDetector().threshold())
			.tags(tags)
			.description("Suspicion level at which the peer instance's failure detector suspects it")
			.register(registry));
		meters.add(Gauge.builder("faultline.peer.available", instance, (i) -> i.isAvailable() ? 1 : 0)
			.tags(tags)
			.description("Whether the peer instance is considered alive (1) or suspected (0)")
			.register(registry));
		for (HeartbeatKind kind : HeartbeatKind.values()) {
			meters.add(FunctionCounter.builder("faultline.peer.heartbeats", instance, (i) -> i.heartbeats(kind))
				.tags(tags.and("kind", kind.name().toLowerCase(Locale.ROOT)))
				.description("Heartbeats received from the peer instance")
				.register(registry));
		}
		meters.add(FunctionCounter.builder("faultline.peer.probe.failures", instance, PeerInstance::failedProbes)
			.tags(tags)
			.description("Probes of the peer instance that got no successful answer")
			.register(registry));
		meters.add(FunctionCounter.builder("faultline.peer.requests", instance, PeerInstance::requestsSent)
			.tags(tags)
			.description("Requests of the ready clients sent to the peer instance")
			.register(registry));
		return meters;
	}

}
