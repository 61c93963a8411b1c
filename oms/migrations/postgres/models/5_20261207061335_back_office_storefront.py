from tortoise import BaseDBAsyncClient

RUN_IN_TRANSACTION = True


async def upgrade(db: BaseDBAsyncClient) -> str:
    return """
        CREATE TABLE IF NOT EXISTS "catalog_change" (
    "id" SERIAL NOT NULL PRIMARY KEY,
    "product_id" INT NOT NULL,
    "variant_id" INT,
    "sku" VARCHAR(64),
    "field" VARCHAR(32) NOT NULL,
    "old_value" TEXT,
    "new_value" TEXT,
    "actor" VARCHAR(254) NOT NULL,
    "created_at" TIMESTAMPTZ NOT NULL
);
CREATE INDEX IF NOT EXISTS "idx_catalog_cha_product_97a05a" ON "catalog_change" ("product_id", "id");
        CREATE TABLE IF NOT EXISTS "discount_code" (
    "id" SERIAL NOT NULL PRIMARY KEY,
    "code" VARCHAR(64) NOT NULL,
    "code_key" VARCHAR(64) NOT NULL UNIQUE,
    "kind" VARCHAR(16) NOT NULL,
    "percentage" DECIMAL(5,2),
    "amount" DECIMAL(14,2),
    "currency" VARCHAR(3) NOT NULL,
    "minimum_subtotal" DECIMAL(14,2),
    "starts_at" TIMESTAMPTZ,
    "ends_at" TIMESTAMPTZ,
    "usage_limit" INT,
    "usage_limit_per_customer" INT,
    "times_used" INT NOT NULL,
    "product_types" JSONB NOT NULL,
    "product_ids" JSONB NOT NULL,
    "active" BOOL NOT NULL,
    "created_by" VARCHAR(320),
    "created_at" TIMESTAMPTZ NOT NULL,
    "updated_at" TIMESTAMPTZ NOT NULL
);
COMMENT ON COLUMN "discount_code"."kind" IS 'PERCENTAGE: PERCENTAGE\\nAMOUNT: AMOUNT\\nFREE_SHIPPING: FREE_SHIPPING';
COMMENT ON TABLE "discount_code" IS 'A code customers type at checkout. ``times_used`` counts the redemptions that were';
        CREATE TABLE IF NOT EXISTS "tax_rate" (
    "id" SERIAL NOT NULL PRIMARY KEY,
    "name" VARCHAR(100) NOT NULL,
    "country" VARCHAR(2) NOT NULL,
    "region" VARCHAR(64),
    "tax_class" VARCHAR(64),
    "rate" DECIMAL(7,4) NOT NULL,
    "created_at" TIMESTAMPTZ NOT NULL
);
CREATE INDEX IF NOT EXISTS "idx_tax_rate_country_5b33ec" ON "tax_rate" ("country", "region");
COMMENT ON TABLE "tax_rate" IS 'A tax rate of a country, or of one region of it (a US state), for one tax class;';
        CREATE TABLE IF NOT EXISTS "shipping_zone" (
    "id" SERIAL NOT NULL PRIMARY KEY,
    "name" VARCHAR(100) NOT NULL,
    "created_at" TIMESTAMPTZ NOT NULL
);
COMMENT ON TABLE "shipping_zone" IS 'Countries shipped to alike: one set of methods and rates.';
        CREATE TABLE IF NOT EXISTS "product_image" (
    "id" SERIAL NOT NULL PRIMARY KEY,
    "digest" VARCHAR(64) NOT NULL,
    "extension" VARCHAR(8) NOT NULL,
    "content_type" VARCHAR(32) NOT NULL,
    "width" INT NOT NULL,
    "height" INT NOT NULL,
    "alt" VARCHAR(300) NOT NULL,
    "position" INT NOT NULL,
    "created_at" TIMESTAMPTZ NOT NULL,
    "product_id" INT NOT NULL REFERENCES "product" ("id") ON DELETE CASCADE
);
CREATE INDEX IF NOT EXISTS "idx_product_ima_product_ff0523" ON "product_image" ("product_id", "position");
        CREATE TABLE IF NOT EXISTS "stock_adjustment" (
    "id" SERIAL NOT NULL PRIMARY KEY,
    "sku" VARCHAR(64) NOT NULL,
    "delta" INT NOT NULL,
    "reason" VARCHAR(500) NOT NULL,
    "quantity_after" INT NOT NULL,
    "actor" VARCHAR(254) NOT NULL,
    "created_at" TIMESTAMPTZ NOT NULL,
    "variant_id" INT REFERENCES "variant" ("id") ON DELETE SET NULL,
    "warehouse_id" INT NOT NULL REFERENCES "warehouse" ("id") ON DELETE RESTRICT
);
CREATE INDEX IF NOT EXISTS "idx_stock_adjus_sku_47f9a9" ON "stock_adjustment" ("sku", "id");
CREATE INDEX IF NOT EXISTS "idx_stock_adjus_warehou_d9dbb6" ON "stock_adjustment" ("warehouse_id", "id");
CREATE INDEX IF NOT EXISTS "idx_stock_adjus_variant_4e0ba4" ON "stock_adjustment" ("variant_id");
COMMENT ON TABLE "stock_adjustment" IS 'One change of units on hand made by staff (adjustStock, setStock): the audit trail.';
        CREATE TABLE IF NOT EXISTS "customer_address" (
    "id" SERIAL NOT NULL PRIMARY KEY,
    "address" JSONB NOT NULL,
    "created_at" TIMESTAMPTZ NOT NULL,
    "updated_at" TIMESTAMPTZ NOT NULL,
    "customer_id" INT NOT NULL REFERENCES "customer" ("id") ON DELETE CASCADE
);
CREATE INDEX IF NOT EXISTS "idx_customer_ad_custome_fd5ac5" ON "customer_address" ("customer_id");
COMMENT ON TABLE "customer_address" IS 'One address of a customer''s address book (oms.accounts.addresses); ``address`` has';
        CREATE TABLE IF NOT EXISTS "discount_redemption" (
    "id" SERIAL NOT NULL PRIMARY KEY,
    "email" VARCHAR(254) NOT NULL,
    "released_at" TIMESTAMPTZ,
    "created_at" TIMESTAMPTZ NOT NULL,
    "code_id" INT NOT NULL REFERENCES "discount_code" ("id") ON DELETE RESTRICT,
    "customer_id" INT REFERENCES "customer" ("id") ON DELETE SET NULL,
    "order_id" INT NOT NULL REFERENCES "order" ("id") ON DELETE CASCADE,
    CONSTRAINT "uid_discount_re_code_id_390987" UNIQUE ("code_id", "order_id")
);
CREATE INDEX IF NOT EXISTS "idx_discount_re_code_id_7af283" ON "discount_redemption" ("code_id", "email");
CREATE INDEX IF NOT EXISTS "idx_discount_re_code_id_62e2be" ON "discount_redemption" ("code_id", "customer_id");
CREATE INDEX IF NOT EXISTS "idx_discount_re_order_i_c7ed6d" ON "discount_redemption" ("order_id");
COMMENT ON TABLE "discount_redemption" IS 'One use of a code by one order. ``released_at`` is set (once) when the order ended';
        CREATE TABLE IF NOT EXISTS "shipping_zone_country" (
    "id" SERIAL NOT NULL PRIMARY KEY,
    "country" VARCHAR(2) NOT NULL UNIQUE,
    "zone_id" INT NOT NULL REFERENCES "shipping_zone" ("id") ON DELETE CASCADE
);
CREATE INDEX IF NOT EXISTS "idx_shipping_zo_zone_id_8c969b" ON "shipping_zone_country" ("zone_id");
COMMENT ON TABLE "shipping_zone_country" IS 'A country of a zone; a country belongs to one zone at most (unique).';
        CREATE TABLE IF NOT EXISTS "shipping_zone_method" (
    "id" SERIAL NOT NULL PRIMARY KEY,
    "position" INT NOT NULL,
    "code" VARCHAR(64) NOT NULL,
    "name" VARCHAR(100) NOT NULL,
    "price" DECIMAL(12,2) NOT NULL,
    "free_over" DECIMAL(12,2),
    "weight_bands" JSONB,
    "zone_id" INT NOT NULL REFERENCES "shipping_zone" ("id") ON DELETE CASCADE
);
CREATE INDEX IF NOT EXISTS "idx_shipping_zo_zone_id_a6a42b" ON "shipping_zone_method" ("zone_id", "position");
COMMENT ON TABLE "shipping_zone_method" IS 'A way to ship to a zone and its rate: a flat price, free from a threshold of the';
        ALTER TABLE "product" ADD "archived_at" TIMESTAMPTZ;
        ALTER TABLE "product" ADD "tax_class" VARCHAR(64);
        ALTER TABLE "product" ADD "published" BOOL NOT NULL DEFAULT True;
        ALTER TABLE "variant" ADD "archived_at" TIMESTAMPTZ;
        ALTER TABLE "variant" ADD "tax_class" VARCHAR(64);
        ALTER TABLE "stock" ADD "low_stock_threshold" INT;
        ALTER TABLE "warehouse" ADD "priority" INT NOT NULL DEFAULT 0;
        ALTER TABLE "customer" ADD "default_shipping_address_id" INT;
        ALTER TABLE "customer" ADD "email_verified_at" TIMESTAMPTZ;
        ALTER TABLE "customer" ADD "default_billing_address_id" INT;
        ALTER TABLE "order" ADD "customer_name" VARCHAR(200);
        ALTER TABLE "order" ADD "tax_lines" JSONB;
        ALTER TABLE "order" ADD "tax_total" DECIMAL(14,2) NOT NULL DEFAULT 0;
        ALTER TABLE "order" ADD "shipping_tax" DECIMAL(14,2) NOT NULL DEFAULT 0;
        ALTER TABLE "order" ADD "prices_include_tax" BOOL NOT NULL DEFAULT False;
        ALTER TABLE "order" ADD "shipping_discount" DECIMAL(14,2) NOT NULL DEFAULT 0;
        ALTER TABLE "order" ADD "discount_total" DECIMAL(14,2) NOT NULL DEFAULT 0;
        ALTER TABLE "order" ADD "customer_name_key" VARCHAR(200);
        ALTER TABLE "order_line" ADD "tax" DECIMAL(12,2) NOT NULL DEFAULT 0;
        ALTER TABLE "order_line" ADD "discount" DECIMAL(12,2) NOT NULL DEFAULT 0;
        ALTER TABLE "order_line" ADD "tax_rate" DECIMAL(7,4);
        ALTER TABLE "order_line" ADD "tax_included" BOOL NOT NULL DEFAULT False;
        ALTER TABLE "fulfillment" ADD "tracking_number" VARCHAR(100);
        CREATE INDEX IF NOT EXISTS "idx_order_payment_af4a58" ON "order" ("payment_status", "id");
        CREATE INDEX IF NOT EXISTS "idx_order_needs_r_3335dc" ON "order" ("needs_review", "id");
        CREATE INDEX IF NOT EXISTS "idx_order_total_b44786" ON "order" ("total", "id");
        CREATE INDEX IF NOT EXISTS "idx_order_custome_a80c3c" ON "order" ("customer_name_key", "id");
        CREATE INDEX IF NOT EXISTS "idx_order_created_3f4aec" ON "order" ("created_at", "id");
        CREATE INDEX IF NOT EXISTS "idx_order_paid_at_9dd3d8" ON "order" ("paid_at");
        CREATE INDEX IF NOT EXISTS "idx_fulfillment_trackin_b65c72" ON "fulfillment" ("tracking_number");
        -- Prefix matches (email, customer name) under a collation other than "C": written by
        -- hand, as in oms.orders.search.POSTGRES_INDEXES (the models cannot say varchar_pattern_ops).
        CREATE INDEX IF NOT EXISTS "idx_order_email_pattern" ON "order" ("email" varchar_pattern_ops, "id");
        CREATE INDEX IF NOT EXISTS "idx_order_customer_name_key_pattern" ON "order" ("customer_name_key" varchar_pattern_ops, "id");"""


async def downgrade(db: BaseDBAsyncClient) -> str:
    return """
        DROP INDEX IF EXISTS "idx_order_customer_name_key_pattern";
        DROP INDEX IF EXISTS "idx_order_email_pattern";
        DROP INDEX IF EXISTS "idx_fulfillment_trackin_b65c72";
        DROP INDEX IF EXISTS "idx_order_paid_at_9dd3d8";
        DROP INDEX IF EXISTS "idx_order_created_3f4aec";
        DROP INDEX IF EXISTS "idx_order_custome_a80c3c";
        DROP INDEX IF EXISTS "idx_order_total_b44786";
        DROP INDEX IF EXISTS "idx_order_needs_r_3335dc";
        DROP INDEX IF EXISTS "idx_order_payment_af4a58";
        ALTER TABLE "order" DROP COLUMN "customer_name";
        ALTER TABLE "order" DROP COLUMN "tax_lines";
        ALTER TABLE "order" DROP COLUMN "tax_total";
        ALTER TABLE "order" DROP COLUMN "shipping_tax";
        ALTER TABLE "order" DROP COLUMN "prices_include_tax";
        ALTER TABLE "order" DROP COLUMN "shipping_discount";
        ALTER TABLE "order" DROP COLUMN "discount_total";
        ALTER TABLE "order" DROP COLUMN "customer_name_key";
        ALTER TABLE "stock" DROP COLUMN "low_stock_threshold";
        ALTER TABLE "product" DROP COLUMN "archived_at";
        ALTER TABLE "product" DROP COLUMN "tax_class";
        ALTER TABLE "product" DROP COLUMN "published";
        ALTER TABLE "variant" DROP COLUMN "archived_at";
        ALTER TABLE "variant" DROP COLUMN "tax_class";
        ALTER TABLE "customer" DROP COLUMN "default_shipping_address_id";
        ALTER TABLE "customer" DROP COLUMN "email_verified_at";
        ALTER TABLE "customer" DROP COLUMN "default_billing_address_id";
        ALTER TABLE "order_line" DROP COLUMN "tax";
        ALTER TABLE "order_line" DROP COLUMN "discount";
        ALTER TABLE "order_line" DROP COLUMN "tax_rate";
        ALTER TABLE "order_line" DROP COLUMN "tax_included";
        ALTER TABLE "warehouse" DROP COLUMN "priority";
        ALTER TABLE "fulfillment" DROP COLUMN "tracking_number";
        DROP TABLE IF EXISTS "catalog_change";
        DROP TABLE IF EXISTS "stock_adjustment";
        DROP TABLE IF EXISTS "tax_rate";
        DROP TABLE IF EXISTS "shipping_zone_country";
        DROP TABLE IF EXISTS "discount_code";
        DROP TABLE IF EXISTS "shipping_zone_method";
        DROP TABLE IF EXISTS "product_image";
        DROP TABLE IF EXISTS "discount_redemption";
        DROP TABLE IF EXISTS "customer_address";
        DROP TABLE IF EXISTS "shipping_zone";"""


MODELS_STATE = (
    "eJztXWtz27jV/isYf6n9jupJfElSp9MZ2VZSbR3ble3dbVc7FEVBEtcUqCVIO267//3FAU"
    "gKvIrUhaZofElkEgcEH4DAuZ//7s3sEbbo4a1jjzzD3TtD/90j+gyzH/FbLbSnz+eLG3DB"
    "1YcWbzuXGg2p6+i8r7FuUcwujTA1HHPumjZhV4lnWXDRNlhDk0wWlzxi/u5hzbUn2J1ih9"
    "345Vd22SQj/B3T4M/5ozY2sTWKDNYcwbP5dc19mfNrXeJ+4Q3haUPNsC1vRhaN5y/u1CZh"
    "a5Pw4U8wwY7uYujedTwYPozOf9HgjcRIF03EECWaER7rnuVKrzvUFtf2NO365l6769xr2l"
    "4JgAybALhsqJS//QSG8Oej9ycfTz4dfzj5xJrwYYZXPv4hHr0ARhByeK7v9/7g93VXFy04"
    "xgtQ+f8JWC+mupOOa9A+hiwbchzZAMc8aIMLC2wX66kKcGf6d83CZOJOAdF373Kg/LHdu/"
    "h7u7fPWh3AI232AYgP49q/dSTuAd4LfKnlTcrgG7TfDL6vu3S3j648sgTI9/h7xuYQI1sJ"
    "ax/JuizlHGzvOz/fQ88zSn+3ZEj3v7V/5mjPXvw7VzfXX4Pm0hRcXN2cx5D3TwMBWon1Ha"
    "fb1j7yegv9w0mBdf7hJHOZw60o1oaDAQtNd5NIX7I7rjnD6WhHKWNYj3zSw+DHLu7g7AVH"
    "N8R68ac87zPofuvc3be/3Ua+hcv2fQfuHEW+g+Dq/ofYNIWdoJ+6939H8Cf69811h8NrU3"
    "fi8Ccu2t3/ew/GpHuurRH7WdNH0uoMrgaoRWbdm49WnPUopZr1usx6gJE07f7oF7Pusq3E"
    "sHRKy2yqEaImnGbb3lF1x5iaTyt9XDHSDXxdNcN+dz+m5B4694aWSac4RXI8t20L6ySDS5"
    "HpYlM8ZITb2jMDrqXaaT2/ubmKzOh5N84BPnw77/T23/OpZI1MV0jfXLwEgX38KEmXcGGo"
    "G4/PujPSIncWM/OkO6YOQ0tOjE/55R89bOkZPLqvuPhR9LKDR9gfwZILrqYdBuZMn+A1If"
    "J1O13oqkk4wSKzj+ysZZe8NTuaxa/ohIEy8p8NT4otqxRVmbTislVlT1KjbarKfgmVcr8q"
    "rVmVWjP66JVS6ojmjdPpbJ4xU+rI7SrM5o5ppAB8iQ121lhZKhufJs7rCqJDn3gHAc/B97"
    "Jz0f3Wvtp/f9Q6inE9AfQnCXQNz3EwMV7KrGCZpoGr+LjAGj7OXMHHCcHNZQ8fem4aV/TD"
    "3c11hswWoYovY9Nw0f8Q4/e3xkfu/XXsEQOAREPPtFyT0EN47N/2ql/YgFK+Njiu+G1F5T"
    "LoIK4NVhrK7M9hN3VVRTSUSldVBUukdFVvRFflW8ZKCWxRouWC2y5smBuQ3RIqqQTMSYy/"
    "2A42J+Qf+IVD3WWD0kkq45v0mtkxiLOUKuyyoz+HSoTY6mIIsPfGggm+aN9dtC87e38UUf"
    "ZR1zYe19Rj3UEfDcI66iUCL8c2i9886s7w2mpRjlU77G1n9/V80GxnhB3NMsm6KtIb6OiK"
    "9dNQoKg3DDuHplwhue4Sk/q88LtsEHzb1C5f6K5u2RPGIhN+1CV0zNEGrTxNsyGaasaibS"
    "UKZ/9IYP8qzXOlmmfFJW4S54Q9shyuUaKVcK3ZhrhpWCs0lNQNyS2rBcYBgEWxDQmaqGU+"
    "KqJmPsrWMx/F4bVZN0+65aUYS7L9iiNETVjEVXsVE/xcHvUIkUK9POqMW7SdMltJSNDAre"
    "TotMhWzVplm11PlQf3m7WPlHCG26aMGfH6yo74C73Clob9aWbYtBqPJjEdJu9TyZiVypgj"
    "c4Jpyk6VfSAsKBp4Imyed2esDCY0NWgtG+MIUQNh/lQA5U+ZIH9KHLk2YXiVD1CL0zUQ6c"
    "1LS8/miPVcfCcO2ytdVIrSZIrNyTRl/82Ec0Gg8EzBU7dKHWZ+8+o+/L29aj77Qg6lxzkO"
    "pccpDqUBj1Z8tcok1a3XdzuyWJWomA11s0RF5fyzna9JOf/UwPlnm8oN4QqUotUIfYSy1R"
    "k0bLJMjbH3QEyXInuMbIKRb+pDJuF/spfAU9uj+HAvBnpBsj7pk8Hgd4/dNN2XwQCZjIag"
    "qU5Gn9FgwHYW7DzhkbgxZbCg4QvyCJ2a8zkeIe77Qg9R+0k3+UJjzeQO0Z/RoovPCD9h5w"
    "UJJwHxJIzYAhjxc1i30MMtbIKI2sh0EYHWaGJjyn5OdNd8Em+Zor35RQ51C19O6GsiWp3Y"
    "PaXLqUqXEyyIEtDKJIo/i/NnwWdVAlCZRAEaB9RijJLwf3SnDKmpnWbWzsQ2g1r5YtTHxa"
    "VuDNCmcQ3PtnLIxskUtsv5d4nbWJN/b17miDj/Hv1y0/n31GW8AXR/kvtqKL7x7zeCcK9z"
    "d9/rXty/qogkRQBkCUvRIIElYpMUoFBMgroBMUMIHUwe8oRgJIQcNNNHGGQatpTGY7Qvuu"
    "ZjaiGKxa8DhvwUI91jggqCybCS4tYWngGy2T27Rh89EJYe8dxFOgXR6FmnLZCSgIK3Rbbn"
    "WkxAokhHYvZHgcyXJTMlZCPf6RF8qVvol+h3GFwMNj4lPb2ZPB+vfZJv2QbOvhZXL7Fkw/"
    "aKT0qVSnVazp1gQdHA5XpayNR1mmPqOk2augK9iKaPXZziL7lUobIgVGs4zUyr3FCVG6qy"
    "LW7ctqhCm5TaZwewrZnap2ardwNaHzYEdP1wdaXUPo1V+ywmIEXhE5mdbFVPZEGoSj87tY"
    "e2cnQZBpvqMtx10F5lLV2qy1BZS7ebtZTxuowdLpfycUGyVr7HerIBadhuJbHj3DFtp5z7"
    "iEyivB1WTpCvcmbVPWfWTqKmkma9UtantudO79iJJMaaYM7l27nsuc4aalRqWcgKS5kc92"
    "eToH3LnpikhRw8Yecfdlq+7fRWp/SZrY2DMwQGVHMEhk+wcg4G1AQvVMPSzRlYWNnFVBvs"
    "Rp/QJ7phsHdErv2IySFqix/cF9YmtueACyyxXtDz1ATfV9ahDwk0IdgEiYMN4YlRjRCxnT"
    "7B3+cmkIFdGNqzB9gecZGhE0Rd07L4GyAYOrXZoNhr2J47GLTY7+gbsLGyTvps7TLYzSf2"
    "nZAJ0n0j8wzPhuzRrv6IER6PMeM1dJeN1cCHqPOdEbBBg/cte0+DbTX2jDWGIXHqgibjUn"
    "LTuTl5K6LTX46Ojo8/Hr07/vDp9OTjx9NP78LTOnkr79g+736FkzvCMhUQsJR2/Q1q18W+"
    "QleY9ShlA2d9R2Y5wCR3mv2zZIVpjlKqHNx1nuXgSC5n0olRbclYtnu6SFlWY9xNOVBlEo"
    "XoMgtZsAQ3YMS5kLraKYiLWnBin+tyz2i+FDeA7F3QTyNhlT/YOkWLhus5LdOytNZzkizL"
    "rZRBbJe2zFaOvIZnummVMduEBI0ziW3F26xSq1jNmOIqSvn56ihtqtOU3EvZOCcIm2iGPD"
    "0ttKBPcxb0qXKfVAqeED+Np15gGGi+abmcOLOkF+VgmRQaA8iGpmWtjXt6Jwr2JOycy9Ge"
    "sGOy9qtsdqkdKL1X3fReq3klCCvbmrbjmLFzJ+c938zubzPrGtkD+bS98GbaMcaguFPCJv"
    "wRGrqaRiblxmrNwSM8489YE61Lv8de2GFDoVO1z2rlBRPf0HJ0ctKet1w1p0n+nsU8YnwC"
    "cMTQQ1eMP9Hw+tC2H9G+PaOHvqcI+xFs6geQos3/azBATI7ei0G+hUf0CXjLPOIX0SEROe"
    "AW3WEq+vJTw4VXD40p5o5y/O+DFrjDzHTL/A8ebcPfRKkl11RLvqKzc02Zh8q8nZWCJ3vV"
    "N1fB481HK856lFLNel1mPUXmTTCGr+fqUWCSd+08q51nQs0w3qhrwuuY0YXzQmoeMd+rIS"
    "97WNBEWc936bPOY1OV9VxZz5X1fGPLuV6Ib8N6PsfOzMyyHmTLtjGy6uXbvb+OPWIAoGjo"
    "mZZrEnoIz/vb3naZhcqkXpNq1GMwezSNSzu3bQvrJOOwjJHGZmfIaLc1LeGVamfg/ObmKj"
    "ID5914hd2Hb+ed3v57Ph2skSnYt6ShlYHHA8hStvlloC/oKkQ8OGB3FnCl3sne/3dT0N9A"
    "FV5l235tm5Cw3KZIlqFJN1uytMMm261KzCRY1+OPlraCXyEzs6zfCLI1R7eL4Kpru7olX5"
    "jrL5BqQFt0HtwhGI+o5uAnEz9HOg70A4CU9ohfgptK9q1S9iUeBHmXks5Cio3IZzUSfjdf"
    "TJaH+pcBNyRonGZhC6WnX1lt88q67u3rbRabeRLhDtsGErrueNSjT11h+dnbzvVl9/qrdt"
    "v+17eOyHtQAvw4+RmKXeiT297NRefujl1jN8Pf7Hq7d99tX139S/vycPWle3XVuWQNkhf7"
    "5OLm2+1V5x7uhz/Z1fb1RYcTBb/6pPPzbbcHl/wfe7XY05JH/SqrI9lL9atkxdURrgqY9S"
    "6f5u6lvAJ6nS8P15fRBRBc65PF3cW1L+0un3vxf5/8eNPlLcT/9Zh3w3McTIyU/Gk5iRcl"
    "mgYqF4+LYJwNcWK/9YYhYx0T6bFhznQrHWSZLC7PC7pDn34HAc9B+LJz0f3Wvtp/f9I6ii"
    "lMAvBPEsryMGhlJaQTxArvJXivArNCtyi6Dh577E1GK63mJPHr4L2tfJdb2zpWcGtMo1XJ"
    "XFc39MRi4MpMRQqpmonVZyJc2TPMQExR0RX4KBakaiZWnwliuyn2t3v8PUNFGrRvgptFnp"
    "Gn8/N9Ptahjefq5vpr0Dw+AelC8MjDK9jgktQqprQ+/rVJt+q4DaOEhTtOqtwKyrgVQEQf"
    "26WI8RJYiIpqHlJIG6dS34o3maE7LuuPTLAzd8y0SkU56p4U2gaqfTZvytgtd45KV3yzvD"
    "lUsE6TZ71IsM5cN1eZcomsEl7xFUJKdnB2kx+1Yc/mvHb6Knt5jFYJBbWeabBrWqtNdJRU"
    "zXOd5znMWLKKjj1JrHTshXTsAXAl8U6lV5DnWuiYaLOSlU6mUxAXMzrr31dd0D6pAjoP6L"
    "ljGphqJjEsb4TT4c5V16V3oJR2JZR2sC9kFGXLNgVFiJQRaI28L7JbfSndXZywCWahKvSl"
    "aXEMK4G+lp76DQNfwwI31WLdxKwnNcN4E1lP2BjQ9cPVVV7aEym64Wn9QrA86qzz1OAasB"
    "VXf91JjBzses66saA93klTIfIdMtbE6Fb00lSQhL/o2usIOmkqROwVTcgWv+6edCn6eWkq"
    "TmPPGpuWtYFv7suip6aCVZOU2TuJXY1yZu8kfg57p2c80mQcVcrxlVbfnJ0L9rrHpwzeLe"
    "+wqSsPMoqzTtbE61z00iSQtp6/RAiMWUlMQnFySSYTDYcNCyWxZ42dl1g6eDB+g4T3GWHg"
    "hpAx1ckEI9cOG6Fnx3QxRTbBPAN8InH9ZrotklclzN8ip1Uplczk3Jy8lXwmfzk6Oj7+eP"
    "Tu+MOn05OPH08/vQu1Vslbeeqr8+7X7nXMVLE86wkHMIF/TloOv30DnVnfF9LNvs/Rzb5P"
    "6mZnmFK2wyQhzo5GkUgagXLVESlsg7VL5fEJCRpob9hGNhTYTMqYNIP2ypqpqlgoF+kyjv"
    "GCfyxl1pNJtlXJoElGvZBZXdOiV7RUXd3gLWrPk9dVnUoYLIxWWXJaYNFaJqZZQbulUlob"
    "UaLP6dR2QZ56nuouetah9Jc3mbpniIniTHAy2Kln2ROER6ZLEQEBK5CvAuEqKahttOdSsh"
    "rbuUz+fr9CTson3TF14mfDZJOEp7ZHsUpJWW1KynBOikMrk1S3/W/LK3LTZZDpo1dGMPCb"
    "Ny9J4ubjNiutbFG3MzQK7kkhPcJJjh7hJKW0hWOPPMPVyupr4nQNxHvzi9nOsu5ky7gSiR"
    "JzVxdzf/cY12G6Ka6jmSeeTKIEnpRDLwBI0y3LNjgO5dGNEivOIhNk36FjNZAjxArkTJCD"
    "sNFVMJZpFcSZEAtfydUglmkVxHGI2Uu5Gg+vSlHl5kXARQnfZErQoxIhcCpN89bTNO9sWv"
    "y9cnCnJDzvXmu3vZuvvc7d3RmS/uiTy85V98cOT1cf/kxPa9/r3D/0rkUCdPErrhAsNKkb"
    "T3C+Ysj52440L7M1lY9+frNBzyVh1eDdy2Mbkq0N8O4I8AHEH1snpRD2Q8LT3LbyAsrjpC"
    "qUvEQouTIEb54P921c5VCNEqmg2SSsobWwHLBxMgWtcl2ozHUhZVvYAK4/LnrarXVbFNjo"
    "ZpgR4p26N2wA3Z/kvpqJb3xPjCDMhM37XvfivlgQvVDJZaWjKR//3OQwcSkmcxOASYGZTU"
    "ZNBRiuh9/IfiaWrY+0iaOvHQx86Xf21Sl2AO0MYqVcCRMxdNmg3hB8b7N/NhlItyOnzh8l"
    "PS79BBgp7paL1BjZvpbOok0BP0vRGu33vrUPwCOS2jOM/NwCeITAIkLlmLYzRsHApmxO0P"
    "AFuVOMgkQ0LaTHtasbf0CfTOAea4oY+zIet6ABQQwNx35iFOy6g3/DBqNusV8GNuHq/nz6"
    "Qk1Dt8TjDtjDRiioSVbek1OVDm986fCawRtzfyvk/Zbj/NYAM1Ov888Hxp/7Bp0ShqaQEG"
    "xC/s8+ad/e9m5+hIvBLzAe/dC58BuKX3DtotP9UVwTv9Kr7CaNUasYnt5/KBIvGQ+fkcIl"
    "PySrOOo0zd05O1hyQdGE4L2qQyXFYQQM+yrIJ2nVHKwyBz4/oQ1LuSrE6RrorrCV6FUVSZ"
    "mNfnMjKVWJoabNeoBRXokhZTbdvH1PCKblQI3QKMuesuy9imXPCTNurglr4dSdNVu1RWGN"
    "fK5rZG5W1qZNaLFXUs9mRcRH8Vympi0RE/8QaEptgv3UYUCMTIJ0X8uaDHcvSlRE/+nMdB"
    "GuLkXzKz1opXpQFb23DXZLqcSqVcdQ1zYeU06tPOdWiUr5tZb2a4W9ehUpTaJTe0fa3jHT"
    "S8ppIYHCc7mUBhxHAtsVhImG1ZNoxaWJcFEtF9GimZg2If02THSIg5vYCOuUm+sHe7iXIo"
    "PA5Vae8PGb36CIg4j9DPID+GGwtoTq3CSlW8j23KH9PS3D1jKSPumTnxzTdTEBQQTaUfYC"
    "cmOkU+H64edLhjxdBOMRRabbQpSnT8bjMTZcZPoZuvrEsqmLhth9xqxjw57NTJd7emDCVp"
    "yHD9FPtvOIHYoMSzdnaORhGCoV3iCeGAh73shiUhIb/2DwyNbmYNAn+xRjdMZwPBvYM3rI"
    "0KOHz7yvwcEh6vDMzqCbZt/LbA4DYrwKOLewl3u4vygsYC0M6Ww0vjq8tK+JyuwM96rI7A"
    "yro4w9MWjfQDviVjI7z/UX8LBMQpydJEgiWStJ0Go+KX8de0TsXkPPtFyT0EN47N/2qpcg"
    "tpI7aAfdhP750Hko7yMkqM6Q+L9Peg/X1zw43f/RJ5c3150zBP9COHqbR6K3a+Ljo7ODdT"
    "ZPc3DOPBhkEpVPJC7lwXytAGqcrDpgP+0IsAs2p4y/wIKqgb4Cu+sbkHQJsWzjEY80j7im"
    "VXaS47QbmOod0rvu6EyX86+LEDVBk14BT2zp1NWw46TV38g2WESpmgB11UaLER5589I116"
    "NUG8G9RnEI2ym1rpxHG+ZGqJxH3+KsF3EeHZvEpNOVpj1GqrjD+kyz+LoTVr3XMZCIwqWm"
    "cWewxeLxV09YSxJtWnmmk7nfWqNy86WGlJ8gTBXrxhQFHaDf7KEwXnx3wRbRQpQxEiLqVb"
    "csJAwMNGlgWb0rMLy0/b/Qs0ko0v0+2F/ulDuJsXU4Mn17zcMtrB9hC4G+NSF6DwayWYVC"
    "VC4MYGw7yHSzLDrcaiONGiwuUPXSwEg3HJvS2Eh73DLjsAGJc513OjYd6nJTCxu5/x4UY2"
    "ErktEoaHNR3muVRvG+agmLGnHOWxENeYFZjWL4gMuoKRN0yjMlRVUpbX9leZUYaQN51F1n"
    "VpIaFnG0rcKZptEr9rRuM14X9lR/mWVUQA9u5TOjUqNCpc99exQUIGdL1gL/Gala+YwxgJ"
    "ByxYFqeIzDmrD1+Ky/oH0d3bH1MMfIHxU7TNi/rQRruvlH9AnjKnXEEPQYQ+q/L2R2gQ45"
    "g8vzwBxkMXy/7PlPgPtsI8YOY2y1wKsmJb+LimiolCeUZqcoWyiRNNCVZvPJ5uVVXwLmGF"
    "kTrAbx5AenhZIfnOYkPzhNOF/MVsjrvyB6kzVHTlTNkZrVHMkQ04s5eVVcBnFzFUfuHi4u"
    "Oh2eySn82Sdf2l2eyEn8X9/UTmPdtDwHazNMKeM2y9iHU0ibsN1XbSQO8hRqDh6X25+idE"
    "3AvoKj1hcG2KplcI3Kgp5OraAvBL09HmuUbRappbNz4zhjlCqWs0Qsp/KNyF7zu2klV74R"
    "b3HWi/hGqMRaKgdUrSJgN1AgA3IerZ2tqFmJobaaqOjWsQ3GauHRT3g4te3HvTQzQ7xNK9"
    "feELTWnqXmBaKIAzU/fgL1vW7Bxv3iB9uOztBzNBpYDgS2xwhSGIlgXxH6mzA7bLj/PnHw"
    "IkO96HKqU0RsJMzkfmvlZKIMCnXc2LduUIAvoqw1QaJpnD/PVmRsDk8JhIP2DVzCW/GXCq"
    "qDrBKBGCVVklVdJKssebom7h4+95qaNTLga/MyRoZtlnJc37ibxYQtUoJg7Nw5d1FiJ/C/"
    "AGYoYJ38jC0LFwtRHgftJ/mtjfbeJ77jh8CgFTr8+tV/BgOf6FAQDQbg4HvQglo/c90cQV"
    "YZaAvMHvglA/cW8w4R3s2Q8HKMwRKIDxGsbSmli/8I6j+DDvzMM7RPBgORuWAwaHG3Zxso"
    "x449CwxH4Lsy8XT+ROExfSD4SEiw6ZjsKnhHA0JRxtJnodHMfsKQ14Y7Q5esRvQr5OMMvI"
    "D4HwkfF8V6VsV6Ktu/sv3vvu1/xzK8VGr9r4elX2WsrdaurxzoqnSgM9y05AbZMIcEDdze"
    "t1KfSTkKvfaGogz52eu/WYoHZchv8qwrQ/7rBGMGvnulUI0SqRpZyj+iOv+IlMW7AWClEM"
    "HdWrhFkY1+smv5nkAJgI1UymoO2lv1PbkUau6XvRRjR3ivlWfuGMmtlho87iFDvBRnyiuj"
    "BYWv5o498gwXwYSiZ+yINO+QU8TmJgb7mTAA0dzyJmZKEa0N9g0ZWCBIFlLkz7GD9nmfrU"
    "gvB63QX+UZUr3wXnjpLpNyi8dnfinAB6wLfTLTnUduRICcxMuy6ovBsDeBFCq+rQJsFDwJ"
    "/rNp4D7xe6e5RolfFmeE/wLim4nH1iozRJVmiMhUJODNiYiI0TVQn/KhiDrlQ7Y25UNCmf"
    "KWNeZyEvQ66slVslSl3qrbdrSbio4i6i3Dns2BO19p3mO0KmFOfTRayZlWKi2le6mJhmB5"
    "ffLX8fT74llj07KykjvJt1t5QvA41nCpHBzI1iCeUpuJf15QAbqIAHsGCUF1x8BsSnREsc"
    "saJcThzT+CiZtMTIbKTWjCpFWXHqKbZ7JwAQQ61qcQW5l0PDWNKXrEeE557MYIu7ppiVpu"
    "kEdqas5nInfUpd/tV97rAZrbbCmBOM4EWCzEaIN9Un5f8Kd4F/Dz4wI0589L+uS10qRhJf"
    "4q8VeJv40Sf7vX2m3v5muvc3d3hqQ/oCLYVffHTq/Dy4L5P9MSx9RTbFbiWzb0zRXflHdC"
    "02a9iHdCGI2wwrzHaZXQXp+JTn7fIDc8spfV2Kk8TJMtcyILk6RbUos2LCW7UpQoRUkDFC"
    "WSRQWk+iTaZbwoJNXHFeutQZBHD1Zf86AJhcZ6mEXUGE1FbGjbcMisCdW56GVneY01vXQk"
    "ydwbhuPQRGmcbGRvCL632T/L8b2Tur0Ne20I1BHNhq9F3AhoUl8NgWp1fTjf9fN14sHBUE"
    "gvrllB66XK8YdAUQ1KaeFSBcTgLgVXpE6TTmAlaYuoi2XlPo/dFoc0fx+lNK5Uafy7x05W"
    "000JLc6EViZRnHqKl778jZZatElChW8KvovdYhURU6JT6C6XM2OG2DWlzZj9d8egLipzJr"
    "/jdMkzfVFvSqhvmJQZBznxNdfJDeKOTX1npptWGsO3uJnL6lFYPjhst4zJywY41YFdzkvn"
    "YMOcm/43CUWsLChmsZYz+7k5eSu82V+Ojo6PPx69O/7w6fTk48fTT+/CLTh5K28vPu9+he"
    "24JatZl3Nw2UkJ8+YgJy3hTh+DlUxG7RXduyehRNITLjajopaaCFEDHVi2kg8j3OlLAC3T"
    "NBDnrVjDqDf8DRul1rNE0kCUTwuhfJqD8mkSZT81S8lcRVGqBmK9lVxFO+j9drea99td4P"
    "12F6ZL61zf8z/v++Th+qLTu293r89Q+DOuQH0dXzYHM/GhVDl0iaI6hvDdjjAlyjUwG+rd"
    "dBJTroFvcdaLuAZyvUv5KZfIlENgfaZXfNUJBffrqAX9WjN5OULiTVp5KkI/k7ZWLmUI5O"
    "GAZcjNuKLKC+QxB2su4wB4qNAZjy8SjFoYFGR7rgFhT35Kc4gXD4reJ83G23gIJBHxgTEX"
    "QVZBdyJJOTdQT2yeHN2Uc4iIDk1HDIYHTIEgy4fUJ886jOV5aloYormw7limuAfJR4KE5+"
    "wFRMBCi40JzdjCRGegmBO51P3ZoIfBdBx+a/+s3fQuOz3tp3b3fnCQnU8keAlowAeYUL9G"
    "28haJJ+fLmc5VwraqhS0NdUR7pyRMlmJp2ykW5SqgcL+dtRXuyfsV1wZ/bLT5hFv7ZoEsv"
    "nnZRnpXyZR4n/SJkHn7AmYATZK2XHydCpROpV9MwnuyHO4G6k2K7NgY1QK2CSwKg3U66SB"
    "Igxbzd9QV1AkpJArhULdFAqR78w2HvFI84grXHXKTHacVs10nWdaRQ2/lZlWBp9sNmU3Vf"
    "/K4PMWZ72IwSfQq5bT0cWolJouU02nfFMr00PnBHLI1oM1wwt8G1VH6nHHZqRokEHsI18e"
    "xiFsN+tDzCM4Ok/NjpORP/Q6RW/E13e2mVb+BJabaeVPcLmZto0eelfIhRoMft11kanRt1"
    "/aYzQYiN+DAdrv7/1fn1HplgVFmNlag0LLUP15MKCY8aTuYJA00m7+EWCivYcEkvwC2E6p"
    "a0PRZ52yP85471B8ATu8Byo6MN1D1BWtp/Yz4bUXWmERiD4JTbyshc9fi5rUhI3OQZY9Yf"
    "N4yMYBdfogYQ81WQ9szKZ4n7HpUBfBTRiJUK30CW+0sDJTzzAwpZ+RPgazsM66JROECS/p"
    "DRUiGBx+HUAfJWlUI5PCbI/6ZH8wgKITT/B4f2YHg+C2JgqSsltUfwF780umTXid6Ju3Yt"
    "ndWli056RocrINi37zBloUj94VMilCs2wH4ndJo6I8uBJAx8iaoJ2uwDVebOFJnH+4u7nO"
    "YcHTDCsj03DR/5Bl0q0xJnt/HXtElO0ZeqblmoQewvP+VtKcuwm9FSCUbx+ImwJaUfEUOo"
    "jbB8TZWGbZLyiaucUU22HyNpiUasrsCE6RO23bwjrJMIKHRDGYh4xqWzgHx2a1C/v85uYq"
    "srDPu3HL1sO3805v/z1HnTUyXUnOjGzlUd6mjK0xhbQJW3rVBscQxhWsElFSZZSoj54yqZ"
    "6OSDdlZzpBrOa6znMdmJGGKamZshmFKFUT9tIor3B8VIRXYK0yeQV+TwV3Ndvqo2x9b3HW"
    "s2x9JYJ/Eq4e5rppf1PieXZsNWRp87dbRtmkhu0R9wIcZ1P075H7rdxyyn7L0Ae3iOYd2i"
    "LDo649g1rAMKcQ8WNMsfFoey6omuHbpppH8WgwQPwJQivs4BGol1lXVGjWoTZyiuZ904/o"
    "E2KDGp+Jt4zgM5REttknjGY2aPWHL6wDMjKBSLfQwy18jBTtU4zRGUNNRDAFWNFDhqf1kh"
    "2wpJTTr6icTndCz2EK053Pm6A72nxhJwBLe8TluG6JZjMgv+763TLEj+y10uFdHk4U0NZ5"
    "Le/ddnoXnev79tcOhBIFv/uk/e3mAZKHiP/75Euv09Hu/t69veVRR5E/4yfG60QSzbFjYO"
    "KyMzqFScaGOdOt9E8iShjnkQXlod/D7gmlOTBfdi6639pX+6eto5jmNJiAk6SyegaHbkmE"
    "F0RvEN33JyXgNTzHwcQot6VLNHXea1bVoxTRomTrUBK5t0xizryZRr2ha7t6WhRE3lJOI1"
    "eLOn9Rs/PRcekqeUpkQqUDro+uIqmignxcK8ywRKbmt87z6/HUg5Y5M1PmOFNMjlGpyNek"
    "SVqCCEoAaYGaZTWUE10oyJOQL3RVJUCOEqm8A3FQ5dLcpfy3EoTKjStyKGzCjSvA2ExLs7"
    "l8aszUXJtqYtafGOX7VZnvl/JSUF4KNUB/N+3VykvhLc76Rr0UJEtwynlXptKub/nthR3u"
    "4Ip4VU8FCbkcf4UovgW8FpwoQaHkrkyggmA1XfgYDF8WpTvBqyBwEWA7g4iQo9hF+xBydx"
    "CG3Pk5UzGbx1HcErWFR/SJR+a6OWqhifnEnsLvwyNgij4jJn//OZC/ERfJqXCHEO1I8Djk"
    "2M80O8dqYAcXpdOT+VWD+6Lm1q9QmDS4FEr/v4blSlWl0mq9HsJKaEW5zJCggfabrdQDkr"
    "7assxGjFSpnevDXGS7litJoik8ZRFJgjsplTqZJIompWHZXFEYnykoiWqUStkSdqaq4s5h"
    "mpMNKN2HtHSamrgb9o6BXDRRjbQTRvLU9Nim3Ote3KeUct4AuDdBPw1FVf5ml2dWyrbhlg"
    "b2Qupqt3bawgs2eshE0GVjQNcPV1evlV3pXv/e0/lQElqS4FYrTzXiMkHICVoViOVg7RG0"
    "D/QVbLtyXlpQy8UvIOPgCRjD2F+mC2VhHu54URp80ApL1kAfhqVT+jmhDdn0A/pEF73xzE"
    "jEFpeDTEb+ihJ90eBhaJ91I55ywLuEtEgvgrJgCAfoOnhf0Fx0pTQc1Wo4+P8JWLMVHEH7"
    "Buo3tlLIRFrgxSM7QpIGonxURIeUrUFK6o8mJdM5LSiaZwTefNwMHHx8Sy8DcYRIobwc5Y"
    "C1KOG/HpCs7bNet+2igNP6x9ZJ8UAMpXh8I4rHEsbsbYoad1NzPmew/5ux2Hsp8kbkfq7Q"
    "Qf2W2n+CpksljwvOO0ChSk6MR8i1kW6Zj/iMs/xgE2Vs/Ixx5PZIFMCEBUuTaVrX6klFby"
    "suvz7bXAVcvjpk1CGT7TFlBHtpcnWU8ZeST46LhZC4Ywsi02EqEtwpjpXN4fWNd9gkuKri"
    "YYKVtoSVkRZkQY5GkxQdxfLjCL0j13hCB58Xmk80xJA5nQKTAtwJ3A7LZe+LuTxIy0W/mU"
    "6LqDo5E6e0mxVnrXl97VuN0qpsWPfGP+JS61aiUAbz5QbzQO5b0/QYlzh3DOSi9kdpcdWp"
    "sEsKF7LkKF3wKkVP0tmCosBB+qy/wJEGXXCh3j/YmAQP5j1YGWfs4pixV2jumFAVZexgzP"
    "6xZ+y6O2Uc9NS2RnBmstMu5VDd7AP6JNBAWCbB9E/oSbdg9m0HfMCf2bcwddGQ9U7RPpgr"
    "Dd1x/0SDG3PTeBRmTGhS8rgWMgNPYKeO7mqP7hD34tDKJCquO+E5qDL4bc+AoxRs21Ww8W"
    "OipIUspHmLJrL3RyXyOsHpq9lPaX5uuQhH6N5i8qwyIAt+ROOMShLn7NwNcbq1kjfsDsZb"
    "ydKgJFYlsSqJdZnE2sbs5JzupUip/p1WnmSqL9osk0WzAVUG5HpJY+yMpyX97CSSBnK5R6"
    "enhYJhT3OCYU8TOXnZR1UCYb95A9HdkisucVMLZWfzXhJJ9TmzdpzvelV3rD/+H555Ws0="
)
