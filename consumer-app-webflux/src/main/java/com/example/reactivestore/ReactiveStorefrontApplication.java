package com.example.reactivestore;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * A shop front on Spring WebFlux that shows a product page put together from four other
 * services, without blocking a thread on any of them.
 */
@SpringBootApplication
public class ReactiveStorefrontApplication {

	public static void main(String[] args) {
		SpringApplication.run(ReactiveStorefrontApplication.class, args);
	}

}
