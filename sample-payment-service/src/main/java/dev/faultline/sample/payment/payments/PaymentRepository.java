package dev.faultline.sample.payment.payments;

import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The {@code payments} table, through {@link JdbcClient}.
 */
@Repository
class PaymentRepository {

	private static final String COLUMNS = "id, order_id, amount, currency, status, created_at";

	private static final RowMapper<Payment> PAYMENT = PaymentRepository::payment;

	private final JdbcClient jdbc;

	PaymentRepository(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/**
	 * Stores a charged payment under its idempotency key.
	 * @throws org.springframework.dao.DuplicateKeyException if the key is already stored
	 */
	void insert(String idempotencyKey, String requestFingerprint, Payment payment) {
		this.jdbc
			.sql("INSERT INTO payments (id, idempotency_key, request_fingerprint, order_id, amount, currency, status,"
					+ " created_at) VALUES (:id, :key, :fingerprint, :orderId, :amount, :currency, :status, :createdAt)")
			.param("id", payment.id())
			.param("key", idempotencyKey)
			.param("fingerprint", requestFingerprint)
			.param("orderId", payment.orderId())
			.param("amount", payment.amount())
			.param("currency", payment.currency())
			.param("status", payment.status().name())
			.param("createdAt", OffsetDateTime.ofInstant(payment.createdAt(), ZoneOffset.UTC))
			.update();
	}

	Optional<StoredCharge> findByIdempotencyKey(String idempotencyKey) {
		return this.jdbc.sql("SELECT " + COLUMNS + ", request_fingerprint FROM payments WHERE idempotency_key = ?")
			.param(idempotencyKey)
			.query((rs, row) -> new StoredCharge(payment(rs, row), rs.getString("request_fingerprint")))
			.optional();
	}

	Optional<Payment> findById(UUID id) {
		return this.jdbc.sql("SELECT " + COLUMNS + " FROM payments WHERE id = ?").param(id).query(PAYMENT).optional();
	}

	List<Payment> findByOrderId(String orderId) {
		return this.jdbc.sql("SELECT " + COLUMNS + " FROM payments WHERE order_id = ? ORDER BY created_at, id")
			.param(orderId)
			.query(PAYMENT)
			.list();
	}

	long count() {
		return this.jdbc.sql("SELECT COUNT(*) FROM payments").query(Long.class).single();
	}

	private static Payment payment(ResultSet rs, int row) throws SQLException {
		String currency = rs.getString("currency");
		// The column keeps two decimals for every currency; the API shows the currency's own.
		BigDecimal amount = Payment.inCurrencyScale(rs.getBigDecimal("amount"), currency);
		return new Payment(rs.getObject("id", UUID.class), rs.getString("order_id"), amount, currency,
				PaymentStatus.valueOf(rs.getString("status")),
				rs.getObject("created_at", OffsetDateTime.class).toInstant());
	}

	/**
	 * A stored payment with the fingerprint of the request that charged it.
	 */
	record StoredCharge(Payment payment, String requestFingerprint) {
	}

}
