from tortoise import BaseDBAsyncClient

RUN_IN_TRANSACTION = True


async def upgrade(db: BaseDBAsyncClient) -> str:
    return """
        CREATE TABLE IF NOT EXISTS "subscription_contract" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "email" VARCHAR(254) NOT NULL,
    "sku" VARCHAR(64) NOT NULL,
    "status" VARCHAR(16) NOT NULL /* ACTIVE: ACTIVE\\nPAST_DUE: PAST_DUE\\nCANCELED: CANCELED\\nEXPIRED: EXPIRED */,
    "interval" VARCHAR(8) NOT NULL,
    "interval_count" INT NOT NULL,
    "anchor_day" INT NOT NULL,
    "grace_days" INT NOT NULL,
    "current_period_start" TIMESTAMP NOT NULL,
    "current_period_end" TIMESTAMP NOT NULL,
    "cancel_at_period_end" INT NOT NULL,
    "access_key" VARCHAR(64) NOT NULL UNIQUE,
    "renewals" INT NOT NULL,
    "charge_attempts" INT NOT NULL,
    "last_charge_at" TIMESTAMP,
    "renewal_failed_at" TIMESTAMP,
    "ended_at" TIMESTAMP,
    "created_at" TIMESTAMP NOT NULL,
    "updated_at" TIMESTAMP NOT NULL,
    "customer_id" INT REFERENCES "customer" ("id") ON DELETE SET NULL,
    "order_id" INT NOT NULL REFERENCES "order" ("id") ON DELETE CASCADE,
    "order_line_id" INT NOT NULL REFERENCES "order_line" ("id") ON DELETE CASCADE,
    "renewal_order_id" INT REFERENCES "order" ("id") ON DELETE SET NULL,
    "variant_id" INT REFERENCES "variant" ("id") ON DELETE SET NULL
) /* A customer's subscription: the period paid for, and the renewal under way. */;
CREATE INDEX IF NOT EXISTS "idx_subscriptio_current_31a472" ON "subscription_contract" ("current_period_end");
CREATE INDEX IF NOT EXISTS "idx_subscriptio_status_a6ad0f" ON "subscription_contract" ("status", "current_period_end");
CREATE INDEX IF NOT EXISTS "idx_subscriptio_order_i_d89e7b" ON "subscription_contract" ("order_id");
CREATE INDEX IF NOT EXISTS "idx_subscriptio_order_l_524390" ON "subscription_contract" ("order_line_id");
CREATE INDEX IF NOT EXISTS "idx_subscriptio_custome_c8ac5a" ON "subscription_contract" ("customer_id", "id");
CREATE INDEX IF NOT EXISTS "idx_subscriptio_variant_70964b" ON "subscription_contract" ("variant_id");
CREATE INDEX IF NOT EXISTS "idx_subscriptio_renewal_f1f6a1" ON "subscription_contract" ("renewal_order_id");
CREATE TABLE IF NOT EXISTS "subscription_period" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "starts_at" TIMESTAMP NOT NULL,
    "ends_at" TIMESTAMP NOT NULL,
    "created_at" TIMESTAMP NOT NULL,
    "contract_id" INT NOT NULL REFERENCES "subscription_contract" ("id") ON DELETE CASCADE,
    "order_id" INT NOT NULL REFERENCES "order" ("id") ON DELETE CASCADE,
    "fulfillment_id" INT NOT NULL UNIQUE REFERENCES "fulfillment" ("id") ON DELETE CASCADE
) /* One period paid for: the first one, then one per paid renewal. Its fulfillment is */;
CREATE INDEX IF NOT EXISTS "idx_subscriptio_contrac_d7ab39" ON "subscription_period" ("contract_id");
CREATE INDEX IF NOT EXISTS "idx_subscriptio_order_i_803818" ON "subscription_period" ("order_id");"""


async def downgrade(db: BaseDBAsyncClient) -> str:
    return """
        """


MODELS_STATE = (
    "eJztm1tv2zYUgP8KoZe1QJcuaZYG2ZPjOKvXJA4StRvaDDIt0bYQilJJqq5R5L+PpCjr7k"
    "iu69mGXhKZ5DmkvkMeHvHy3fB8B2F2cB+OmE3dgLs+6fqEU2hz4wx8Nwj0kHhYWu4VMGAQ"
    "JKVkAocjrARZSsKy0yIjFlczhpghkeSgRVEp2gF2yLjvIfoLA2k9Z4BPEQgQdX0HBNB1wN"
    "inrwAkjsqgiKAZxCAkDqJgBucHsj7Ht0WFLpmsV/UDeSDDIbRtxJj1iObDIXAZmE0hVwJa"
    "9wg5gPljPoMUAXuK7EcGXgyHf/ZM8BoR7nKMPPGfvf4uVDwNhy//UFqJPfWp5UCtVSoUP4"
    "A/Vo+eoDlN16LeADAOKRf1+eSVqBPAqByegwBD0dgkG7w5BH9BEkI6j16MyUSpD0PG45ou"
    "0YiqIpoB0ZLXkNpTRTYk7pcQWdyfIJFPBd/P/4pkVzD6hpj8+dkQtfJQ9Qw7pKIybkWMLU"
    "QcQ5T+bPhUIE09WtglKPod20qKu7r4V0hdSHj0Q5vF0jpk7cGjNXYRdjK9WAiLLJVu8Xmg"
    "0vqEX6qCso+MRBfFoUeSwsGcT0XPjUu7RHXeiaiQQoFRpHEays5LQox1p4/7cwQmKRIRSc"
    "k4aAxDLIeAlI4akKQZlnUzMK37nmlZRmF4xBKpbq2TxCiTQ0s0lam3n8gm/Hp0ePz2+PTN"
    "yfGpKKKauUh5+xRVnYCJBBWeG9N4UvmQw6iEMmkCFXnQxUWu3Smk5WAXAjm2otF5tjHJZX"
    "DjhIRu4k82gdeD3yyMyIRPJdPfj5fA/Ni5677r3L0QpV7KKn3hACM3eaOzjqI8STwhzB7D"
    "Jnx18T2ke1IH7kk125Mi2oVfKtLtkdBThPvSaRIbFUkvpDcH2+h0zf7HntEMuJY6A9H/B3"
    "LbuTetiw8iJX56IN3OTbd31bs4A/HTA+n9c9u/k0n6IT+V1jHb4UkNsx2eVJpNZmXNJupB"
    "9Cts5HbSMns4Nk5rMD6tRHxaRVgADKM5r+60WRB8fgpdF+zDrZ5CE7hJYNcAbFZoc1C3Pj"
    "RJuE5Ez0aSUIlHr+SaFdoc1992BGouYFffD0W8F4IOdz1UzrhKR462o5UcxA872KeXsDX7"
    "1717s3N9K9V7jH3BilzH7MmcI5U6z6W+yE+LCyXg7775Dsif4NPgRgUEgc/4hKoak3LmJ0"
    "O2CYbct4g/s6CTZhInx0nLTC+/1X7M8FrDZsy+yY+svbK6jHWxBZfb/dz3MYKkwuwVKnKG"
    "HwkdP2uIL1I2a+3zweAqY+jzvpkLuj5cn/dEvKssLAq5HFVECYtFpSZhblZqPYHu/7t+8Z"
    "M/AfXiUZOQIS3SBgyFgEH0zQkSg58jL+BNuJZItnjzeOXirLUg1XRCLkqvYTLW7qANwdY/"
    "GcdL22PoYuSsYPBSBa3Nt9nmIlhaydRpudbC22xhmyLJfQUbZyX38PtZOCzoDAie6x64I2"
    "bXg2Wp1cPAWdHqWcnW6tti9ZLBrlufXkSJdq+tRrvPOamVwuAtc+DrDoSjYwKNqKZF2hX0"
    "Sqby6MUqYFNyLd0SuplzKs0Al4m2TqGIWJ8LagY3K9RijbDKY1Tjx9IzP9FBqwLgS58id0"
    "Leo3nh3EQOqj5POIj17JhjeIp7UJya9AAKZ4uTZ5n5Rry9eGcUrfZ2O/fdzkXPqHC+60J7"
    "pXXtNd7UrPM84/RZwh8k3E2p2i3vUJdvLgjN0BVtADcfrq6MMve7BrofE037CTc76dRgmz"
    "3lujnnu6N8yyKmCspyphtB+3EGqWNVTHnRRmbJbsa5Frx8f4cwVG9TiTx9fv5WKdwj76ww"
    "+kd+Cl8GbDHLO/LyKZDAiXolWbesqZrcM/cTEr41bycEicCzdxMGpHBLILo6MHYp48AnQk"
    "YfllcFo1K6Sx6APmdgHOKxi7E89w9c1azMFYW11/BA1P0BhN2viC4uEajRAeQUKn5CHmlx"
    "ee2D/YsrHelD/O0B/E0ewFenqdgKq4oZwT1cVNzdRcTSPaFVTJwSaw281QZut4SqHehubg"
    "7U2RKKp8+GmwNZqXattd0d2AjTVEDZjGxRcD18dz6uW7LGmr4s/YNf+lXXtnesO9detsq6"
    "x5oLr+1y9hqWs6tXUoqLA6V+pWgF8SFs+uJPTRtcZnXtlEepa4eiO61hjRWWX57+A+MUWT"
    "w="
)
