package dev.faultline.sample.payment.fault;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Faults of the whole process rather than of its requests: threads that burn the CPU for a
 * while, and a leak that keeps allocating heap and holding it, until the process is killed
 * (by its container's memory limit when the heap may grow past it) or the fault is
 * cleared.
 */
public class ResourceFaults {

	/** What the leak allocates at a time. */
	static final int LEAK_CHUNK_BYTES = 4 << 20;

	/** The pause between two allocations of the leak: about 80 MiB a second. */
	static final Duration LEAK_PACE = Duration.ofMillis(50);

	private static final Logger logger = LoggerFactory.getLogger(ResourceFaults.class);

	private final int burnThreads;

	private final AtomicReference<Burn> burn = new AtomicReference<>();

	private final AtomicReference<Leak> leak = new AtomicReference<>();

	/**
	 * Creates the faults, none in force.
	 * @param burnThreads how many threads a CPU burn spins
	 */
	public ResourceFaults(int burnThreads) {
		if (burnThreads < 1) {
			throw new IllegalArgumentException("burnThreads must be at least 1 (was " + burnThreads + ")");
		}
		this.burnThreads = burnThreads;
	}

	/**
	 * Spins the burn threads for this long, replacing a burn in progress.
	 * @param duration how long; zero stops a burn in progress
	 */
	public void burnCpu(Duration duration) {
		if (duration == null || duration.isNegative()) {
			throw new IllegalArgumentException("cpuBurn must be zero or a positive duration such as 20s (was "
					+ duration + ")");
		}
		Burn next = duration.isZero() ? null : new Burn(System.nanoTime() + duration.toNanos());
		Burn previous = this.burn.getAndSet(next);
		if (previous != null) {
			previous.stop();
		}
		if (next != null) {
			logger.warn("Burning the CPU with {} threads for {}", this.burnThreads, duration);
			for (int i = 0; i < this.burnThreads; i++) {
				Thread thread = new Thread(next::spin, "cpu-burn-" + i);
				thread.setDaemon(true);
				thread.start();
			}
		}
	}

	/**
	 * Returns whether a CPU burn is in progress.
	 * @return whether the burn threads spin
	 */
	public boolean isBurning() {
		Burn current = this.burn.get();
		return current != null && current.isOn();
	}

	/**
	 * Starts the leak: a thread that allocates a chunk of heap at a steady pace and holds
	 * every one, until {@link #clear()}. Nothing changes if it is leaking already.
	 */
	public void leakMemory() {
		Leak next = new Leak();
		if (this.leak.compareAndSet(null, next)) {
			logger.warn("Leaking memory: {} MiB every {} and holding it", LEAK_CHUNK_BYTES >> 20, LEAK_PACE);
			Thread thread = new Thread(next::grow, "memory-leak");
			thread.setDaemon(true);
			thread.start();
		}
	}

	/**
	 * Returns how much heap the leak holds.
	 * @return mebibytes held
	 */
	public long heldMemoryMb() {
		Leak current = this.leak.get();
		return (current != null) ? current.held.get() >> 20 : 0;
	}

	/**
	 * Stops a burn and a leak, letting the leaked memory go.
	 */
	public void clear() {
		Burn previousBurn = this.burn.getAndSet(null);
		if (previousBurn != null) {
			previousBurn.stop();
		}
		Leak previousLeak = this.leak.getAndSet(null);
		if (previousLeak != null) {
			previousLeak.stop();
		}
	}

	private static final class Burn {

		private final long until;

		private volatile boolean stopped;

		Burn(long until) {
			this.until = until;
		}

		boolean isOn() {
			return !this.stopped && System.nanoTime() - this.until < 0;
		}

		void stop() {
			this.stopped = true;
		}

		void spin() {
			long x = 1;
			while (isOn()) {
				for (int i = 0; i < 100_000; i++) {
					x = x * 6364136223846793005L + 1442695040888963407L;
				}
			}
			if (x == 42) {
				logger.trace("unlikely");
			}
		}

	}

	private static final class Leak {

		private final List<byte[]> chunks = new ArrayList<>();

		private final AtomicLong held = new AtomicLong();

		private volatile boolean stopped;

		void stop() {
			this.stopped = true;
		}

		void grow() {
			try {
				while (!this.stopped) {
					byte[] chunk = new byte[LEAK_CHUNK_BYTES];
					// Written, so that every page is resident, not only reserved.
					Arrays.fill(chunk, (byte) 1);
					synchronized (this.chunks) {
						this.chunks.add(chunk);
					}
					this.held.addAndGet(chunk.length);
					Thread.sleep(LEAK_PACE.toMillis());
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			catch (OutOfMemoryError ex) {
				// The heap's maximum came before the container's limit: hold what was taken.
				logger.error("The memory leak reached the heap's maximum after {} MiB", this.held.get() >> 20);
				while (!this.stopped) {
					try {
						Thread.sleep(LEAK_PACE.toMillis());
					}
					catch (InterruptedException interrupted) {
						Thread.currentThread().interrupt();
						return;
					}
				}
			}
			finally {
				if (this.stopped) {
					synchronized (this.chunks) {
						this.chunks.clear();
					}
				}
			}
		}

	}

}
