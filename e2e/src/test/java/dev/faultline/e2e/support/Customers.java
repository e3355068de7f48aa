package dev.faultline.e2e.support;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * Customers placing an order at a steady pace on their own threads, whatever the answers,
 * as the fault suites' traffic.
 */
public final class Customers {

	private static final Duration ANSWER_MARGIN = Duration.ofSeconds(30);

	private final ExecutorService threads = Executors.newCachedThreadPool();

	private final List<Future<Sent>> placements = Collections.synchronizedList(new ArrayList<>());

	private final AtomicBoolean running = new AtomicBoolean();

	private final Duration pace;

	private final Supplier<Placement> order;

	private Future<?> pacer;

	/**
	 * Creates customers.
	 * @param pace the time between two orders
	 * @param order places one order and returns its answer
	 */
	public Customers(Duration pace, Supplier<Placement> order) {
		this.pace = pace;
		this.order = order;
	}

	/**
	 * Starts placing orders.
	 */
	public void start() {
		this.running.set(true);
		this.pacer = this.threads.submit(() -> {
			while (this.running.get()) {
				this.placements.add(this.threads.submit(this::place));
				try {
					// The pace of the traffic, not a wait for a condition.
					Thread.sleep(this.pace.toMillis());
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
					return;
				}
			}
		});
	}

	private Sent place() {
		long started = System.nanoTime();
		try {
			return new Sent(started, this.order.get());
		}
		catch (RuntimeException ex) {
			return new Sent(started, Placement.unanswered(Duration.ofNanos(System.nanoTime() - started)));
		}
	}

	/**
	 * Stops placing orders and returns every placement's answer with when it was sent; a
	 * call still unanswered after the client's read time-out and a margin counts as
	 * unanswered.
	 * @return the placements, empty when already stopped
	 */
	public List<Sent> stop() {
		if (!this.running.getAndSet(false)) {
			return List.of();
		}
		List<Sent> answers = new ArrayList<>();
		try {
			this.pacer.get(10, TimeUnit.SECONDS);
			long deadline = System.nanoTime() + ANSWER_MARGIN.toNanos();
			synchronized (this.placements) {
				for (Future<Sent> placement : this.placements) {
					answers.add(answer(placement, deadline));
				}
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
		catch (ExecutionException | TimeoutException ex) {
			throw new IllegalStateException("The customers' pacer did not stop", ex);
		}
		finally {
			this.threads.shutdownNow();
		}
		return answers;
	}

	private static Sent answer(Future<Sent> placement, long deadline) throws InterruptedException {
		try {
			return placement.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
		}
		catch (ExecutionException | TimeoutException ex) {
			return new Sent(0, Placement.unanswered(ANSWER_MARGIN));
		}
	}

	/**
	 * A placement and when it was sent.
	 *
	 * @param sentAt {@link System#nanoTime()} when it was sent; 0 if it never came back
	 * @param placement its answer
	 */
	public record Sent(long sentAt, Placement placement) {
	}

}
