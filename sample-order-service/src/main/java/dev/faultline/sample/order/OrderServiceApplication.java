package dev.faultline.sample.order;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The order service: uses the Faultline starter to watch its payment peer. Orders,
 * business functions and fallbacks come in a later issue; for now it shows the payment
 * service's health as Faultline sees it at {@code /actuator/health/peers}.
 */
@SpringBootApplication
public class OrderServiceApplication {

	public static void main(String[] args) {
		SpringApplication.run(OrderServiceApplication.class, args);
	}

}
