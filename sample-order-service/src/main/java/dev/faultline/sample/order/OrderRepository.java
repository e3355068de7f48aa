package dev.faultline.sample.order;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Orders in the embedded database. Every status change is conditional on the status it
 * leaves, so the request path and the recovery task can never undo each other's work.
 */
@Repository
public class OrderRepository {

	private static final RowMapper<Order> ROWS = (rs, row) -> new Order(rs.getString("id"), rs.getString("customer"),
			rs.getBigDecimal("amount"), rs.getString("currency"), rs.getString("postcode"),
			OrderStatus.valueOf(rs.getString("status")), rs.getString("payment_id"), rs.getString("delivery_slot"),
			rs.getObject("created_at", OffsetDateTime.class).toInstant(),
			rs.getObject("updated_at", OffsetDateTime.class).toInstant());

	private final JdbcClient jdbc;

	private final Clock clock;

	public OrderRepository(JdbcClient jdbc) {
		this.jdbc = jdbc;
		this.clock = Clock.systemUTC();
	}

	/**
	 * Stores a new order as {@link OrderStatus#PAYMENT_PENDING}: from this moment it cannot
	 * be lost, whatever happens to the payment call.
	 * @param request the validated request
	 * @return the stored order
	 */
	public Order accept(OrderRequest request) {
		OffsetDateTime now = now();
		String id = UUID.randomUUID().toString();
		this.jdbc.sql("INSERT INTO orders (id, customer, amount, currency, postcode, status, created_at, updated_at) "
				+ "VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
			.params(id, request.customer(), request.amount(), request.currency(), request.postcode(),
					OrderStatus.PAYMENT_PENDING.name(), now, now)
			.update();
		return find(id).orElseThrow();
	}

	public Optional<Order> find(String id) {
		return this.jdbc.sql("SELECT * FROM orders WHERE id = ?").param(id).query(ROWS).optional();
	}

	public List<Order> findByStatus(OrderStatus status, int limit) {
		return this.jdbc.sql("SELECT * FROM orders WHERE status = ? ORDER BY created_at LIMIT ?")
			.params(status.name(), limit)
			.query(ROWS)
			.list();
	}

	public List<Order> findAll(int limit) {
		return this.jdbc.sql("SELECT * FROM orders ORDER BY created_at LIMIT ?").param(limit).query(ROWS).list();
	}

	/**
	 * Returns orders in a status that has not changed for at least {@code quietFor}, oldest
	 * first: ones the request path may still be working on are left to it.
	 */
	public List<Order> findStale(OrderStatus status, Duration quietFor, int limit) {
		return this.jdbc
			.sql("SELECT * FROM orders WHERE status = ? AND updated_at <= ? ORDER BY updated_at, created_at LIMIT ?")
			.params(status.name(), now().minus(quietFor), limit)
			.query(ROWS)
			.list();
	}

	/**
	 * Records the payment of an order that was waiting for it.
	 * @return whether this call made the change
	 */
	public boolean paid(String id, String paymentId) {
		return this.jdbc
			.sql("UPDATE orders SET status = ?, payment_id = ?, updated_at = ? WHERE id = ? AND status = ?")
			.params(OrderStatus.DELIVERY_DEFERRED.name(), paymentId, now(), id, OrderStatus.PAYMENT_PENDING.name())
			.update() == 1;
	}

	public boolean rejected(String id) {
		return transition(id, OrderStatus.PAYMENT_PENDING, OrderStatus.PAYMENT_REJECTED);
	}

	public boolean scheduled(String id, String slot) {
		return this.jdbc
			.sql("UPDATE orders SET status = ?, delivery_slot = ?, updated_at = ? WHERE id = ? AND status = ?")
			.params(OrderStatus.DELIVERY_SCHEDULED.name(), slot, now(), id, OrderStatus.DELIVERY_DEFERRED.name())
			.update() == 1;
	}

	private boolean transition(String id, OrderStatus from, OrderStatus to) {
		return this.jdbc.sql("UPDATE orders SET status = ?, updated_at = ? WHERE id = ? AND status = ?")
			.params(to.name(), now(), id, from.name())
			.update() == 1;
	}

	private OffsetDateTime now() {
		return OffsetDateTime.ofInstant(Instant.now(this.clock), ZoneOffset.UTC);
	}

}
