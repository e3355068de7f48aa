package dev.faultline.benchmarks;

import java.util.ArrayList;
import java.util.List;

import dev.faultline.benchmarks.ShopUnderLoad.Phase;
import dev.faultline.benchmarks.ShopUnderLoad.Results;

/**
 * Isolation under load, on the two sample services as real processes on 127.0.0.1 (see
 * {@link ShopUnderLoad}): a fixed number of requests per second for a fixed time to the
 * delivery-only endpoint and to {@code POST /orders}, first with payment healthy, then with
 * payment hung (through its fault endpoint), for order-service with Faultline enabled and
 * with it disabled (the same code calling payment directly on the request threads). Both
 * runs give the order service the same 32 request threads, as a small service would have.
 *
 * <p>
 * Run from the repository root after building the samples:
 * {@code java -cp benchmarks/target/benchmarks.jar dev.faultline.benchmarks.IsolationUnderLoad}.
 */
public final class IsolationUnderLoad {

	private IsolationUnderLoad() {
	}

	public static void main(String[] args) throws Exception {
		System.out.printf("%d requests/s to each endpoint, %d s per phase, client timeout %d s, JVM %s%n",
				ShopUnderLoad.RATE, ShopUnderLoad.PHASE.toSeconds(), ShopUnderLoad.CLIENT_TIMEOUT.toSeconds(),
				System.getProperty("java.runtime.version"));
		List<String> rows = new ArrayList<>();
		for (boolean faultline : new boolean[] { true, false }) {
			rows.addAll(run(faultline));
		}
		System.out.println();
		System.out.println("| Faultline | endpoint | payment | throughput /s | p50 ms | p99 ms | 5xx | failed |");
		System.out.println("|---|---|---|---:|---:|---:|---:|---:|");
		rows.forEach(System.out::println);
		System.exit(0);
	}

	private static List<String> run(boolean faultline) throws Exception {
		try (ShopUnderLoad shop = ShopUnderLoad.start("--faultline.enabled=" + faultline)) {
			Phase healthy = shop.measure();
			shop.hangPayment(true);
			Phase hung = shop.measure();
			shop.hangPayment(false);
			String mode = faultline ? "enabled" : "disabled";
			List<String> rows = new ArrayList<>();
			rows.add(healthy.delivery.row(mode, "delivery slots", "healthy"));
			rows.add(hung.delivery.row(mode, "delivery slots", "hung"));
			rows.add(healthy.orders.row(mode, "POST /orders", "healthy"));
			rows.add(hung.orders.row(mode, "POST /orders", "hung"));
			System.out.printf("Faultline %s: delivery throughput hung/healthy %.2f, p99 hung/healthy %s; "
					+ "orders throughput hung/healthy %.2f, 5xx while hung %d%n", mode,
					hung.delivery.throughput() / healthy.delivery.throughput(), ratio(hung.delivery, healthy.delivery),
					hung.orders.throughput() / healthy.orders.throughput(), hung.orders.serverErrors.get());
			return rows;
		}
	}

	private static String ratio(Results hung, Results healthy) {
		return hung.latencies.isEmpty() ? "–" : String.format("%.1f", (double) hung.p99() / healthy.p99());
	}

}
