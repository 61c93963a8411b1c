from tortoise import BaseDBAsyncClient

RUN_IN_TRANSACTION = True


async def upgrade(db: BaseDBAsyncClient) -> str:
    return """
        CREATE TABLE IF NOT EXISTS "catalog_change" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "product_id" INT NOT NULL,
    "variant_id" INT,
    "sku" VARCHAR(64),
    "field" VARCHAR(32) NOT NULL,
    "old_value" TEXT,
    "new_value" TEXT,
    "actor" VARCHAR(254) NOT NULL,
    "created_at" TIMESTAMP NOT NULL
);
CREATE INDEX IF NOT EXISTS "idx_catalog_cha_product_97a05a" ON "catalog_change" ("product_id", "id");
        CREATE TABLE IF NOT EXISTS "discount_code" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "code" VARCHAR(64) NOT NULL,
    "code_key" VARCHAR(64) NOT NULL UNIQUE,
    "kind" VARCHAR(16) NOT NULL /* PERCENTAGE: PERCENTAGE\\nAMOUNT: AMOUNT\\nFREE_SHIPPING: FREE_SHIPPING */,
    "percentage" VARCHAR(40),
    "amount" VARCHAR(40),
    "currency" VARCHAR(3) NOT NULL,
    "minimum_subtotal" VARCHAR(40),
    "starts_at" TIMESTAMP,
    "ends_at" TIMESTAMP,
    "usage_limit" INT,
    "usage_limit_per_customer" INT,
    "times_used" INT NOT NULL,
    "product_types" JSON NOT NULL,
    "product_ids" JSON NOT NULL,
    "active" INT NOT NULL,
    "created_by" VARCHAR(320),
    "created_at" TIMESTAMP NOT NULL,
    "updated_at" TIMESTAMP NOT NULL
) /* A code customers type at checkout. ``times_used`` counts the redemptions that were */;
        CREATE TABLE IF NOT EXISTS "tax_rate" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "name" VARCHAR(100) NOT NULL,
    "country" VARCHAR(2) NOT NULL,
    "region" VARCHAR(64),
    "tax_class" VARCHAR(64),
    "rate" VARCHAR(40) NOT NULL,
    "created_at" TIMESTAMP NOT NULL
) /* A tax rate of a country, or of one region of it (a US state), for one tax class; */;
CREATE INDEX IF NOT EXISTS "idx_tax_rate_country_5b33ec" ON "tax_rate" ("country", "region");
        CREATE TABLE IF NOT EXISTS "shipping_zone" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "name" VARCHAR(100) NOT NULL,
    "created_at" TIMESTAMP NOT NULL
) /* Countries shipped to alike: one set of methods and rates. */;
        CREATE TABLE IF NOT EXISTS "product_image" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "digest" VARCHAR(64) NOT NULL,
    "extension" VARCHAR(8) NOT NULL,
    "content_type" VARCHAR(32) NOT NULL,
    "width" INT NOT NULL,
    "height" INT NOT NULL,
    "alt" VARCHAR(300) NOT NULL,
    "position" INT NOT NULL,
    "created_at" TIMESTAMP NOT NULL,
    "product_id" INT NOT NULL REFERENCES "product" ("id") ON DELETE CASCADE
);
CREATE INDEX IF NOT EXISTS "idx_product_ima_product_ff0523" ON "product_image" ("product_id", "position");
        CREATE TABLE IF NOT EXISTS "stock_adjustment" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "sku" VARCHAR(64) NOT NULL,
    "delta" INT NOT NULL,
    "reason" VARCHAR(500) NOT NULL,
    "quantity_after" INT NOT NULL,
    "actor" VARCHAR(254) NOT NULL,
    "created_at" TIMESTAMP NOT NULL,
    "variant_id" INT REFERENCES "variant" ("id") ON DELETE SET NULL,
    "warehouse_id" INT NOT NULL REFERENCES "warehouse" ("id") ON DELETE RESTRICT
) /* One change of units on hand made by staff (adjustStock, setStock): the audit trail. */;
CREATE INDEX IF NOT EXISTS "idx_stock_adjus_sku_47f9a9" ON "stock_adjustment" ("sku", "id");
CREATE INDEX IF NOT EXISTS "idx_stock_adjus_warehou_d9dbb6" ON "stock_adjustment" ("warehouse_id", "id");
CREATE INDEX IF NOT EXISTS "idx_stock_adjus_variant_4e0ba4" ON "stock_adjustment" ("variant_id");
        CREATE TABLE IF NOT EXISTS "customer_address" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "address" JSON NOT NULL,
    "created_at" TIMESTAMP NOT NULL,
    "updated_at" TIMESTAMP NOT NULL,
    "customer_id" INT NOT NULL REFERENCES "customer" ("id") ON DELETE CASCADE
) /* One address of a customer's address book (oms.accounts.addresses); ``address`` has */;
CREATE INDEX IF NOT EXISTS "idx_customer_ad_custome_fd5ac5" ON "customer_address" ("customer_id");
        CREATE TABLE IF NOT EXISTS "discount_redemption" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "email" VARCHAR(254) NOT NULL,
    "released_at" TIMESTAMP,
    "created_at" TIMESTAMP NOT NULL,
    "code_id" INT NOT NULL REFERENCES "discount_code" ("id") ON DELETE RESTRICT,
    "customer_id" INT REFERENCES "customer" ("id") ON DELETE SET NULL,
    "order_id" INT NOT NULL REFERENCES "order" ("id") ON DELETE CASCADE,
    CONSTRAINT "uid_discount_re_code_id_390987" UNIQUE ("code_id", "order_id")
) /* One use of a code by one order. ``released_at`` is set (once) when the order ended */;
CREATE INDEX IF NOT EXISTS "idx_discount_re_code_id_7af283" ON "discount_redemption" ("code_id", "email");
CREATE INDEX IF NOT EXISTS "idx_discount_re_code_id_62e2be" ON "discount_redemption" ("code_id", "customer_id");
CREATE INDEX IF NOT EXISTS "idx_discount_re_order_i_c7ed6d" ON "discount_redemption" ("order_id");
        CREATE TABLE IF NOT EXISTS "shipping_zone_country" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "country" VARCHAR(2) NOT NULL UNIQUE,
    "zone_id" INT NOT NULL REFERENCES "shipping_zone" ("id") ON DELETE CASCADE
) /* A country of a zone; a country belongs to one zone at most (unique). */;
CREATE INDEX IF NOT EXISTS "idx_shipping_zo_zone_id_8c969b" ON "shipping_zone_country" ("zone_id");
        CREATE TABLE IF NOT EXISTS "shipping_zone_method" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "position" INT NOT NULL,
    "code" VARCHAR(64) NOT NULL,
    "name" VARCHAR(100) NOT NULL,
    "price" VARCHAR(40) NOT NULL,
    "free_over" VARCHAR(40),
    "weight_bands" JSON,
    "zone_id" INT NOT NULL REFERENCES "shipping_zone" ("id") ON DELETE CASCADE
) /* A way to ship to a zone and its rate: a flat price, free from a threshold of the */;
CREATE INDEX IF NOT EXISTS "idx_shipping_zo_zone_id_a6a42b" ON "shipping_zone_method" ("zone_id", "position");
        ALTER TABLE "product" ADD "archived_at" TIMESTAMP;
        ALTER TABLE "product" ADD "published" INT NOT NULL DEFAULT 1;
        ALTER TABLE "product" ADD "tax_class" VARCHAR(64);
        ALTER TABLE "variant" ADD "archived_at" TIMESTAMP;
        ALTER TABLE "variant" ADD "tax_class" VARCHAR(64);
        ALTER TABLE "stock" ADD "low_stock_threshold" INT;
        ALTER TABLE "warehouse" ADD "priority" INT NOT NULL DEFAULT 0;
        ALTER TABLE "customer" ADD "default_billing_address_id" INT;
        ALTER TABLE "customer" ADD "email_verified_at" TIMESTAMP;
        ALTER TABLE "customer" ADD "default_shipping_address_id" INT;
        ALTER TABLE "order" ADD "customer_name" VARCHAR(200);
        ALTER TABLE "order" ADD "customer_name_key" VARCHAR(200);
        ALTER TABLE "order" ADD "tax_total" VARCHAR(40) NOT NULL DEFAULT 0;
        ALTER TABLE "order" ADD "prices_include_tax" INT NOT NULL DEFAULT 0;
        ALTER TABLE "order" ADD "tax_lines" JSON;
        ALTER TABLE "order" ADD "discount_total" VARCHAR(40) NOT NULL DEFAULT 0;
        ALTER TABLE "order" ADD "shipping_tax" VARCHAR(40) NOT NULL DEFAULT 0;
        ALTER TABLE "order" ADD "shipping_discount" VARCHAR(40) NOT NULL DEFAULT 0;
        ALTER TABLE "order_line" ADD "discount" VARCHAR(40) NOT NULL DEFAULT 0;
        ALTER TABLE "order_line" ADD "tax_rate" VARCHAR(40);
        ALTER TABLE "order_line" ADD "tax" VARCHAR(40) NOT NULL DEFAULT 0;
        ALTER TABLE "order_line" ADD "tax_included" INT NOT NULL DEFAULT 0;
        ALTER TABLE "fulfillment" ADD "tracking_number" VARCHAR(100);
        CREATE INDEX "idx_order_needs_r_3335dc" ON "order" ("needs_review", "id");
        CREATE INDEX "idx_order_custome_a80c3c" ON "order" ("customer_name_key", "id");
        CREATE INDEX "idx_order_created_3f4aec" ON "order" ("created_at", "id");
        CREATE INDEX "idx_order_payment_af4a58" ON "order" ("payment_status", "id");
        CREATE INDEX "idx_order_total_b44786" ON "order" ("total", "id");
        CREATE INDEX "idx_order_paid_at_9dd3d8" ON "order" ("paid_at");
        CREATE INDEX "idx_job_status_6393e5" ON "job" ("status", "finished_at");
        CREATE INDEX "idx_fulfillment_trackin_b65c72" ON "fulfillment" ("tracking_number");"""


async def downgrade(db: BaseDBAsyncClient) -> str:
    return """
        DROP INDEX IF EXISTS "idx_fulfillment_trackin_b65c72";
        DROP INDEX IF EXISTS "idx_job_status_6393e5";
        DROP INDEX IF EXISTS "idx_order_paid_at_9dd3d8";
        DROP INDEX IF EXISTS "idx_order_total_b44786";
        DROP INDEX IF EXISTS "idx_order_payment_af4a58";
        DROP INDEX IF EXISTS "idx_order_created_3f4aec";
        DROP INDEX IF EXISTS "idx_order_custome_a80c3c";
        DROP INDEX IF EXISTS "idx_order_needs_r_3335dc";
        ALTER TABLE "product" DROP COLUMN "archived_at";
        ALTER TABLE "product" DROP COLUMN "published";
        ALTER TABLE "product" DROP COLUMN "tax_class";
        ALTER TABLE "variant" DROP COLUMN "archived_at";
        ALTER TABLE "variant" DROP COLUMN "tax_class";
        ALTER TABLE "stock" DROP COLUMN "low_stock_threshold";
        ALTER TABLE "warehouse" DROP COLUMN "priority";
        ALTER TABLE "customer" DROP COLUMN "default_billing_address_id";
        ALTER TABLE "customer" DROP COLUMN "email_verified_at";
        ALTER TABLE "customer" DROP COLUMN "default_shipping_address_id";
        ALTER TABLE "order" DROP COLUMN "customer_name";
        ALTER TABLE "order" DROP COLUMN "customer_name_key";
        ALTER TABLE "order" DROP COLUMN "tax_total";
        ALTER TABLE "order" DROP COLUMN "prices_include_tax";
        ALTER TABLE "order" DROP COLUMN "tax_lines";
        ALTER TABLE "order" DROP COLUMN "discount_total";
        ALTER TABLE "order" DROP COLUMN "shipping_tax";
        ALTER TABLE "order" DROP COLUMN "shipping_discount";
        ALTER TABLE "order_line" DROP COLUMN "discount";
        ALTER TABLE "order_line" DROP COLUMN "tax_rate";
        ALTER TABLE "order_line" DROP COLUMN "tax";
        ALTER TABLE "order_line" DROP COLUMN "tax_included";
        ALTER TABLE "fulfillment" DROP COLUMN "tracking_number";
        DROP TABLE IF EXISTS "discount_redemption";
        DROP TABLE IF EXISTS "shipping_zone_method";
        DROP TABLE IF EXISTS "shipping_zone_country";
        DROP TABLE IF EXISTS "shipping_zone";
        DROP TABLE IF EXISTS "catalog_change";
        DROP TABLE IF EXISTS "discount_code";
        DROP TABLE IF EXISTS "product_image";
        DROP TABLE IF EXISTS "customer_address";
        DROP TABLE IF EXISTS "stock_adjustment";
        DROP TABLE IF EXISTS "tax_rate";"""


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
    "0KOHz7yvwcEh6vDMzqCbZt/LbA4DYrwKOLewl3u4vygsYC0M6Ww0vjocfE1A5pJN9MSkU5"
    "X0OfdEeuWkz7Bwypgag/YNNDFuJenzXH8B58skxNn5gySStfIHreau8texR8TGNvRMyzUJ"
    "PYTH/m2veuFiK2mFdtCD6J8PnYfy7kOC6gyJ//uk93B9zePW/R99cnlz3TlD8C9Eqrd5kH"
    "q7Ju4/OjtzZ/M03+fMg0EmUalG4gIgzNcKoMbJqgP2044Au+CAyrgSLKga6Eawu24DSW8R"
    "yzYeGQvrEde0yk5ynHYDU71DKtkdnelyrncRoiYo2SvgiS2duhp2nLTSHNm2jChVE6Cu2p"
    "4xwiNvXroce5RqI7jXKERhO1XYlV9pwzwMlV/pW5z1In6lspKz5LTHSBV3WJ9pFl93wuD3"
    "OrYTUdPUNO4Mtlg8/uoJQ0qiTSvPqjL3W2tUbr7UxvITRLBi3ZiioAP0mz0Udo3vLpgpWo"
    "gyRkIExOqWhYTtgSZtL6t3BTaZtv8XejYJRbrfB/vLnXL/MbYOR6Zvynm4hfUjzCTQtyZE"
    "78FAtrhQCNiFAYxtB5lulrGHG3SkUYMxBgpiGhjphmNTGhtpjxttHDYgca7zTsemQ11uhW"
    "Ej99+DYizMSDIaBc0xyrGt0gDfV61uUSPOeSuiIa89q1EMH3AZNWWCTjmtpKgqpe2vLK8S"
    "I20gj7rrzEpSwyKOtlU40zR6xZ7Wbcbrwp7qL7OM4ujBrXxmVGpUqCq6b4+C2uRsyVrgWi"
    "MVMp8xBhCysThQKI9xWBO2Hp/1F7Svozu2HuYY+aNihwn7t5VgTTf/iD5hXKWOGIIeY0j9"
    "94WkL9AhZ3B5ipiDLIbvlz3/CXCfbcTYYYytFiR3SUn9ooIdKuUJpdkpyhZKJA10pdl8Hn"
    "p51ZeAOUbWBKtBPC/CaaG8CKc5eRFOE84XsxVS/i+I3mQ5khNVjqRm5UgyxPRiTl4VV0jc"
    "XDGSu4eLi06HJ3kKf/bJl3aX53gS/9c369NYNy3PwdoMU8q4zTL24RTSJmz3VRuJgxSGmo"
    "PH5fanKF0TsK/gqPWFAbZqGVyjsqCnUyvoC0Fvj8caZZtFalXt3BDPGKUK8ywR5ql8I7LX"
    "/G5ayZVvxFuc9SK+ESrnlkoPVavg2A3UzoB0SGsnMmpWzqit5jC6dWyDsVp49BMeTm37cS"
    "/NzBBv08q1NwSttWepeYEA40DNj59Afa9bsHG/+HG4ozP0HA0UlmOE7TGC7EYiDlhEBSfM"
    "Dhvuv08cvEheL7qc6hQRGwkzud9aOZkog0IdN/atGxTgiyhrTZBoGufPsxUZm8NTAuGgfQ"
    "OX8Fb8pYLCIatEIEZJlWRVF8kqS56uibuHz72mJpQM+Nq8ZJJhm6Uc1zfuZjFhi5QgGDt3"
    "zl1U3wn8L4AZClgnP5nLwsVCVM5B+0l+a6O994nv+CEwaIUOv35hoMHAJzoURIMBOPgetK"
    "AM0Fw3R5BwBtoCswd+ycC9xbxDhHcz5MIcY7AE4kMEa1vK9uI/gvrPoAM/KQ3tk8FAZC4Y"
    "DFrc7dkGyrFjzwLDEfiuTDydP1F4TB8IPhJybzomuwre0YBQlLH0WWg0s58wpLzhztAlCx"
    "XxtDGBFxD/I+HjoljPqlhPZftXtv/dt/3vWIaXSq3/9bD0q2S21dr1lQNdlQ50hpuW3CAb"
    "5pCggdv7Vko3KUeh195QlCE/e/03S/GgDPlNnnVlyH+dYMzAd68UqlEiVT5L+UdU5x+Rsn"
    "g3AKwUIrhbC7costFPdi3fE6gOsJEiWs1Be6u+J5dCzf2yl2LsCO+18swdI7nVUoPHPSSP"
    "l+JMedG0oCbW3LFHnuEimFD0jB2RAR5yitjcxGA/EwYgmlvexEypr7XBviEDCwTJQvb8OX"
    "bQPu+zFenloBX6qzxDqhfeC6/qZVJu8fjMLwX4gHWhT2a688iNCJCTeFnCfTEY9iaQQsW3"
    "VYCNgufHfzYN3Cd+7zTXKPHL4ozwX0B8M/HYWmWGqNIMEZmKBLw5ERExugbqUz4UUad8yN"
    "amfEgoU96yxlxOgl5HPblKlqrUW3XbjnZT0VFEvWXYszlw5yvNe4xWJcypj0YrOdNKpaV0"
    "LzXRECwvXf46nn5fPGtsWlZWcif5ditPCB7HGi6VgwPZGsRTajPxzwuKQxcRYM8gIajuGJ"
    "hNiY4odlmjhDi8+UcwcZOJyVC5CU2YtOrSQ3TzTBYugEDH+hRiK5OOp6YxRY8YzymP3Rhh"
    "VzctUeYN8khNzflM5I669Lv9yns9QHObLSUQx5kAi4UYbbBPyu8L/hTvAn5+XIDm/HlJn7"
    "xWmjSsxF8l/irxt1Hib/dau+3dfO117u7OkPQHVAS76v7Y6XV4WTD/Z1rimHqKzUp8y4a+"
    "ueKb8k5o2qwX8U4IoxFWmPc4rRLa6zPRye8b5IZH9rIaO5WHabJlTmRhknRLatGGpWRXih"
    "KlKGmAokSyqIBUn0S7jBeFpPq4Yr01CPLoweprHjSh0FgPs4gao6mIDW0bDpk1oToXvews"
    "r7Gml44kmXvDcByaKI2TjewNwfc2+2c5vndSt7dhrw2BOqLZ8LWIGwFN6qshUK2uD+e7fr"
    "5OPDgYCunFNStovVQ5/hAoqkEpLVyqgBjcpeCK1GnSCawkbRF1sazc57Hb4pDm76OUxpUq"
    "jX/32MlquimhxZnQyiSKU0/x0pe/0VKLNkmo8E3Bd7FbrCJiSnQK3eVyZswQu6a0GbP/7h"
    "jURWXO5HecLnmmL+pNCfUNkzLjICe+5jq5Qdyxqe/MdNNKY/gWN3NZPQrLB4ftljF52QCn"
    "OrDLeekcbJhz0/8moYiVBcUs1nJmPzcnb4U3+8vR0fHxx6N3xx8+nZ58/Hj66V24BSdv5e"
    "3F592vsB23ZDXrcg4uOylh3hzkpCXc6WOwksmovaJ79ySUSHrCxWZU1FITIWqgA8tW8mGE"
    "O30JoGWaBuK8FWsY9Ya/YaPUepZIGojyaSGUT3NQPk2i7KdmKZmrKErVQKy3kqtoB73f7l"
    "bzfrsLvN/uwnRpnet7/ud9nzxcX3R69+3u9RkKf8YVqK/jy+ZgJj6UKocuUVTHEL7bEaZE"
    "uQZmQ72bTmLKNfAtznoR10Cudyk/5RKZcgisz/SKrzqh4H4dtaBfayYvR0i8SStPRehn0t"
    "bKpQyBPBywDLkZV1R5gTzmYM1lHAAPFTrj8UWCUQuDgmzPNSDsyU9pDvHiQdH7pNl4Gw+B"
    "JCI+MOYiyCroTiQp5wbqic2To5tyDhHRoemIwfCAKRBk+ZD65FmHsTxPTQtDNBfWHcsU9y"
    "D5SJDwnL2ACFhosTGhGVuY6AwUcyKXuj8b9DCYjsNv7Z+1m95lp6f91O7eDw6y84kELwEN"
    "+AAT6tdoG1mL5PPT5SznSkFblYK2pjrCnTNSJivxlI10i1I1UNjfjvpq94T9iiujX3baPO"
    "KtXZNANv+8LCP9yyRK/E/aJOicPQEzwEYpO06eTiVKp7JvJsEdeQ53I9VmZRZsjEoBmwRW"
    "pYF6nTRQhGGr+RvqCoqEFHKlUKibQiHyndnGIx5pHnGFq06ZyY7Tqpmu80yrqOG3MtPK4J"
    "PNpuym6l8ZfN7irBcx+AR61XI6uhiVUtNlqumUb2pleuicQA7ZerBmeIFvo+pIPe7YjBQN"
    "Moh95MvDOITtZn2IeQRH56nZcTLyh16n6I34+s4208qfwHIzrfwJLjfTttFD7wq5UIPBr7"
    "suMjX69kt7jAYD8XswQPv9vf/rMyrdsqAIM1trUGgZqj8PBhQzntQdDJJG2s0/Aky095BA"
    "kl8A2yl1bSj6rFP2xxnvHYovYIf3QEUHpnuIuqL11H4mvPZCKywC0SehiZe18PlrUZOasN"
    "E5yLInbB4P2TigTh8k7KEm64GN2RTvMzYd6iK4CSMRqpU+4Y0WVmbqGQam9DPSx2AW1lm3"
    "ZIIw4SW9oUIEg8OvA+ijJI1qZFKY7VGf7A8GUHTiCR7vz+xgENzWREFSdovqL2Bvfsm0Ca"
    "8TffNWLLtbC4v2nBRNTrZh0W/eQIvi0btCJkVolu1A/C5pVJQHVwLoGFkTtNMVuMaLLTyJ"
    "8w93N9c5LHiaYWVkGi76H7JMujXGZO+vY4+Isj1Dz7Rck9BDeN7fSppzN6G3AoTy7QNxU0"
    "ArKp5CB3H7gDgbyyz7BUUzt5hiO0zeBpNSTZkdwSlyp21bWCcZRvCQKAbzkFFtC+fg2Kx2"
    "YZ/f3FxFFvZ5N27Zevh23untv+eos0amK8mZka08ytuUsTWmkDZhS6/a4BjCuIJVIkqqjB"
    "L10VMm1dMR6absTCeI1VzXea4DM9IwJTVTNqMQpWrCXhrlFY6PivAKrFUmr8DvqeCuZlt9"
    "lK3vLc56lq2vRPBPwtXDXDftb0o8z46thixt/nbLKJvUsD3iXoDjbIr+PXK/lVtO2W8Z+u"
    "AW0bxDW2R41LVnUAsY5hQifowpNh5tzwVVM3zbVPMoHg0GiD9BaIUdPAL1MuuKCs061EZO"
    "0bxv+hF9QmxQ4zPxlhF8hpLINvuE0cwGrf7whXVARiYQ6RZ6uIWPkaJ9ijE6Y6iJCKYAK3"
    "rI8LResgOWlHL6FZXT6U7oOUxhuvN5E3RHmy/sBGBpj7gc1y3RbAbk112/W4b4kb1WOrzL"
    "w4kC2jqv5b3bTu+ic33f/tqBUKLgd5+0v908QPIQ8X+ffOl1Otrd37u3tzzqKPJn/MR4nU"
    "iiOXYMTFx2RqcwydgwZ7qV/klECeM8sqA89HvYPaE0B+bLzkX3W/tq/7R1FNOcBhNwklRW"
    "z+DQLYnwgugNovv+pAS8huc4mBjltnSJps57zap6lCJalGwdSiL3lknMmTfTqDd0bVdPi4"
    "LIW8pp5GpR5y9qdj46Ll0lT4lMqHTA9dFVJFVUkI9rhRmWyNT81nl+PZ560DJnZsocZ4rJ"
    "MSoV+Zo0SUsQQQkgLVCzrIZyogsFeRLyha6qBMhRIpV3IA6qXJq7lP9WglC5cUUOhU24cQ"
    "UYm2lpNpdPjZmaa1NNzPoTo3y/KvP9Ul4KykuhBujvpr1aeSm8xVnfqJeCZAlOOe/KVNr1"
    "Lb+9sMMdXBGv6qkgIZfjrxDFt4DXghMlKJTclQlUEKymCx+D4cuidCd4FQQuAmxnEBFyFL"
    "toH0LuDsKQOz9nKmbzOIpborbwiD7xyFw3Ry00MZ/YU/h9eARM0WfE5O8/B/I34iI5Fe4Q"
    "oh0JHocc+5lm51gN7OCidHoyv2pwX9Tc+hUKkwaXQun/17BcqapUWq3XQ1gJrSiXGRI00H"
    "6zlXpA0ldbltmIkSq1c32Yi2zXciVJNIWnLCJJcCelUieTRNGkNCybKwrjMwUlUY1SKVvC"
    "zlRV3DlMc7IBpfuQlk5TE3fD3jGQiyaqkXbCSJ6aHtuUe92L+5RSzhsA9ybop6Goyt/s8s"
    "xK2Tbc0sBeSF3t1k5beMFGD5kIumwM6Prh6uq1sivd6997Oh9KQksS3GrlqUZcJgg5QasC"
    "sRysPYL2gb6CbVfOSwtqufgFZBw8AWMY+8t0oSzMwx0vSoMPWmHJGujDsHRKPye0IZt+QJ"
    "/oojeeGYnY4nKQychfUaIvGjwM7bNuxFMOeJeQFulFUBYM4QBdB+8LmouulIajWg0H/z8B"
    "a7aCI2jfQP3GVgqZSAu8eGRHSNJAlI+K6JCyNUhJ/dGkZDqnBUXzjMCbj5uBg49v6WUgjh"
    "AplJejHLAWJfzXA5K1fdbrtl0UcFr/2DopHoihFI9vRPFYwpi9TVHjbmrO5wz2fzMWey9F"
    "3ojczxU6qN9S+0/QdKnkccF5ByhUyYnxCLk20i3zEZ9xlh9sooyNnzGO3B6JApiwYGkyTe"
    "taPanobcXl12ebq4DLV4eMOmSyPaaMYC9Nro4y/lLyyXGxEBJ3bEFkOkxFgjvFsbI5vL7x"
    "DpsEV1U8TLDSlrAy0oIsyNFokqKjWH4coXfkGk/o4PNC84mGGDKnU2BSgDuB22G57H0xlw"
    "dpueg302kRVSdn4pR2s+KsNa+vfatRWpUN6974R1xq3UoUymC+3GAeyH1rmh7jEueOgVzU"
    "/igtrjoVdknhQpYcpQtepehJOltQFDhIn/UXONKgCy7U+wcbk+DBvAcr44xdHDP2Cs0dE6"
    "qijB2M2T/2jF13p4yDntrWCM5MdtqlHKqbfUCfBBoIyySY/gk96RbMvu2AD/gz+xamLhqy"
    "3inaB3OloTvun2hwY24aj8KMCU1KHtdCZuAJ7NTRXe3RHeJeHFqZRMV1JzwHVQa/7RlwlI"
    "Jtuwo2fkyUtJCFNG/RRPb+qEReJzh9Nfspzc8tF+EI3VtMnlUGZMGPaJxRSeKcnbshTrdW"
    "8obdwXgrWRqUxKokViWxLpNY25idnNO9FCnVv9PKk0z1RZtlsmg2oMqAXC9pjJ3xtKSfnU"
    "TSQC736PS0UDDsaU4w7GkiJy/7qEog7DdvILpbcsUlbmqh7GzeSyKpPmfWjvNdr+qO9cf/"
    "A9ZwY8c="
)
