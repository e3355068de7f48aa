-- One row per charged payment. The unique Idempotency-Key is what makes concurrent first
-- requests with the same key charge once: every insert but one fails and reads the winner.
CREATE TABLE payments (
	id                  UUID                     NOT NULL PRIMARY KEY,
	idempotency_key     VARCHAR(100)             NOT NULL,
	-- SHA-256 of order id, amount and currency: tells a replay from a reused key.
	request_fingerprint CHAR(64)                 NOT NULL,
	order_id            VARCHAR(64)              NOT NULL,
	amount              DECIMAL(12, 2)           NOT NULL,
	currency            CHAR(3)                  NOT NULL,
	status              VARCHAR(16)              NOT NULL,
	created_at          TIMESTAMP(3) WITH TIME ZONE NOT NULL,
	CONSTRAINT payments_idempotency_key_uk UNIQUE (idempotency_key),
	CONSTRAINT payments_amount_positive_ck CHECK (amount > 0)
);

CREATE INDEX payments_order_id_ix ON payments (order_id, created_at);
