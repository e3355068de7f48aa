package dev.faultline.sample.payment.fault;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Holds the current {@link FaultSettings} and applies them to requests.
 * <p>
 * A hang is a latch: requests that arrive while it is on wait on it, and releasing the hang
 * opens it for all of them at once. A request never waits longer than {@code maxHang}, so a
 * hang that is forgotten does not hold threads for ever. The settings and the latch change
 * together, by compare-and-set, so a request sees either the old faults or the new ones.
 */
public class FaultInjector {

	private static final Logger logger = LoggerFactory.getLogger(FaultInjector.class);

	private final Duration maxHang;

	private final AtomicReference<State> state = new AtomicReference<>(new State(FaultSettings.NONE, null));

	private final AtomicInteger hungRequests = new AtomicInteger();

	/**
	 * Creates an injector with no faults.
	 * @param maxHang the longest a request is held by a hang
	 */
	public FaultInjector(Duration maxHang) {
		if (maxHang == null || maxHang.isNegative() || maxHang.isZero()) {
			throw new IllegalArgumentException("maxHang must be a positive duration such as 10m (was " + maxHang + ")");
		}
		this.maxHang = maxHang;
	}

	public FaultSettings settings() {
		return this.state.get().settings();
	}

	/**
	 * Returns how many requests a hang holds right now.
	 * @return the number of held requests
	 */
	public int hungRequests() {
		return this.hungRequests.get();
	}

	public Duration maxHang() {
		return this.maxHang;
	}

	/**
	 * Changes the faults that are given and keeps the others. Turning the hang off releases
	 * every request it holds.
	 * @param latency the new latency, or {@code null} to keep it
	 * @param errorRate the new error rate, or {@code null} to keep it
	 * @param hang whether to hang, or {@code null} to keep it
	 * @return the faults now in force
	 * @throws IllegalArgumentException if a value is out of range; nothing is changed then
	 */
	public FaultSettings update(Duration latency, Double errorRate, Boolean hang) {
		if (latency != null && latency.compareTo(this.maxHang) > 0) {
			throw new IllegalArgumentException(
					"latency must be at most maxHang " + this.maxHang + " (was " + latency + ")");
		}
		State previous;
		State next;
		do {
			previous = this.state.get();
			FaultSettings current = previous.settings();
			FaultSettings updated = new FaultSettings((latency != null) ? latency : current.latency(),
					(errorRate != null) ? errorRate : current.errorRate(), (hang != null) ? hang : current.hang());
			CountDownLatch release = !updated.hang() ? null
					: (previous.release() != null) ? previous.release() : new CountDownLatch(1);
			next = new State(updated, release);
		}
		while (!this.state.compareAndSet(previous, next));
		if (previous.release() != null && next.release() == null) {
			previous.release().countDown();
		}
		if (!previous.settings().equals(next.settings())) {
			logger.warn("Injected faults are now: latency {}, errorRate {}, hang {}", next.settings().latency(),
					next.settings().errorRate(), next.settings().hang());
		}
		return next.settings();
	}

	/**
	 * Removes every fault and releases the requests a hang holds.
	 * @return no faults
	 */
	public FaultSettings clear() {
		return update(FaultSettings.NONE.latency(), FaultSettings.NONE.errorRate(), FaultSettings.NONE.hang());
	}

	/**
	 * Applies the faults in force to one request on the calling thread: holds it while a
	 * hang is on, then waits the latency, then draws whether it fails.
	 * @return what to do with the request
	 * @throws InterruptedException if the thread is interrupted while held or delayed
	 */
	public Outcome inject() throws InterruptedException {
		State current = this.state.get();
		if (current.release() != null) {
			this.hungRequests.incrementAndGet();
			try {
				if (!current.release().await(this.maxHang.toNanos(), TimeUnit.NANOSECONDS)) {
					return Outcome.HANG_EXPIRED;
				}
			}
			finally {
				this.hungRequests.decrementAndGet();
			}
			// Released: the faults may have changed while the request was held.
			current = this.state.get();
		}
		FaultSettings settings = current.settings();
		if (!settings.latency().isZero()) {
			TimeUnit.NANOSECONDS.sleep(settings.latency().toNanos());
		}
		if (settings.errorRate() > 0 && ThreadLocalRandom.current().nextDouble() < settings.errorRate()) {
			return Outcome.FAIL;
		}
		return Outcome.PROCEED;
	}

	/**
	 * What happens to a request after the faults were applied.
	 */
	public enum Outcome {

		/**
		 * Handle it.
		 */
		PROCEED,

		/**
		 * Answer it with an injected error.
		 */
		FAIL,

		/**
		 * A hang held it for {@code maxHang} and was not released: give up on it.
		 */
		HANG_EXPIRED

	}

	private record State(FaultSettings settings, CountDownLatch release) {
	}

}
