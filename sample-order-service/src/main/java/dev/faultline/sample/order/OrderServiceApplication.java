package dev.faultline.sample.order;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.scheduling.annotation.EnableScheduling;

/**
 * The order service of a small shop, built on the Faultline starter: three business
 * functions ({@code order}, {@code payment}, {@code delivery}) each on its own pool, the
 * payment circuit following the payment peer's φ, fallbacks that keep orders coming in
 * while payment is down, and a recovery task that catches up once it is back.
 */
@SpringBootApplication
@EnableScheduling
public class OrderServiceApplication {

	public static void main(String[] args) {
		SpringApplication.run(OrderServiceApplication.class, args);
	}

}
