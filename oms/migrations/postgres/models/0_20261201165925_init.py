from tortoise import BaseDBAsyncClient

RUN_IN_TRANSACTION = True


async def upgrade(db: BaseDBAsyncClient) -> str:
    return """
        CREATE TABLE IF NOT EXISTS "product" (
    "id" SERIAL NOT NULL PRIMARY KEY,
    "name" VARCHAR(200) NOT NULL,
    "slug" VARCHAR(200) NOT NULL UNIQUE,
    "description" TEXT,
    "product_type" VARCHAR(64) NOT NULL,
    "created_at" TIMESTAMPTZ NOT NULL,
    "updated_at" TIMESTAMPTZ NOT NULL
);
CREATE INDEX IF NOT EXISTS "idx_product_product_978292" ON "product" ("product_type");
CREATE TABLE IF NOT EXISTS "variant" (
    "id" SERIAL NOT NULL PRIMARY KEY,
    "sku" VARCHAR(64) NOT NULL UNIQUE,
    "name" VARCHAR(200) NOT NULL,
    "price" DECIMAL(12,2) NOT NULL,
    "currency" VARCHAR(3) NOT NULL,
    "attributes" JSONB NOT NULL,
    "created_at" TIMESTAMPTZ NOT NULL,
    "product_id" INT NOT NULL REFERENCES "product" ("id") ON DELETE CASCADE
);
CREATE TABLE IF NOT EXISTS "warehouse" (
    "id" SERIAL NOT NULL PRIMARY KEY,
    "code" VARCHAR(64) NOT NULL UNIQUE,
    "name" VARCHAR(200) NOT NULL,
    "address" JSONB
);
CREATE TABLE IF NOT EXISTS "stock" (
    "id" SERIAL NOT NULL PRIMARY KEY,
    "quantity" INT NOT NULL,
    "reserved" INT NOT NULL,
    "variant_id" INT NOT NULL REFERENCES "variant" ("id") ON DELETE CASCADE,
    "warehouse_id" INT NOT NULL REFERENCES "warehouse" ("id") ON DELETE RESTRICT,
    CONSTRAINT "uid_stock_variant_32327e" UNIQUE ("variant_id", "warehouse_id")
);
COMMENT ON TABLE "stock" IS 'Units of one variant in one warehouse.';
CREATE TABLE IF NOT EXISTS "customer" (
    "id" SERIAL NOT NULL PRIMARY KEY,
    "email" VARCHAR(254) NOT NULL UNIQUE,
    "name" VARCHAR(200),
    "password_hash" VARCHAR(255) NOT NULL,
    "created_at" TIMESTAMPTZ NOT NULL
);
CREATE TABLE IF NOT EXISTS "staff" (
    "id" SERIAL NOT NULL PRIMARY KEY,
    "email" VARCHAR(254) NOT NULL UNIQUE,
    "name" VARCHAR(200),
    "password_hash" VARCHAR(255) NOT NULL,
    "permissions" JSONB NOT NULL,
    "is_superuser" BOOL NOT NULL,
    "is_active" BOOL NOT NULL,
    "created_at" TIMESTAMPTZ NOT NULL
);
CREATE TABLE IF NOT EXISTS "order" (
    "id" SERIAL NOT NULL PRIMARY KEY,
    "number" VARCHAR(32) UNIQUE,
    "token" VARCHAR(64) NOT NULL UNIQUE,
    "email" VARCHAR(254) NOT NULL,
    "status" VARCHAR(32) NOT NULL,
    "payment_status" VARCHAR(32) NOT NULL,
    "currency" VARCHAR(3) NOT NULL,
    "subtotal" DECIMAL(14,2) NOT NULL,
    "shipping_total" DECIMAL(14,2) NOT NULL,
    "total" DECIMAL(14,2) NOT NULL,
    "refunded_total" DECIMAL(14,2) NOT NULL,
    "shipping_address" JSONB,
    "billing_address" JSONB,
    "shipping_method" JSONB,
    "note" TEXT,
    "payment_due_at" TIMESTAMPTZ,
    "needs_review" BOOL NOT NULL,
    "idempotency_key" VARCHAR(200) NOT NULL UNIQUE,
    "cart_fingerprint" VARCHAR(64) NOT NULL,
    "created_at" TIMESTAMPTZ NOT NULL,
    "updated_at" TIMESTAMPTZ NOT NULL,
    "paid_at" TIMESTAMPTZ,
    "completed_at" TIMESTAMPTZ,
    "canceled_at" TIMESTAMPTZ,
    "customer_id" INT REFERENCES "customer" ("id") ON DELETE SET NULL
);
CREATE INDEX IF NOT EXISTS "idx_order_email_52df4b" ON "order" ("email");
CREATE INDEX IF NOT EXISTS "idx_order_created_a653c8" ON "order" ("created_at");
CREATE INDEX IF NOT EXISTS "idx_order_status_4d7d61" ON "order" ("status", "created_at");
COMMENT ON COLUMN "order"."status" IS 'PENDING_PAYMENT: PENDING_PAYMENT\\nPROCESSING: PROCESSING\\nPARTIALLY_FULFILLED: PARTIALLY_FULFILLED\\nCOMPLETED: COMPLETED\\nCANCELED: CANCELED\\nEXPIRED: EXPIRED';
COMMENT ON COLUMN "order"."payment_status" IS 'PENDING: PENDING\\nPAID: PAID\\nPARTIALLY_REFUNDED: PARTIALLY_REFUNDED\\nREFUNDED: REFUNDED\\nFAILED: FAILED\\nVOIDED: VOIDED';
CREATE TABLE IF NOT EXISTS "order_event" (
    "id" BIGSERIAL NOT NULL PRIMARY KEY,
    "type" VARCHAR(100) NOT NULL,
    "message" TEXT NOT NULL,
    "actor" VARCHAR(254),
    "data" JSONB,
    "created_at" TIMESTAMPTZ NOT NULL,
    "order_id" INT NOT NULL REFERENCES "order" ("id") ON DELETE CASCADE
);
CREATE INDEX IF NOT EXISTS "idx_order_event_order_i_2e5f5b" ON "order_event" ("order_id", "created_at");
COMMENT ON TABLE "order_event" IS 'One entry of an order''s timeline; every change to an order writes one.';
CREATE TABLE IF NOT EXISTS "order_line" (
    "id" SERIAL NOT NULL PRIMARY KEY,
    "position" INT NOT NULL,
    "sku" VARCHAR(64) NOT NULL,
    "name" VARCHAR(400) NOT NULL,
    "product_type" VARCHAR(64) NOT NULL,
    "options" JSONB,
    "quantity" INT NOT NULL,
    "quantity_allocated" INT NOT NULL,
    "quantity_fulfilled" INT NOT NULL,
    "quantity_canceled" INT NOT NULL,
    "quantity_returned" INT NOT NULL,
    "unit_price" DECIMAL(12,2) NOT NULL,
    "currency" VARCHAR(3) NOT NULL,
    "status" VARCHAR(32) NOT NULL,
    "order_id" INT NOT NULL REFERENCES "order" ("id") ON DELETE CASCADE,
    "variant_id" INT REFERENCES "variant" ("id") ON DELETE SET NULL,
    "warehouse_id" INT REFERENCES "warehouse" ("id") ON DELETE RESTRICT
);
CREATE INDEX IF NOT EXISTS "idx_order_line_sku_fa1898" ON "order_line" ("sku");
COMMENT ON COLUMN "order_line"."status" IS 'PENDING: PENDING\\nIN_PROGRESS: IN_PROGRESS\\nDELIVERED: DELIVERED\\nCANCELED: CANCELED\\nRETURNED: RETURNED';
COMMENT ON TABLE "order_line" IS 'A snapshot of what was bought: later catalog edits never change an order.';
CREATE TABLE IF NOT EXISTS "job" (
    "id" BIGSERIAL NOT NULL PRIMARY KEY,
    "kind" VARCHAR(100) NOT NULL,
    "payload" JSONB NOT NULL,
    "status" VARCHAR(16) NOT NULL,
    "attempts" INT NOT NULL,
    "max_attempts" INT NOT NULL,
    "run_at" TIMESTAMPTZ NOT NULL,
    "locked_until" TIMESTAMPTZ,
    "locked_by" VARCHAR(100),
    "last_error" TEXT,
    "dedupe_key" VARCHAR(200) UNIQUE,
    "created_at" TIMESTAMPTZ NOT NULL,
    "updated_at" TIMESTAMPTZ NOT NULL,
    "finished_at" TIMESTAMPTZ
);
CREATE INDEX IF NOT EXISTS "idx_job_status_06ec9c" ON "job" ("status", "run_at", "id");
COMMENT ON COLUMN "job"."status" IS 'QUEUED: QUEUED\\nRUNNING: RUNNING\\nDONE: DONE\\nDEAD: DEAD';
COMMENT ON TABLE "job" IS 'A row of the transactional outbox.';
CREATE TABLE IF NOT EXISTS "periodic_schedule" (
    "id" SERIAL NOT NULL PRIMARY KEY,
    "name" VARCHAR(100) NOT NULL UNIQUE,
    "every_seconds" INT NOT NULL,
    "next_run_at" TIMESTAMPTZ NOT NULL,
    "last_enqueued_at" TIMESTAMPTZ
);
COMMENT ON TABLE "periodic_schedule" IS 'When each periodic job is next due, shared by all workers.';
CREATE TABLE IF NOT EXISTS "payment" (
    "id" SERIAL NOT NULL PRIMARY KEY,
    "gateway" VARCHAR(32) NOT NULL,
    "external_id" VARCHAR(255),
    "amount" DECIMAL(14,2) NOT NULL,
    "currency" VARCHAR(3) NOT NULL,
    "state" VARCHAR(16) NOT NULL,
    "failure_message" TEXT,
    "customer_ref" VARCHAR(255),
    "payment_method_ref" VARCHAR(255),
    "off_session" BOOL NOT NULL,
    "created_at" TIMESTAMPTZ NOT NULL,
    "updated_at" TIMESTAMPTZ NOT NULL,
    "order_id" INT NOT NULL REFERENCES "order" ("id") ON DELETE RESTRICT,
    CONSTRAINT "uid_payment_gateway_2fc5f8" UNIQUE ("gateway", "external_id")
);
COMMENT ON COLUMN "payment"."state" IS 'PENDING: PENDING\\nSUCCEEDED: SUCCEEDED\\nFAILED: FAILED\\nCANCELED: CANCELED';
COMMENT ON TABLE "payment" IS 'One attempt to collect an order''s money through a gateway (a Stripe PaymentIntent,';
CREATE TABLE IF NOT EXISTS "processed_webhook" (
    "id" SERIAL NOT NULL PRIMARY KEY,
    "gateway" VARCHAR(32) NOT NULL,
    "event_id" VARCHAR(255) NOT NULL UNIQUE,
    "type" VARCHAR(100) NOT NULL,
    "received_at" TIMESTAMPTZ NOT NULL
);
COMMENT ON TABLE "processed_webhook" IS 'A gateway event already handled: written in the transaction of its effect, so a';
CREATE TABLE IF NOT EXISTS "delivery" (
    "id" SERIAL NOT NULL PRIMARY KEY,
    "product_type" VARCHAR(64) NOT NULL,
    "status" VARCHAR(16) NOT NULL,
    "last_error" TEXT,
    "created_at" TIMESTAMPTZ NOT NULL,
    "completed_at" TIMESTAMPTZ,
    "order_id" INT NOT NULL REFERENCES "order" ("id") ON DELETE CASCADE,
    CONSTRAINT "uid_delivery_order_i_0a5e82" UNIQUE ("order_id", "product_type")
);
COMMENT ON COLUMN "delivery"."status" IS 'PENDING: PENDING\\nDONE: DONE\\nFAILED: FAILED';
COMMENT ON TABLE "delivery" IS 'That an order''s lines of one product type were handed to the owning plugin.';
CREATE TABLE IF NOT EXISTS "fulfillment" (
    "id" SERIAL NOT NULL PRIMARY KEY,
    "product_type" VARCHAR(64) NOT NULL,
    "status" VARCHAR(16) NOT NULL,
    "created_at" TIMESTAMPTZ NOT NULL,
    "updated_at" TIMESTAMPTZ NOT NULL,
    "delivered_at" TIMESTAMPTZ,
    "order_id" INT NOT NULL REFERENCES "order" ("id") ON DELETE CASCADE
);
CREATE INDEX IF NOT EXISTS "idx_fulfillment_order_i_f1ca47" ON "fulfillment" ("order_id", "product_type");
COMMENT ON COLUMN "fulfillment"."status" IS 'PENDING: PENDING\\nIN_PROGRESS: IN_PROGRESS\\nDELIVERED: DELIVERED\\nCANCELED: CANCELED\\nFAILED: FAILED';
COMMENT ON TABLE "fulfillment" IS 'Delivery of some units of an order''s lines of one product type: a parcel, a set of';
CREATE TABLE IF NOT EXISTS "fulfillment_line" (
    "id" SERIAL NOT NULL PRIMARY KEY,
    "quantity" INT NOT NULL,
    "fulfillment_id" INT NOT NULL REFERENCES "fulfillment" ("id") ON DELETE CASCADE,
    "order_line_id" INT NOT NULL REFERENCES "order_line" ("id") ON DELETE CASCADE
);
COMMENT ON TABLE "fulfillment_line" IS 'Units of one order line in one fulfillment.';
CREATE TABLE IF NOT EXISTS "subscription_contract" (
    "id" SERIAL NOT NULL PRIMARY KEY,
    "email" VARCHAR(254) NOT NULL,
    "sku" VARCHAR(64) NOT NULL,
    "status" VARCHAR(16) NOT NULL,
    "interval" VARCHAR(8) NOT NULL,
    "interval_count" INT NOT NULL,
    "anchor_day" INT NOT NULL,
    "grace_days" INT NOT NULL,
    "current_period_start" TIMESTAMPTZ NOT NULL,
    "current_period_end" TIMESTAMPTZ NOT NULL,
    "cancel_at_period_end" BOOL NOT NULL,
    "access_key" VARCHAR(64) NOT NULL UNIQUE,
    "renewals" INT NOT NULL,
    "charge_attempts" INT NOT NULL,
    "last_charge_at" TIMESTAMPTZ,
    "renewal_failed_at" TIMESTAMPTZ,
    "ended_at" TIMESTAMPTZ,
    "created_at" TIMESTAMPTZ NOT NULL,
    "updated_at" TIMESTAMPTZ NOT NULL,
    "customer_id" INT REFERENCES "customer" ("id") ON DELETE SET NULL,
    "order_id" INT NOT NULL REFERENCES "order" ("id") ON DELETE CASCADE,
    "order_line_id" INT NOT NULL REFERENCES "order_line" ("id") ON DELETE CASCADE,
    "renewal_order_id" INT REFERENCES "order" ("id") ON DELETE SET NULL,
    "variant_id" INT REFERENCES "variant" ("id") ON DELETE SET NULL
);
CREATE INDEX IF NOT EXISTS "idx_subscriptio_current_31a472" ON "subscription_contract" ("current_period_end");
CREATE INDEX IF NOT EXISTS "idx_subscriptio_status_a6ad0f" ON "subscription_contract" ("status", "current_period_end");
COMMENT ON COLUMN "subscription_contract"."status" IS 'ACTIVE: ACTIVE\\nPAST_DUE: PAST_DUE\\nCANCELED: CANCELED\\nEXPIRED: EXPIRED';
COMMENT ON TABLE "subscription_contract" IS 'A customer''s subscription: the period paid for, and the renewal under way.';
CREATE TABLE IF NOT EXISTS "subscription_period" (
    "id" SERIAL NOT NULL PRIMARY KEY,
    "starts_at" TIMESTAMPTZ NOT NULL,
    "ends_at" TIMESTAMPTZ NOT NULL,
    "created_at" TIMESTAMPTZ NOT NULL,
    "contract_id" INT NOT NULL REFERENCES "subscription_contract" ("id") ON DELETE CASCADE,
    "order_id" INT NOT NULL REFERENCES "order" ("id") ON DELETE CASCADE,
    "fulfillment_id" INT NOT NULL UNIQUE REFERENCES "fulfillment" ("id") ON DELETE CASCADE
);
COMMENT ON TABLE "subscription_period" IS 'One period paid for: the first one, then one per paid renewal. Its fulfillment is';
CREATE TABLE IF NOT EXISTS "physical_shipment" (
    "id" SERIAL NOT NULL PRIMARY KEY,
    "status" VARCHAR(16) NOT NULL,
    "carrier" VARCHAR(32) NOT NULL,
    "carrier_name" VARCHAR(100) NOT NULL,
    "tracking_number" VARCHAR(100) NOT NULL,
    "tracking_url" VARCHAR(1000),
    "weight_grams" INT NOT NULL,
    "label_pdf" BYTEA,
    "created_at" TIMESTAMPTZ NOT NULL,
    "shipped_at" TIMESTAMPTZ,
    "delivered_at" TIMESTAMPTZ,
    "fulfillment_id" INT NOT NULL UNIQUE REFERENCES "fulfillment" ("id") ON DELETE CASCADE
);
COMMENT ON COLUMN "physical_shipment"."status" IS 'PENDING: PENDING\\nSHIPPED: SHIPPED\\nDELIVERED: DELIVERED\\nCANCELED: CANCELED';
CREATE TABLE IF NOT EXISTS "digital_download_grant" (
    "id" SERIAL NOT NULL PRIMARY KEY,
    "nonce" VARCHAR(32) NOT NULL,
    "file" VARCHAR(500) NOT NULL,
    "file_name" VARCHAR(200) NOT NULL,
    "content_type" VARCHAR(100) NOT NULL,
    "download_limit" INT,
    "download_count" INT NOT NULL,
    "expires_at" TIMESTAMPTZ,
    "revoked_at" TIMESTAMPTZ,
    "last_download_at" TIMESTAMPTZ,
    "created_at" TIMESTAMPTZ NOT NULL,
    "fulfillment_id" INT NOT NULL REFERENCES "fulfillment" ("id") ON DELETE CASCADE,
    "order_line_id" INT NOT NULL REFERENCES "order_line" ("id") ON DELETE CASCADE
);
COMMENT ON TABLE "digital_download_grant" IS 'The right to download one file a limited number of times until a deadline.';
CREATE TABLE IF NOT EXISTS "consultation_booking" (
    "id" SERIAL NOT NULL PRIMARY KEY,
    "uid" VARCHAR(32) NOT NULL UNIQUE,
    "sku" VARCHAR(64) NOT NULL,
    "consultant" VARCHAR(200) NOT NULL,
    "consultant_key" VARCHAR(200) NOT NULL,
    "consultant_email" VARCHAR(254),
    "timezone" VARCHAR(64) NOT NULL,
    "starts_at" TIMESTAMPTZ NOT NULL,
    "ends_at" TIMESTAMPTZ NOT NULL,
    "unit_from" INT NOT NULL,
    "unit_to" INT NOT NULL,
    "status" VARCHAR(16) NOT NULL,
    "meeting_url" VARCHAR(1000),
    "sequence" INT NOT NULL,
    "remind_at" TIMESTAMPTZ NOT NULL,
    "reminded_at" TIMESTAMPTZ,
    "created_at" TIMESTAMPTZ NOT NULL,
    "updated_at" TIMESTAMPTZ NOT NULL,
    "confirmed_at" TIMESTAMPTZ,
    "completed_at" TIMESTAMPTZ,
    "canceled_at" TIMESTAMPTZ,
    "fulfillment_id" INT REFERENCES "fulfillment" ("id") ON DELETE SET NULL,
    "order_id" INT NOT NULL REFERENCES "order" ("id") ON DELETE CASCADE,
    "order_line_id" INT NOT NULL UNIQUE REFERENCES "order_line" ("id") ON DELETE CASCADE
);
CREATE INDEX IF NOT EXISTS "idx_consultatio_consult_702dc8" ON "consultation_booking" ("consultant_key", "unit_from");
CREATE INDEX IF NOT EXISTS "idx_consultatio_status_9f17a8" ON "consultation_booking" ("status", "remind_at");
COMMENT ON COLUMN "consultation_booking"."status" IS 'HELD: HELD\\nCONFIRMED: CONFIRMED\\nCOMPLETED: COMPLETED\\nCANCELED: CANCELED\\nNO_SHOW: NO_SHOW';
COMMENT ON TABLE "consultation_booking" IS 'One session: a consultation order line''s slot with one consultant.';
CREATE TABLE IF NOT EXISTS "consultation_slot_claim" (
    "id" BIGSERIAL NOT NULL PRIMARY KEY,
    "consultant_key" VARCHAR(200) NOT NULL,
    "unit" INT NOT NULL,
    "booking_id" INT NOT NULL REFERENCES "consultation_booking" ("id") ON DELETE CASCADE,
    CONSTRAINT "uid_consultatio_consult_db9a74" UNIQUE ("consultant_key", "unit")
);
CREATE INDEX IF NOT EXISTS "idx_consultatio_booking_2f3a44" ON "consultation_slot_claim" ("booking_id");
COMMENT ON TABLE "consultation_slot_claim" IS 'One 5-minute unit of a consultant''s time taken by a booking (see';
CREATE TABLE IF NOT EXISTS "aerich" (
    "id" SERIAL NOT NULL PRIMARY KEY,
    "version" VARCHAR(255) NOT NULL,
    "app" VARCHAR(100) NOT NULL,
    "content" JSONB NOT NULL
);"""


async def downgrade(db: BaseDBAsyncClient) -> str:
    return """
        """


MODELS_STATE = (
    "eJztXVlz2zi2/isovbRT5fEkXpKMc+tWybacVo9je2w56Z5WFwWRkIQxBaoJ0opuT/77Bc"
    "BF4GqSWkzReElkEgckvwOCZz9/taaWgUx6cGtbhqs7rVPwV4vAKWI/4qf2QQvOZssT/IAD"
    "h6YYO5MGDaljQzHXCJoUsUMGorqNZw62CDtKXNPkBy2dDcRkvDzkEvynizTHGiNngmx24v"
    "c/2GFMDPQd0eDP2aM2wsg0IjeLDX5tcVxzFjNxrEucSzGQX22o6ZbpTsly8GzhTCwSjsZE"
    "3P4YEWRDB/HpHdvlt8/vzn/Q4Im8O10O8W5RojHQCLqmIz3uUFsea2na9U1Pu+/0NK1VAi"
    "DdIhxcdqtUPP2Y38LfDt8dfzj+ePT++CMbIm4zPPLhh3fpJTAeoYDnutf6Ic5DB3ojBMZL"
    "UMX/CVjPJ9BOxzUYH0OW3XIc2QDHPGiDA0tsl+tpG+BO4XfNRGTsTDiib9/mQPm1fXf+c/"
    "tuj416wy9psRfAezGu/VOH3jmO9xJfarrjMvgG49eD78su3c2jK99ZAuQe+p6xOcTIKmHt"
    "I1mXpZyDba/za4/PPKX0T1OGdO9L+1eB9nThn7m6uf4cDJdYcH51cxZD3v8aeKCVWN9xuk"
    "3tIy+30N8fF1jn748zlzk/FcVatxHHQoNOEukLdsbBU5SOdpQyhrXhkx4EP3ZxB2cPaNwQ"
    "c+GzPO816H7p3PfaX24j78JFu9fhZw4j70FwdO99jE3hJOBbt/cz4H+Cf99cdwS8FnXGtr"
    "jiclzv3y1+T9B1LI1Ycw0a0uoMjgaoRbjuzoyKXI9SKq7XhesBRhLbxd1ziXf0KIln/MAQ"
    "6o9zaBta5MxyeTxBG0OOR2JxnPmUl/+8QybM+Mj5kv9Xb5YdXAM/glUfHJXRtA6tLDiTp6"
    "aH0/gRSOBYPBK/Nr9SDK4UHUpCMluHepIGKR1qa9vFhnUo+uiWEvG94Y2T8Ncv+CjldLPq"
    "08zGegrAF0jHU2hmCfA+TVyu8IgOfOIdBDwH34vOefdL+2rv3eH+oQCYSQzYQTL0xwl0dd"
    "e2EdEXZVawTNPAVXxUYA0fZa7gozjC0GEXH7oOSpGCfrm/uU7HOEoVX8ZYd8B/gYnpxoSi"
    "1v+MXKJzIMHQxaaDCT3gl/3f1vYXNkcp3zYQNwPERF4+Qdw2oPTV7NdhNzWXIvpqYNkpJW"
    "JGiZ4XNXeBxWuQNhMaYQLmJMaXlo3wmPwTLQTUXXZTkKR+qpNenx2DOEv3Y4dtOA/Vntjq"
    "Ygiw50beZ/u8fX/evui0fhTRtalj6Y8ratr3fI4GYR159y3bQLZmYpL2JS6D0g2f6IrNs7"
    "MW+HygqDsMJ+dDhQlg1ZUlzXnuT9kg+DZpz/FeyhRrTvi2ZttyaDjkOUtO64FghwJrBCyC"
    "gG8DApiIP9lDoInlUnTQiuFUkKxP+mQw+NNlJ7GzGAwAZjQETCAxPoHBgH3gkf2EDO/EhM"
    "EChgvgEjrBsxkygHh16QFoP0EslgYbJk8I/gaWU3wC6AnZC6Cz2cfIuxICjGcG5s8KTfBw"
    "y2URQC2AHUD4aDC2EGU/x2wZP3lPmWLA+l22jYUP1/pDGbZe0LAVrIES0Mok2xPn3tYa4C"
    "WgwZtUAlCZRAEaB9TfNMopHVEipXSk4BruwOWQjZMpbJ9X6KTv3ooKXfOcefsxhS765qYr"
    "dKnLeA3ofpPnaii+8fc3gvBd57531z3v5enMmxTWlwxIEdgj3MkW2iMLQrlgd2oPzZNUdc"
    "bqUn4Wf7xywion7As7YaFhMBm/nAdrSbKS+6qeJqCN+qkqxVop+6+y/9bTgHnusrU5FQJI"
    "QiQKz+VKRLo8SglETRGI0BRis8xnOyRonEh0eFJEJmKjsr/aJy8rFdVsp9tGZBqkdM6+Kt"
    "oE0kkZnBOETRRDT04KLeiTnAV9opJMXmvQTiUR2HMTrkG4273tTjn2d08uvnfgaNRKEYq9"
    "E7kSMQ2HKHFYicNKHFbisBKHayaQbV4cniF7iillN1bKMhsjq0dyAb9eY5ILMNWoy2B2qS"
    "dLxsQryzIRJBkfyxhpjDtDRrsptoRHtsuBs5ubqwgHzrrx2g4PX846d3vvYllNyYgQBh4T"
    "hfBTyjb/HOhLui0iHnxgdxZwpZBn7/+vViHfpM7kqecpOlOot2frTFY4ZJM60+9cN3NccW"
    "lpkf+hdKlt6lLEnQ7Tvr050n5IsRZ5v0bK1NFhkYzWw+yU1sO44OlYjyilmFU2uCFB4zTV"
    "9ceyvLQZIPndbJgdYLk/JxHusG0gEWsZrYwRUm9PTW3ddq4vuteftdv2b186172SelKc/B"
    "TEDvTJ7d3Neef+nh1jJ8Pf7Hj7rtdtX139pl0+XF12r646F2xA8mCfnN98ub3q9Pj58Cc7"
    "2r4+7wii4FefdH697d7xQ/6PVi32tBlcTBFxtNVWR3KW7a+SiqsjXBWc613B5u6FvALuOp"
    "cP1xfRBRAc65Pl2eWxy3ZX8N77v0++3nTFCO//evBdVcDYdAUM6g4dy4Ep37TcIi4y2aus"
    "43Jcoo6LyJRkF9QqIZ0gVng/g3cVmBW6RdG10chlT2JUWs1J4pfBe1PpiRvbOioEeafRqm"
    "jv6o6DITbNiqxIIVWcqM6JcGVPEQMxxURX4KVYkipOVOcEsZwUf0524fRgfBPc9nlOg41U"
    "TPfVV8NFFXw6Seo1+HV2iCM1cuMEmORWQyMIGVSz0RNG8ySvcz2mcVLlpi7jpjbQdMZ2Ka"
    "IvtEdUyvKQQto4k/pGopN0aDtsPjJG9szGaaUMcsw9KbQNNPu89qYQW13xzYoOUD0hmsz1"
    "FGEikVswg7gKyyUyJSvWh73Jt1q3pjNeZKXSZh6jVZyuNae5Y9OsxugoqeJzrfnsJ9WXq5"
    "4Wo6pUPK1mTN1w7TS5eEEU5NLlveRqCbuFcVaC3X6suFdseUVqe7F7ANcPV1fF6mGjJ7Ry"
    "5ykRVNrhE+2gsFkoJXTL5VB2EiPfrLkiTLfeLE0FiT0jfkI2XnU1XXjzLJqK08g1R9g017"
    "CgLpczNRWsGiWs7yR+NnumORPHZRxVvn+l1Tdje5tlrBG8WzFhU1fe0LIe2SQr4nXmzdIk"
    "kDaeHOWJq1kZUqEw+0yalIbCgc92jrghCLDB9oK3gYDE69bwEwVcxefyZawhg2OFg8Dcxg"
    "4SDRqSnSXWN22RpK0wOaxyztYZHr+WtK1/HB4eHX04fHv0/uPJ8YcPJx/fhjpz8lSe8nzW"
    "/dy9jrlRn0/uEgAm8M/JPvLHN9Bn966Qr/Rdjq/0XdJXOkWUsh0mCXF20I1E0giUtx14wz"
    "ZYq1S6YkjQhDCnLSR98c0kiW92EF8wXkXuqR6byhNcxv/vyY+lnAoyiWrH8rxLIRRWV/Qn"
    "FC12WDd4i3oT5HVVtrPmxhU1YTLP0tMCe/pzapoZjHtWS2sDSuCMTiyH61PzCXTAHFIwtN"
    "zxxDkFTBVnipPOvnqmNQbI4F39vNZ4vn4VKFdJRW2tM6uihPUqpME+Djgw0hSEViZR3eDi"
    "wb/00S0j5/vDm1faQTWB2SC4x4XMAsc5ZoHjlAKPfqfqsuaXOF0D8V7/YraynDXZKqtEor"
    "TW6lrrzjSUrb1UkcRUg6Zp6QKH8uhGiZVkkQmyH2NQDeQIsQI5E+Qg1rUKxjKtgjgTYhs5"
    "rk2qQSzTKojjELOHcrSZjfUUQS63uEaU8FUWMjksUVtDFZfaeHGpnS3m1yoHd0qZtu61dn"
    "t38/muc39/CqQ/+uSic9X92hFF9sKf6cX47jq9h7trr2yb9ytu3yvE1LWXZVNehPXv+tHO"
    "5AVRjRKpfI8krPGG5AWBjZMpaJXfa2t+r5RtYQ24fl3OtFvrtiiw0c0wIzspdW9YA7rf5L"
    "maiW98T4wgzESb3l33vFcs/0tKtFhH02cp26LJuU4q42I1/AxrTkwLGtrYhitn+Fz4k322"
    "i22qO4NYqdiKRFJBNqg3BPUs9s86Mwt2ZCf9UTIE5Rdr2EoJPuGH9/PCTv7jDygQb2Jbcx"
    "4Q4kwQu0NIKBQtv6AJLNcZWt/TAkmeI+mTPvlmY8dBBGAixlH2APJgAKk4HqQF8HAUUa0M"
    "YGcfUJElgEYjpDsA+4EoffaWUQcMkTNHbGLdmk6xw8YZABHGdBcdgG+W/YhsCnQT4ikwXM"
    "RvlYoxtuvdCLueYSKb3/9gwBaXMRj0yR5FCJwyHE8H1pQeMPTowVzMNXhzADoigYGHMLJv"
    "/3TGb4g6TCww+MM99M4LZy8s7RjsbvyoSfYFVQkM9Uxg4KujjEkwGN9Ac+BGEhhmcMG/m2"
    "Wc5xJJPRoi8ss2piHiDlpp//XQefCNoSWMtB7VKfD+75O7h+trYbT1f/TJxc115xTwf7mZ"
    "ti0stO1KRtd374u8OfFIcOnFeR9/byD7sE5naWJr5odBJlF+trhpkPOrAqhxsu0B+3FHgF"
    "2KOWXSSpZUDUwp2ZEUkgCT3BwS09IfkaG5xElrhZbP5DitqkK2A5welnKRR4ialwC5EZnY"
    "hNTRkG2npZlm5/VGqZoA9bYzew1kuDNUts53lKppHUk3U+FbZZu+wmxTVW26aVxPERuSVd"
    "QwwXRSie0xUiUd1ofN3tudiP94mRxdrz4X1u91tlhc8egJb0lizH6e62Tmj9aoPPxZR8q3"
    "CSIAQX0CggnAf6yh57z47nBfxD6gTJBABhguADRN4DkYaNLBUn0q7nhp+3+BOSYUQH8O9p"
    "cz4aWWAFuHBvb9NQ+3fP14vhA+t+ap3oOB7FZhk/QJv4GRZQPsZHl0hNdGumvuceHFnXQE"
    "oG5blMbu9E54Zmx2Q953XUw6wjZ1hKuF3bn/HBQhz1cko6GykGuYhfyyqZ01kpw3ohqKOm"
    "oaRfwFLmOmTNCpqNsUU6W0/ZWVVWKkDZRRd11YSVpYvE9bFck0jV6Jp3XjeF3EU7+ceJpU"
    "uqw0niOMSoMKVfj0/VG8ziZbsiaPn5GKck6ZALhgspTNi74wCWvM1uMcLsAeBPdsPcwQ8O"
    "+KfUzYv/sJ0XT9l+gTJlVCwBB0mUDqPy+w2deKTSgEXOrA0ehNlsD3e8u/Aj/PNmJkM8FW"
    "C6JqlCj4QqKgxJSi0qBE0sAImvXnXsmLvQTMMbImOAvihSlPipitT05yClOeJGIuppabln"
    "yRm4a7JHqVKbhl2turFNxtpOBmaOfFYru2XBVofQm49w/n553OBQ/4Cn/2yWW7K5Jsvf/T"
    "0m7j0s/LRHuNIDZdG2kVyj2nkDZhu9+2bzjsdmWjUbn9KUrXBOy38KkN+tNPmYxvGWVBT6"
    "dW0BeC3hqNNMo2i9RKkrmd5mOUqtF8iUbzKiQie83vpnNchUS8Rq4XCYlQBVNU+YmaZPFn"
    "lp8oksG/UaO5belMlEDGNzScWNZjK816Hh+zn2tGD0Zrc2l4geTYwHot+mwBaPKNaeHnkB"
    "qnooOVlOQq57daI8BLqHs5rF5Ga8Kavub5+8RGfoNPZPhTTiAFxAKe99cfrWInlMG8jhvX"
    "xg3m/I0oay2XaBoXprIRHVLAUwLhYHwDl/BGwoBspCO2xVdRHGKkSnOoi+aQpS/WJIoh7P"
    "adIojJncCzBTBDHvWs3NXj1UCkmAJRGIpLPDx+1e9TADg3wZyJOkJc4vGjlhCSrDlhKwTM"
    "THeMSTK4do1z82hbHhDBy6HMkA32xJz7kVne7IdC3JyH9YpZRPdTTMEMYuOTOBTgw0Nb+2"
    "QK7UdeCEXknz9XQcW7GfYkPFzWEwRFuLAoeDLHOuoTf3YvGjc7kCJUnCKtIFQcxYs29lHd"
    "PLbXzWMH61+szUkqF7yIukbr4QZVibEv5PxUzolXImxGuG5NZ9wcWInvMVoVHF0ff0SS08"
    "ohoRwSdXdIvHAfWKmocCtFA5ZP7+cpwaPYwGf14EC35uoptZj6x/u6CGW1iAJ7ypM/oa0j"
    "xhIIKOJ9XxPq8PovwdRNvyAu8KrrHoCbOfFC+YUTg9GxOT21lWnHE6xPwCNCMyocGgZyID"
    "a9up08Z2CCZ1MvTyBSZ5e+ATOLLSWujjMFFnlqtM5eKX8u/qf3LDyVVSjQQj4vXKwzRxtW"
    "6q9Sf5X62yj1dx1NeuqoNiv1LRv65qpvKrasaVwvElsWxn5U4HucVint9WG0UtqV0t5IpV"
    "2y7qvWP6p1zYYQ8/vRrAhVM1vRVGjvE+k95ZXkyka2eKsfuf3UbThrQ6COaNm+RWstoElz"
    "NQSq6rZZsevn22eDD0MhG63oR1fMUPsQGE25gdQL7+HEPHSHH5EmTQYklaRVcdv1slAGre"
    "xLQCuTKFE8JSFSfglLLdokocI3BV9PZue7TBUdUqJT6D6vSMa8fiuqkzFn445BXVSpTL7H"
    "z/dHXi7OdWntDVMj4yAn3uY6+dxTu9GmCHdZXWuzJbzU3rnFxLw2CEp6/ESBPM+pVJ9YRH"
    "XzWsn7oefZZgtoDk3gEi7dzeEiranmuqbmUemDAdR5wiPvTDEY8FDzOQ97F15wb+4hMgC1"
    "Rs5cVGCeIP2Rgr3B4HOnB/6OuHRiIv720b//xab4MRi8+SRmJfrEsjUD+rOK0HW4CJqBTh"
    "maE/kq4gm4493mBZ79GtHQG2cuwMyE7GaXp8HRO/ALLwRoL7wH4xHrYj4exxlc6RINbTHE"
    "x4D4lF+grU8q9OL0ykg5vi6rIVK2I6eSoVeUodEUpjWQysnKCwga6Nc/PCni2GejcpLykq"
    "79R7cMvv7wBqKroib4x+a81/3aKRs04VGdAu//Prlt3/e0iwd2JPiVHhbR+fW2K8In/B/1"
    "CIxg10H2Eyy17cg0DXw3PhbA+GMmxB+zEGYAppbOzP5sJgi3p2e+q/UnVKpHGkpiJYCNEi"
    "nlPQXXMVvZiCNUpsNClEj1100UOItK2ELgLxugkjVHA0OUmhSpkqJcrcZ4f4btsH2bSlaj"
    "uM5lXVOD+XzPLSiZNYWqLFmisuTSClRGzI1SNa7qzfpVQN8IV0ZkkEmUwJAQGNjaHCPN7z"
    "RSBtcUSgVvHF6RFR8iVfaDnKRWwcJ1/hj7W43Gq8FXLBuVMoHieZ15jnjVogqslukUh+vM"
    "YZXYlf253M0UH5XY9Rq5nvKyJ0KGw0YipbzPMapKYnDNNvDNBMKpPCoVXLgr6AayeIWVm0"
    "aqNoUkxE/QxrBs5HGUSMGq8iu3ll+pgmA3HwSbJo2tAeFzaard2h2K4hsTQiPosnsA1w9X"
    "V6207XcN6H5dztRMcKMfnQLYRkSALW6+O4pvmsSUgXKRJHfPkbliHnKlPNld2Z3L5SSvkF"
    "LgI/dMQsES34LpBMt06OeTCXjl+FhYvxfrP8I2dXju534Q3S4GeqP8JXkAug6Vc0MBFrcV"
    "ySlY+xX6JFKr3o/6l3JWHZ5lIGbBKlu1jpH2ImyKVjAfRggbaD3cXWthqvOnCoslMsXgWj"
    "NY+X6yN9Dd9AIUq8nu5SqW9AJEqZRRVbkBtoJp7Wo47Lxcl2NMldOYV1TpsxKqd2w5F7ZP"
    "RbfHghZWZbfecjH/guU0gspZBXmwYjGNF91R1l1KY412lqAoWZp1RSpYltOuebKgWIemJt"
    "dKe9aikg2dskLUzgqxaynTays0f/9z9/aWZ0P7P4oXmI/b94rkOmygoDy0bZz2BczOJ5FI"
    "Gpg1vf4+1T5emvi7PM4hXQPB3khHZf5Z4bVdNbb1DMst7RRShXpJ1F27VBGGOF0Tmjom4C"
    "6Idy7gCcTnTEOZOLxw9LRMSlWcTOVTJfOphsjUZsYoxbWLCbQXWYlUElk8r3XheAXRd2sh"
    "56W18t6i+5Klla3Vs+51++639PakwXjZinr2W6/TVh1ulDFcVNGeVeJ6lFIlOdXZ0aU62r"
    "wWTit3wcbdBcre2kx7a7SJS4rRNdHlJdvyauAxdqCpRbvMFDK/tnq8HC1XFYBjgbAHrOhh"
    "gE0EIDDxFPNCr56uLMLH2L5LgUscbLLzBpNWeBhZsjru+qbm1XF7E58OU0AJnNGJ5XDikW"
    "1NRUSbH1cLoBMGu/mVa022XG3gzrzrj9gRguZiMt72ll2QWA7QJ5CMkVdydw7ZNSzTOAD8"
    "qg93Vz9R9gyPiIiL4zFvjDvHQdVcxERSBzyiBbDYRXnF3T1s7LNJ2Wv1ZjA4Zc8zdhGlnF"
    "1eDWCC2EBAHYt96FTEXQ1t3YJ3ZewbIUEDDUnrt5XyV68MusH4BoJ7UshqdJJjNDpJ2ow4"
    "XqUN0RGiBiJ9WAjpwxykD5NI80gELjQIoEqAHadrIN4bsT+HIo6QHUp8+ZKEKt0zaRMNUS"
    "pb/TdJqAzOcXDR9xlmyneVIO8IpbKJ1NkmYqMnpilUq9glUyou15nLopxeuOlVLMcXo1cc"
    "rzPHlccq+0PZXI9V7SzcL81qVXeo5ujmJByopoaqqWEtQa51U8Ogh3yKj0ZqL5/tneFPz1"
    "AVFSK0oURRqNgARZSKhoIQyBNJ+fu89aBpOZ5DgntXgnFpfatXn5L7Yr7Z2HEQAT93ri7A"
    "nBcjWJYUwJR3CNSRsQ/Ob64vu3dfOv4Y7IiTvNDAnpgZAmkP6RNrBERT7bnXcXAwkM4eGM"
    "iB2KRBB0P2jw/lG78cwvnNl9urTo9dzLLB9Y12//PNt0/LiOyU2/SaFfAehjbwNewD0BMe"
    "KN5f8aF3/ondBJfJ/o9hEPZO7JMlGj/RfV6gARiYsocOmxuyqU1EDMguQ56wgw7YPC42vC"
    "lsNsiaejUdvNM/UdFPka0X8NC9EM/DCP7yH/AHIxNOqyliAiIZc38U4IXSuVsrvKJwQATF"
    "HTwXFbvR4DYYSeEei8unC5oJMCpH4362FhssN2G00ZSRcsFW9V7cqn/KTUM129rspuJa0c"
    "hco6YQ6/dMqZaLG+u3sdxXSjpKJKoGAr0pt1RsDy+P93pbybwqzEu3xk2jbV6KxEaa5Aby"
    "WRm4ZZoGLu+NtMtVFaiabuFWFagazuClHpdgcaZGFqFRRtYUE7ZAyLHKYupRKERTEN3BSg"
    "PcEtYqB6+gORU2tD4JTWWnS6sZP+rbtE6X5q30du2+wes0sHzFDX+FArbWXnbAt1iVTRaO"
    "kTVPEN5UrjBF7GFTI5cz9yKZRIVsJRt3BAbOkkJRhFCJRbUWizxeVQzZipCqCJ4681lF8G"
    "Tvm82N4FHN95rG9ZSXPdl8zyIjbE+rve0xWrWr14fRKbu6NZ3xSJFqnI7SKk7XmtN+vEYV"
    "RkdJFZ/rzOeXjrmtGWtV3fRdwbQ2Ycw7H/uUE8SsSnmDEjG1RUOWXzI0vGb77Zoiw8t1md"
    "NNiNPqO5ZqMmdazjmfp0GrOqW3XLE4+5JFjlaKst+JEkdVYuxXqygfLse0kvLyWi0YO89D"
    "0jU9JCoUPn/ytykmroMA97l6YdRy9LYoOAQcyEv7DBfspB9zDfYoQnEf2soT9snpyCX66c"
    "CaUk1+tAP+aPSAT0kHb7yqQ97qAmJRicJCYC8am7cvbuFNn2DqVS2ijjVjNzC3+B3prm3z"
    "/n+C7dSrkhTcC5/NZKDz334yAD0NahlZxGBTEopshwGLTboPLALu/3WF/WjzW0/cZ0cANP"
    "Ejygosz4ok92LFIyHnQVZEuSjyMzx+LYHk/zg8PDr6cPj26P3Hk+MPH04+vg2lquSpPPHq"
    "rPuZS1j7sm73fLi5CifdfjipeFWKaxLBcKWepahn/v5STjeLEilcn1fNpOS2FRUIKbFuxy"
    "AuKo5FV1ed8h3byMb6JE1o88/kSmxwOUa1/tml9zrv+8/kReqrnkU//BJJE7/4JyeFMhlO"
    "cjIZTuJffP5SlUDYH95AdDdSOc6vuJdE+Jf7m+tM4TUgiXuMsO6A/wIT010UA3LA5WBE/E"
    "QBpmG7Bwnu85RmD3yCs1ULWa/6Mfvx/9XPCSI="
)
