CREATE TABLE orders (
    id            VARCHAR(36)              PRIMARY KEY,
    customer      VARCHAR(64)              NOT NULL,
    amount        DECIMAL(12, 2)           NOT NULL,
    currency      CHAR(3)                  NOT NULL,
    postcode      VARCHAR(16)              NOT NULL,
    status        VARCHAR(32)              NOT NULL,
    payment_id    VARCHAR(64),
    delivery_slot VARCHAR(64),
    created_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at    TIMESTAMP WITH TIME ZONE NOT NULL
);

-- The recovery task looks for orders in a status, oldest first.
CREATE INDEX orders_status_updated ON orders (status, updated_at);
