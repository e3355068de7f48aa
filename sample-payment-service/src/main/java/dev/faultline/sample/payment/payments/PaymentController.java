package dev.faultline.sample.payment.payments;

import java.net.URI;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Pattern;

import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The payments API: charge with an idempotency key, look payments up, count them.
 */
@RestController
@RequestMapping("/payments")
class PaymentController {

	static final String IDEMPOTENCY_KEY = "Idempotency-Key";

	static final String IDEMPOTENCY_KEY_RULE = "must be 1 to 100 printable ASCII characters";

	static final String REPLAYED = "Idempotent-Replayed";

	private final PaymentService payments;

	PaymentController(PaymentService payments) {
		this.payments = payments;
	}

	@PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
	ResponseEntity<Payment> charge(@RequestHeader(IDEMPOTENCY_KEY) @Pattern(regexp = "[\\x20-\\x7E]{1,100}",
			message = IDEMPOTENCY_KEY_RULE) String idempotencyKey, @Valid @RequestBody PaymentRequest request) {
		Charge charge = this.payments.charge(idempotencyKey, request);
		Payment payment = charge.payment();
		if (charge.replayed()) {
			return ResponseEntity.ok().header(REPLAYED, "true").body(payment);
		}
		return ResponseEntity.created(URI.create("/payments/" + payment.id())).body(payment);
	}

	@GetMapping("/{id}")
	Payment payment(@PathVariable String id) {
		return parseId(id).flatMap(this.payments::find).orElseThrow(() -> new PaymentNotFoundException(id));
	}

	@GetMapping
	List<Payment> paymentsOfOrder(@RequestParam @Pattern(regexp = PaymentRequest.ORDER_ID_PATTERN,
			message = PaymentRequest.ORDER_ID_RULE) String orderId) {
		return this.payments.findByOrder(orderId);
	}

	@GetMapping("/count")
	PaymentCount count() {
		return new PaymentCount(this.payments.count());
	}

	private static Optional<UUID> parseId(String id) {
		try {
			return Optional.of(UUID.fromString(id));
		}
		catch (IllegalArgumentException ex) {
			// Not an id this service could have given out: the payment does not exist.
			return Optional.empty();
		}
	}

	/**
	 * The body of {@code GET /payments/count}.
	 *
	 * @param count how many payments are stored
	 */
	record PaymentCount(long count) {
	}

}
