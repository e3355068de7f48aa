package dev.faultline.e2e;

import java.time.Duration;

import dev.faultline.e2e.support.Order;
import dev.faultline.e2e.support.OrderRequest;
import dev.faultline.e2e.support.Placement;
import dev.faultline.e2e.support.SampleShop;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Smoke test of the suite's set-up: both samples start in containers from their boot
 * jars, talk to each other over loopback, and a hung payment service (paused) leaves an
 * order pending that is paid exactly once when it comes back.
 */
class ServicesStartIT {

	@RegisterExtension
	static final SampleShop shop = new SampleShop();

	@Test
	void placesAnOrderThatIsPaidOnceAndScheduled() {
		Placement placed = shop.orders().place(OrderRequest.of("customer-1"));

		assertThat(placed.status()).isEqualTo(201);
		assertThat(placed.order().status()).isEqualTo(Order.DELIVERY_SCHEDULED);
		assertThat(shop.payments().ofOrder(placed.order().id())).hasSize(1);
	}

	@Test
	void ordersPlacedWhilePaymentHangsArePaidOnceWhenItReturns() {
		Placement placed;
		shop.payment().pause();
		try {
			placed = shop.orders().place(OrderRequest.of("customer-1"));
		}
		finally {
			shop.payment().unpause();
		}

		// Order-service gives payment 1 s, then answers with what it could do.
		assertThat(placed.status()).isEqualTo(201);
		assertThat(placed.order().status()).isEqualTo(Order.PAYMENT_PENDING);
		String id = placed.order().id();
		// Recovery retries pending payments every 2 s once an order has been quiet for 3 s.
		await("order " + id + " scheduled").atMost(Duration.ofSeconds(60))
			.pollInterval(Duration.ofMillis(500))
			.untilAsserted(() -> assertThat(shop.orders().order(id).status()).isEqualTo(Order.DELIVERY_SCHEDULED));
		assertThat(shop.payments().ofOrder(id)).hasSize(1);
	}

}
