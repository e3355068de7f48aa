package dev.faultline.sample.payment;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The payment service: the downstream peer that the order service calls and watches.
 * Payments, idempotency and fault injection come in a later issue; for now it answers
 * its liveness probe, which is what the order service's heartbeats ask.
 */
@SpringBootApplication
public class PaymentServiceApplication {

	public static void main(String[] args) {
		SpringApplication.run(PaymentServiceApplication.class, args);
	}

}
