package dev.faultline.actuate;

import java.util.List;
import java.util.Locale;

import dev.faultline.peer.HeartbeatKind;
import dev.faultline.peer.PeerInstance;
import dev.faultline.peer.PeerRegistry;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * Micrometer meters for every peer instance, tagged by {@code peer} and {@code instance}
 * only, so the number of series stays bounded by configuration:
 * <ul>
 * <li>{@code faultline.peer.phi}: the detector's suspicion level now;</li>
 * <li>{@code faultline.peer.available}: 1 while the instance is available, else 0;</li>
 * <li>{@code faultline.peer.heartbeats}: heartbeats received, tagged {@code kind}
 * {@code active} or {@code passive};</li>
 * <li>{@code faultline.peer.probe.failures}: probes that got no successful answer.</li>
 * </ul>
 */
public final class PeerMetrics implements MeterBinder {

	private final List<PeerInstance> instances;

	/**
	 * Creates meters for every instance of the registry.
	 * @param registry the peers
	 */
	public PeerMetrics(PeerRegistry registry) {
		this.instances = registry.getInstances();
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		for (PeerInstance instance : this.instances) {
			Tags tags = Tags.of("peer", instance.getPeerName(), "instance", instance.getName());
			Gauge.builder("faultline.peer.phi", instance, (i) -> i.getDetector().phi())
				.tags(tags)
				.description("Suspicion level of the peer instance's failure detector")
				.register(registry);
			Gauge.builder("faultline.peer.available", instance, (i) -> i.isAvailable() ? 1 : 0)
				.tags(tags)
				.description("Whether the peer instance is considered alive (1) or suspected (0)")
				.register(registry);
			for (HeartbeatKind kind : HeartbeatKind.values()) {
				FunctionCounter.builder("faultline.peer.heartbeats", instance, (i) -> i.heartbeats(kind))
					.tags(tags.and("kind", kind.name().toLowerCase(Locale.ROOT)))
					.description("Heartbeats received from the peer instance")
					.register(registry);
			}
			FunctionCounter.builder("faultline.peer.probe.failures", instance, PeerInstance::failedProbes)
				.tags(tags)
				.description("Probes of the peer instance that got no successful answer")
				.register(registry);
		}
	}

}
