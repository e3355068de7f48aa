package dev.faultline.function;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import dev.faultline.detector.DetectorSnapshot;
import dev.faultline.peer.HeartbeatMonitor;
import dev.faultline.peer.Peer;
import dev.faultline.peer.PeerInstance;
import dev.faultline.peer.PeerRegistry;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreaker.State;
import io.github.resilience4j.circuitbreaker.IllegalStateTransitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lets the failure detector drive the circuit breakers: a function linked to a peer
 * ({@code faultline.functions.NAME.peer}) has its circuit opened as soon as the peer is
 * suspected (every instance of it), so callers get the fallback at once instead of each
 * paying the time limit until enough failures pile up; when the peer is heard from again
 * the circuit goes half-open and resilience4j's trial calls decide whether it closes.
 *
 * <p>
 * Checked after every tick of the heartbeat monitor. The circuit is held open for as long
 * as the peer is suspected, whatever opened it: one that resilience4j opened on its
 * failure rate is re-opened for the hold, otherwise resilience4j would try half-open
 * after its own wait and send trial calls to a peer known to be gone. A circuit an
 * operator has disabled, forced open or set to metrics only is left alone until the
 * operator releases it. Should the operator set metrics only in the instant between the
 * link's look at the state and its transition, resilience4j refuses the transition and
 * the tick goes on; a circuit disabled or forced open in that instant is overwritten by
 * the link (resilience4j allows those transitions) and must be set again.
 */
public final class PeerCircuitLinks implements HeartbeatMonitor.Listener {

	private static final Logger logger = LoggerFactory.getLogger(PeerCircuitLinks.class);

	// Longer than any outage; the link ends the hold itself when the peer comes back.
	private static final Duration HOLD = Duration.ofDays(1);

	private final List<Link> links;

	/**
	 * Links every function that names a peer to that peer.
	 * @param functions the business functions
	 * @param peers the peers
	 */
	public PeerCircuitLinks(BusinessFunctions functions, PeerRegistry peers) {
		List<Link> links = new ArrayList<>();
		for (IsolatedFunction function : functions.getFunctions().values()) {
			if (function.getPeer() != null) {
				Peer peer = peers.find(function.getPeer())
					.orElseThrow(() -> new IllegalArgumentException(
							function + " is linked to peer '" + function.getPeer() + "', which is not declared"));
				links.add(new Link(function, peer));
			}
		}
		this.links = List.copyOf(links);
	}

	@Override
	public void ticked() {
		for (Link link : this.links) {
			try {
				link.follow();
			}
			catch (IllegalStateTransitionException ex) {
				// Someone (an operator, resilience4j itself) changed the state since the link
				// read it; the next tick looks again.
				logger.debug("Circuit of business function '{}' changed state under the link: {}",
						link.function.getName(), ex.getMessage());
			}
		}
	}

	/**
	 * Returns whether the circuit of the named function is held open because its peer is
	 * suspected.
	 * @param function the function's name
	 * @return whether the link holds its circuit open
	 */
	public boolean isHolding(String function) {
		return this.links.stream().anyMatch((link) -> link.function.getName().equals(function) && link.holding);
	}

	private static final class Link {

		private final IsolatedFunction function;

		private final Peer peer;

		private volatile boolean holding;

		Link(IsolatedFunction function, Peer peer) {
			this.function = function;
			this.peer = peer;
		}

		// Called on the monitor's single thread only.
		void follow() {
			CircuitBreaker breaker = this.function.getCircuitBreaker();
			State state = breaker.getState();
			if (state == State.DISABLED || state == State.FORCED_OPEN || state == State.METRICS_ONLY) {
				// The operator's choice: hands off until it is released.
				this.holding = false;
				return;
			}
			if (!this.peer.isAvailable()) {
				if (!this.holding || state != State.OPEN) {
					// Also from OPEN: resilience4j's own open state ends after its wait, the hold
					// only when the peer is back.
					breaker.transitionToOpenStateFor(HOLD);
					if (!this.holding) {
						logger.warn("{} the circuit of business function '{}': peer '{}' is suspected ({})",
								(state == State.OPEN) ? "Holding open" : "Opened", this.function.getName(),
								this.peer.getName(), describe(this.peer));
					}
					this.holding = true;
				}
			}
			else if (this.holding) {
				if (state == State.OPEN) {
					CircuitTransitionLog.byLink(breaker::transitionToHalfOpenState);
					logger.info("Circuit of business function '{}' is half-open: peer '{}' is available again ({})",
							this.function.getName(), this.peer.getName(), describe(this.peer));
				}
				// Only once released: should the transition fail, the next tick tries again.
				this.holding = false;
			}
		}

		private static String describe(Peer peer) {
			if (peer.getInstances().isEmpty()) {
				return "no instance listed under service id '" + peer.getServiceId() + "'";
			}
			StringBuilder description = new StringBuilder();
			for (PeerInstance instance : peer.getInstances()) {
				DetectorSnapshot snapshot = instance.snapshot();
				if (description.length() > 0) {
					description.append(", ");
				}
				description.append(instance.getName())
					.append(String.format(Locale.ROOT, " phi %.2f %s threshold %.2f", snapshot.phi(),
							snapshot.available() ? "<" : ">=", snapshot.threshold()));
			}
			return description.toString();
		}

	}

}
