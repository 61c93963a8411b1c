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
    "eJztXVtz2ziW/isovYxT5XEljp1k3FtbJdtKWj2O5JXlTve0uiiIhCSMKZBNkFZUM/nvC4"
    "AX8S6S1oWi8ZLIJA5IfucQPHf8p7UwNKTTs3vL0BzVbl2B/7QIXCD2I37qFLSgaa5P8AM2"
    "nOhirBkaNKG2BcVcU6hTxA5piKoWNm1sEHaUOLrODxoqG4jJbH3IIfgvBym2MUP2HFnsxB"
    "9/ssOYaOg7ov6f5pMyxUjXIjeLNX5tcVyxV6Y41iX2ZzGQX22iqIbuLMh6sLmy5wYJRmMi"
    "bn+GCLKgjfj0tuXw2+d35z2o/0Tuna6HuLcYotHQFDq6HXrcibI+1lKUXn+oPHSGitIqAZ"
    "BqEA4uu1Uqnn7Gb+Hv5+8uPl58ev/h4hMbIm4zOPLxh3vpNTAuoYCnN2z9EOehDd0RAuM1"
    "qOL/BKw3c2il4+qPjyHLbjmOrI9jHrT+gTW2a3naB7gL+F3REZnZc47o27c5UP7aHtz83B"
    "6csFFv+CUN9gK4L0bPO3XunuN4r/GlujMrg68/fjv4HlZ0d49u+M4SIA/R94zFIUZWCWsP"
    "ybqIcg62w85vQz7zgtK/9DCkJ1/bvwm0FyvvzF2/98UfHmLBzV3/Ooa89zVwQSsh33G6Xa"
    "0jhxP0DxcF5PzDRaaY81NRrFULcSwUaCeRvmVnbLxA6WhHKWNYax7pmf/jGFdw9oBan+gr"
    "j+V5r0H3a+dh2P56H3kXbtvDDj9zHnkP/KMnH2JsCiYB37rDnwH/E/yr3+sIeA1qzyxxxf"
    "W44b9a/J6gYxsKMZYK1ELS6R/1UYtw3TG1ilyPUkqu14XrPkYhtou75xrv9CmknvEDE6g+"
    "LaGlKZEza/F4hhaGHI+EcFx7lJ//OUA6zPjIeZr/r+4sRygDP3yp94+G0TTOjSw4k6cW54"
    "v4EUjgTDwSvza/UgyuFBsqhGS2DfUcGiRtqL0tFzu2oeiTU0rFd4c3TsPfvuIjjdPdmk+m"
    "hdUUgG+RihdQz1LgPZq4XuESnXnERwh4Dr63nZvu1/bdybvz03MBMNMYsI3C0F8k0FUdy0"
    "JEXZWR4DBNA6X4fQEZfp8pwe/jCEObXXzi2ChFC/rlod9LxzhKFRdjrNrgv0DHdGdKUet/"
    "pg5ROZBg4mDdxoSe8cv+b2v/gs1RyvcNxN0AMZWXTxD3DUh7Nft1OE7LpYi96nt2SqmYUa"
    "LNquYxsHgL2mbCIkzAnMT4s2EhPCP/RCsBdZfdFCSpn+pk1OfIIM6y/dhhCy4DsycmXQwB"
    "9tzI/WzftB9u2red1o8itja1DfXphZb2A5+jQVhH3n3D0pCl6JikfYnLoNTnE92xeY7WA7"
    "9fh4QrVSnuiEDcsp0RNBiyyRXReiTYpsCYAoMg4DkxACbiT/YQaG44FJ21YjgVJBuRERmP"
    "/3LYSWyvxmOAGQ0Bc0i0n8B4zL5QyHpGmntizmABkxVwCJ1j00QaELJHz0D7GWIhGmxYeE"
    "Lwd7Ce4ieAnpG1AiqbfYbcKyHAeKZh/qxQB4/3/GMKqAGwDQgfDWYGouznjMnus/uUKR6Y"
    "P8LOneDhWn9Kz8wBPTO+DJSANkyyP33kba0BXgPqv0klAA2TSEDjgHqLRjmtOUokteYUXI"
    "MVuByycTKJ7WaLJPTde6FF0rxoVNwiib656RZJqhhvAd1v4bkaim/8/Y0gPOg8DAfdm2Ge"
    "0bdLZX3NgBSFPcKdbKU9IhAyhnhUa2iepqoyVpcKFHjjZRRRRhEPHEWEmsZ0/HIhmDXJi+"
    "Iv9XQB7TTQUilZSDowpQOzng7MG4fJ5kIoIAmVKDiXqxGp4VFSIWqKQoQWEOtlPtsBQeNU"
    "ovPLIjoRG5X91b48rFZUs5VuH6lVkNIl+6ooc0jnZXBOEDZRDb28LCTQlzkCfSmrJF5r1k"
    "klFdgNE25BuTu+5e5AkWk4naZpde6JXJWOBkOkPif1OanPSX1O6nM10yh2r8+ZyFpgStmN"
    "lXItxsjqkd7Nr9eY9G5MFeowmB3qKkMxfcowdARJxscyRhrjzoTR7ootwZH9cuC637+LcO"
    "C6G6+uf/x63RmcvIvVlSRTGhh4TBXCzynL/CbQ13R7RNz/wB4t4NKizF7/X61FuUubybUv"
    "U2ymwPDMtpmMYMgubaY/uG1mO+LSISH/U9pSe23a5Cwmad/eHG0/oNiKvl8jY+r9eZGawv"
    "PsosLzuOJpG08opZ1QNrgBQeMs1e0nYxzaDZD8bjbMD7Ben5MId9gykEgWjPYmCKj3Z6a2"
    "7ju9227vi3Lf/v1rpzcsaSfFya9A7MCI3A/6N52HB3aMnQx+s+PtwbDbvrv7Xfn8ePe5e3"
    "fXuWUDkgdH5Kb/9f6uM+Tng5/saLt30xFE/q8R6fx23x3wQ96PVi3WNBOuFojYysukIznL"
    "/qWkonQEUsG53hVs7t6GJWDQ+fzYu40KgH9sRNZn18c+t7uC9+7/I/JrvytGuP/Xg++yB8"
    "GuexBQZ2IbNkz5puW20QiTvcpOGhclOmmIUj92QaUS0gliifcGvKvALNEtiq6Fpg57Eq2S"
    "NCeJD4P3rurrdrZ0VMhSTqOV6crVAwcTrOsVWZFCKjlRnROBZC8QAzHFRVfgpViTSk5U5w"
    "Qx7JR4Tnbran98E8L2eUGDXfSsJghpVLHQM0bLkjG0OKkMXJYJXGpoYTK5ZTal8oRK2aIp"
    "pI1zsu4kX0WFls3mIzNkmRZOq87OcQCk0DbQEfDaG7XvVeKbFS+WfdqbzHUfo3if9qhDHV"
    "dheYhsC/w+In2u3uxNvtWqsTB534hKi3mMVnK61pzmoS69GqOjpJLPteazVydcriFUjKpS"
    "P6iaMXXH7aDC9dhRkEt3LAoXgB8XxkX7FcXEK9KuiN0D6D3e3RXrUYue0Yt3gxFphh0+0R"
    "Eqm4X6POy5w8NRYuRlebwQpnt3lqaCxJ4RPyMLv1Sabt15Vk3FaeroU6zrWxCoz+uZmgTW"
    "zvPJ3fU8K6k8WO03ZJYrKBi4sVt0nyDABlsr3voZErdD898o4DowX4BjTZhtIxgElha2kW"
    "jKnOwmvb1pi+S5B/n0ldPcr/HstWS6/+P8/P37j+dv33/4dHnx8ePlp7eBUpk8laddXne/"
    "dHuxOMPmfHgBYAL/nIRtb3wDndrvCgUT3uUEE94lgwkLRClbYcrEKUMkjUB537FKtsAapS"
    "o8AoImRIb3kCfPF5Mkvtl5D/54mewgN4aSoZIyATJXfyzldQuTyBbsm31ugbL6Qodb0QZH"
    "dYO3qLstLFdlt4PauaEmfEpZdprvcNpkpun+uI1WWhtQAk06N2xuTy3n0AZLSMHEcGZz+w"
    "owc5wZTir76unGDCCN7+Tjbofj2Ve+cZU01LY6s+zjVK/aY/ZxwL6jpiC0YRK5A0w8O+6Q"
    "u0cfOClINn7fF7gXhdwCFzlugYu07aPd7RXLul/idA3Ee/vCbIg7KlU0ESKRVmt1q/VoNp"
    "GrvVaRxFSBum6oAofy6EaJpWaRCbIXhKsGcoRYgpwJsp8MVgXjMK2EOBNiC9mORapBHKaV"
    "EMchZg9lK6aF1RRFLrceOUr4Kmu/z0uUI8t+HDvvx3G0/Y9a5eBO6WzT7Sn3g/6XQefh4Q"
    "qE/hiR285d99eO6EsU/EzvXzToDB8HPbfTjfsr7t8rxNStd7KRUYTtr/qH2ny4ZgZlk/Ye"
    "biC0Mu61ST3ZQtwrZVnYAq7FN3SumdwWBTZnP+d1+n4dNnQ+UnxfvJ9zaibyNjZ6DKUjN7"
    "kYQDOWRDegpsws+OIU7ltvsi9Ws3Z532kS9y/GpJWSFcAPn+blA/zbG1AgEcAyljxSb88R"
    "exxIKBTbV0AdGI49Mb6nRfg3kYzIiHyzsG0jAjAR4yh7gPBgAKk47udr8zwB0WcFYPsUUJ"
    "G+jaZTpNoAexkCIyY+1AYTZC8Rm1g1Fgtss3EaQIRJiIPOwDfDekIWBaoO8QJoDuK3SsUY"
    "y3FvhF1P05HF7388fmKyNB6PyAlFCFwxHK/GxoKeMfTo2VLMNX5zBjois5znlrFFeWHyG6"
    "I2W681/nCPw5vCaeVrA5PdjZfOxpY2mVlez8xyLh1lfDX++Ab6aXaSWW7CFf8glIlqhkjq"
    "sbkPv2xjNvc5QvfZ/z12Hj0vVQnvmUt1Bdz/R2Tw2OsJb5r3Y0Ru+73OFeD/cv9ZW7jO2p"
    "W8Ye8+FHlz4im6oRfnQ/y9gezDujDT9LHMD0OYRAZA4j4bzq8KoMbJ9gfspyMBdq3mlMn3"
    "X1M1MNf/SHL7fUxyk/t1Q31CmuIQO21bj3wmx2ll/5Qj4PSkVOwyQtS8yrSd6MQ6pLaCLC"
    "ut/i+74DJK1QSo911yqSHNMVHZDqVRqqbtrrWb3qSyDPAVlgHKPplN43qK2pDs/4IJpvNK"
    "bI+RSu2wPmx23+5EYP4wxZP3yMKGhtUHlQmLIx49ES1JjDnNC52Y3miFhodvDKR8myMCEF"
    "TnwJ8A/NuYuMGL7zaPRZwCyhQJpIHJCkBdB26AgSYDLNWn4oGXtvcXWGJCAfTmYH/Zc94D"
    "BzA51LAXr3m85/LjxkL43Ipreo/H4bAKm2RE+A1MDQtgOyuiI6I2obvmERfedUdFAKqWQW"
    "nsTgciMmOxG3K/62LSKbaoLUIt7M6956AIubGiMBqyPLSG5aGHrbmrkea8E9NQNLhSKOIv"
    "cBk3ZYJOpkOmuCpDy19ZXSVG2kAd9diVlaSHxf20VdFM0+ilelo3jtdFPfUaoaZppeseqT"
    "nKaGhQodaLXjyKN0BkIqvz/JlQt8QFUwBXTJeyeDcOpmHNmDwu4QqcQPDA5MFEwLsr9jFh"
    "/54mVNPtX2JEmFYJAUPQYQqp97zAYl8rNqFQcKkNp9M3WQrfHy3vCvw8W4iRxRRbxc+qka"
    "rggVTBEFOKaoMhkgZm0Gy/KCYs7CVgjpE1IVgQ7xh4WcRtfXmZ0zHwMpFzsTCctKz43PrI"
    "NdGrrI0ss1WrrI3cR21khnVeLLdrz+1atlcZ+fB4c9Pp3PKEr+DniHxud0X1o/t/Wj1kXP"
    "s5TLbXFGLdsZBSoQ9vCmkTlvt9x4ZlyDJb+I8zeCVDlq+R60VClrLSXNbt1qT8MbNut0jp"
    "406dWpahMo0Cad/QZG4YT60071Z8zGmum8sfrSxDwwsUr/neJbFBCYA6X5hWXo2XdiW2/g"
    "gVoYXrz4wp4L1n3Rozt+Is4e3a8vwjYiFv6yCkeVPOIQXEAG50xhstY5vSoVXHhWvnDi3+"
    "RpT1ZoVoGhdG3oknS8BTAmF/fANFeCdhegupiC3xVQyHGKm0HOpiOWTZizWJMgb7CKYoYu"
    "E9BrMVMC08aqPeNeTV+qGYn+iowTUenl/mNXgGnJtgyVQdoS7x/C5DKEnGkjAJAabuzDBJ"
    "Jr9tcW6eDccDlrxdgYkscCLmPI3M8uY0UOKWPO1OzCK2jcMU8A3bfxKHfHx46tmILKD1xB"
    "sViPrQTR0O3JthT8LT2VxFUKTziYYES6yiEfFmd7PlsgOdgeEU6aEt45wH3RFBtkHfXxv0"
    "I6xP31oQI1yQHg1d1CNMIQvXZHCibstRs5TNCNeNhcndgZX4HqOVyYv1iUckOS0DEjIgUf"
    "eAxIE30AtvDp9iAcf2js82gqexgRvtYN+25uYpNZj5xxvi09gO5ZkG7BUvzoKWihhLIKCI"
    "b5iXMIe3fwlmbnqdGIHb1vEM9JfETbUVQQxGx+Z0zVZmHc+xOgdPCJlUBDQ0ZEOsu331eE"
    "7vHJsLN4830uCRvgGmwUSJm+PMgEWuGa2yV8qbi//pPgsvNRMGtNDPy+/RnrSGpfkrzV9p"
    "/jbK/N3G7gZ1NJul+ZYNfXPNN5lb1jSuF8ktC3I/KvA9TiuN9vowWhrt0mhvpNEe8u7LPR"
    "PkngmH2jMhZAF53oZsVPsEDQ32z2ZsH0JzHeWXMh3Van4z8Ubm+878l7aQ/0xsslLMifbo"
    "O7S488pNveDEPK2CHwlNmkwWKUkrc2rr5T2Sm2tvv49N+CUsJbRJQolvCr6uPsVXmSr6fY"
    "hOortZyY9FZF6o6scCQUcGdVGFP/keb970by2c27KoGqbix0FOvM11iocGmm2KQhfWenPq"
    "seYrilWoK2GFe6Mql42yVLzqpXi95kjSw8/d+3vRC8L9UTyCVJOIEbQsnOb6ymmUsiZpYK"
    "B1+4VoHl5K2X6mcboGgr2Tkin+WXli96CwpWdSTrRTSCXqJVF3rJTdewpA7tE1IWs7AXdB"
    "vHMBTyC+ZIr03Oae4UWZBr5xMrmBW9woZw+JdMXUpimOYUygtcqqPgiRxVCdrGw34nFcgp"
    "wD27W3C2QQQGWyet3ttQe/p9cfXKfsGnn9+7DTliksDU9mKJLCwi1DsxLXo5QykaHOiQwy"
    "ZeW1cLp2cYOjd8C8qDlAQR+4H+7ejwf8oCzZtv97i+0XIlkaaT0Y4mkcOY0Y8AzbUFeiaS"
    "TFIunDOQIWNxV4O4SgyEMEwrHON9TR8QLznXZcW5nHzfm6S4HYhJWd15i2wn3aaV0ZtjU1"
    "b8ownHt0mAJKoEnnhs2Jp5axEKUgz9DCkDfcsoPOC17nBJ2JqwUc073+lB0haCkm43UtiD"
    "fTsoE6h2SGwJK3klhCdg1D184Av+rj4O5vlD3DE2/axU7gGa98EXsjiRIUxFRSGzyhFTDY"
    "RUdkPD7B2imblL1Wb8bjK/Y8M4d3U2XsOhWVK4RvrwKobbAPnUwyqKGvW/CujH8jIGigI2"
    "n7vlL+6pVB1x/fQHAvC3mNLnOcRpdJnxHHq7QjOkLUQKR3szOtIXYkKV3LFqdrIN478T8H"
    "Ko7QHUp8+ZKElSyOmhmT2/aJBiip6TtXbIZXzdi9QjqcW+i7iZnxXcErEqWUPpE6+0Qs9M"
    "wshWqdHMOUkst15rLoQRUsehU3BIzRS47XmeMyYpX9oWxuxKp2Hu5Ds1pmxtccXZkZX+bT"
    "JDPj6wByrTPj28jC6ryVEqLxzpzmxWbgeoxMhT+mdfQ0JzzA+257dcJFHX4hkgb6+nazfS"
    "p7qUog7A1vILo78aR6Hugkwr889Hu5Tus0KwarNvgv0DE9Yl0gDVwORsRUSbRfjndaPo3a"
    "IHyC65cmdrz0Y/bj/wEcRFJG"
)
