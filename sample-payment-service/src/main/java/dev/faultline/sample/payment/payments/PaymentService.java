package dev.faultline.sample.payment.payments;

import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import dev.faultline.sample.payment.payments.PaymentRepository.StoredCharge;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;

/**
 * Charges payments exactly once per idempotency key.
 * <p>
 * The database decides who charges: a request inserts the payment under its key, and the
 * unique constraint on the key lets exactly one concurrent insert through. The others read
 * back the winner and answer with it, as does any later request with the same key. A key
 * sent again with a different order, amount or currency is refused, so a client bug cannot
 * silently get someone else's payment.
 */
@Service
public class PaymentService {

	private static final Logger logger = LoggerFactory.getLogger(PaymentService.class);

	private final PaymentRepository payments;

	private final Clock clock;

	PaymentService(PaymentRepository payments, Clock clock) {
		this.payments = payments;
		this.clock = clock;
	}

	/**
	 * Charges the request once per idempotency key.
	 * @param idempotencyKey the client's key for this payment attempt
	 * @param request a valid request
	 * @return the payment, new or replayed
	 * @throws IdempotencyKeyReusedException if the key charged a different request
	 */
	public Charge charge(String idempotencyKey, PaymentRequest request) {
		String fingerprint = request.fingerprint();
		Optional<StoredCharge> earlier = this.payments.findByIdempotencyKey(idempotencyKey);
		if (earlier.isPresent()) {
			return replay(earlier.get(), fingerprint);
		}
		// Millisecond precision is what the column keeps, so a replay shows the same instant.
		Payment payment = new Payment(UUID.randomUUID(), request.orderId(),
				Payment.inCurrencyScale(request.amount(), request.currency()), request.currency(),
				PaymentStatus.CHARGED, this.clock.instant().truncatedTo(ChronoUnit.MILLIS));
		try {
			this.payments.insert(idempotencyKey, fingerprint, payment);
		}
		catch (DuplicateKeyException ex) {
			// A concurrent request with the same key inserted first: its payment is the one.
			StoredCharge winner = this.payments.findByIdempotencyKey(idempotencyKey)
				.orElseThrow(() -> new IllegalStateException("Idempotency key conflict without a stored payment", ex));
			return replay(winner, fingerprint);
		}
		logger.info("Charged payment {} for order {}: {} {}", payment.id(), payment.orderId(), payment.amount(),
				payment.currency());
		return new Charge(payment, false);
	}

	public Optional<Payment> find(UUID id) {
		return this.payments.findById(id);
	}

	public List<Payment> findByOrder(String orderId) {
		return this.payments.findByOrderId(orderId);
	}

	public long count() {
		return this.payments.count();
	}

	private Charge replay(StoredCharge earlier, String fingerprint) {
		if (!earlier.requestFingerprint().equals(fingerprint)) {
			throw new IdempotencyKeyReusedException();
		}
		logger.debug("Replayed payment {} for order {}", earlier.payment().id(), earlier.payment().orderId());
		return new Charge(earlier.payment(), true);
	}

}
