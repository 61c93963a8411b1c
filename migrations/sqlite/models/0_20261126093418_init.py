from tortoise import BaseDBAsyncClient

RUN_IN_TRANSACTION = True


async def upgrade(db: BaseDBAsyncClient) -> str:
    return """
        CREATE TABLE IF NOT EXISTS "product" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "name" VARCHAR(200) NOT NULL,
    "slug" VARCHAR(200) NOT NULL UNIQUE,
    "description" TEXT,
    "product_type" VARCHAR(64) NOT NULL,
    "created_at" TIMESTAMP NOT NULL,
    "updated_at" TIMESTAMP NOT NULL
);
CREATE INDEX IF NOT EXISTS "idx_product_product_978292" ON "product" ("product_type");
CREATE TABLE IF NOT EXISTS "variant" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "sku" VARCHAR(64) NOT NULL UNIQUE,
    "name" VARCHAR(200) NOT NULL,
    "price" VARCHAR(40) NOT NULL,
    "currency" VARCHAR(3) NOT NULL,
    "attributes" JSON NOT NULL,
    "created_at" TIMESTAMP NOT NULL,
    "product_id" INT NOT NULL REFERENCES "product" ("id") ON DELETE CASCADE
);
CREATE TABLE IF NOT EXISTS "warehouse" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "code" VARCHAR(64) NOT NULL UNIQUE,
    "name" VARCHAR(200) NOT NULL,
    "address" JSON
);
CREATE TABLE IF NOT EXISTS "stock" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "quantity" INT NOT NULL,
    "reserved" INT NOT NULL,
    "variant_id" INT NOT NULL REFERENCES "variant" ("id") ON DELETE CASCADE,
    "warehouse_id" INT NOT NULL REFERENCES "warehouse" ("id") ON DELETE RESTRICT,
    CONSTRAINT "uid_stock_variant_32327e" UNIQUE ("variant_id", "warehouse_id")
) /* Units of one variant in one warehouse. */;
CREATE TABLE IF NOT EXISTS "customer" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "email" VARCHAR(254) NOT NULL UNIQUE,
    "name" VARCHAR(200),
    "password_hash" VARCHAR(255) NOT NULL,
    "created_at" TIMESTAMP NOT NULL
);
CREATE TABLE IF NOT EXISTS "staff" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "email" VARCHAR(254) NOT NULL UNIQUE,
    "name" VARCHAR(200),
    "password_hash" VARCHAR(255) NOT NULL,
    "permissions" JSON NOT NULL,
    "is_superuser" INT NOT NULL,
    "is_active" INT NOT NULL,
    "created_at" TIMESTAMP NOT NULL
);
CREATE TABLE IF NOT EXISTS "order" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "number" VARCHAR(32) UNIQUE,
    "token" VARCHAR(64) NOT NULL UNIQUE,
    "email" VARCHAR(254) NOT NULL,
    "status" VARCHAR(32) NOT NULL /* PENDING_PAYMENT: PENDING_PAYMENT\\nPROCESSING: PROCESSING\\nPARTIALLY_FULFILLED: PARTIALLY_FULFILLED\\nCOMPLETED: COMPLETED\\nCANCELED: CANCELED\\nEXPIRED: EXPIRED */,
    "payment_status" VARCHAR(32) NOT NULL /* PENDING: PENDING\\nPAID: PAID\\nPARTIALLY_REFUNDED: PARTIALLY_REFUNDED\\nREFUNDED: REFUNDED\\nFAILED: FAILED\\nVOIDED: VOIDED */,
    "currency" VARCHAR(3) NOT NULL,
    "subtotal" VARCHAR(40) NOT NULL,
    "shipping_total" VARCHAR(40) NOT NULL,
    "total" VARCHAR(40) NOT NULL,
    "refunded_total" VARCHAR(40) NOT NULL,
    "shipping_address" JSON,
    "billing_address" JSON,
    "shipping_method" JSON,
    "note" TEXT,
    "idempotency_key" VARCHAR(200) NOT NULL UNIQUE,
    "cart_fingerprint" VARCHAR(64) NOT NULL,
    "created_at" TIMESTAMP NOT NULL,
    "updated_at" TIMESTAMP NOT NULL,
    "paid_at" TIMESTAMP,
    "completed_at" TIMESTAMP,
    "canceled_at" TIMESTAMP,
    "customer_id" INT REFERENCES "customer" ("id") ON DELETE SET NULL
);
CREATE INDEX IF NOT EXISTS "idx_order_email_52df4b" ON "order" ("email");
CREATE INDEX IF NOT EXISTS "idx_order_created_a653c8" ON "order" ("created_at");
CREATE INDEX IF NOT EXISTS "idx_order_status_4d7d61" ON "order" ("status", "created_at");
CREATE TABLE IF NOT EXISTS "order_event" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "type" VARCHAR(100) NOT NULL,
    "message" TEXT NOT NULL,
    "actor" VARCHAR(254),
    "data" JSON,
    "created_at" TIMESTAMP NOT NULL,
    "order_id" INT NOT NULL REFERENCES "order" ("id") ON DELETE CASCADE
) /* One entry of an order's timeline; every change to an order writes one. */;
CREATE INDEX IF NOT EXISTS "idx_order_event_order_i_2e5f5b" ON "order_event" ("order_id", "created_at");
CREATE TABLE IF NOT EXISTS "order_line" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "position" INT NOT NULL,
    "sku" VARCHAR(64) NOT NULL,
    "name" VARCHAR(400) NOT NULL,
    "product_type" VARCHAR(64) NOT NULL,
    "options" JSON,
    "quantity" INT NOT NULL,
    "quantity_fulfilled" INT NOT NULL,
    "quantity_canceled" INT NOT NULL,
    "quantity_returned" INT NOT NULL,
    "unit_price" VARCHAR(40) NOT NULL,
    "currency" VARCHAR(3) NOT NULL,
    "status" VARCHAR(32) NOT NULL /* PENDING: PENDING\\nIN_PROGRESS: IN_PROGRESS\\nDELIVERED: DELIVERED\\nCANCELED: CANCELED\\nRETURNED: RETURNED */,
    "order_id" INT NOT NULL REFERENCES "order" ("id") ON DELETE CASCADE,
    "variant_id" INT REFERENCES "variant" ("id") ON DELETE SET NULL,
    "warehouse_id" INT REFERENCES "warehouse" ("id") ON DELETE RESTRICT
) /* A snapshot of what was bought: later catalog edits never change an order. */;
CREATE INDEX IF NOT EXISTS "idx_order_line_sku_fa1898" ON "order_line" ("sku");
CREATE TABLE IF NOT EXISTS "job" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "kind" VARCHAR(100) NOT NULL,
    "payload" JSON NOT NULL,
    "status" VARCHAR(16) NOT NULL /* QUEUED: QUEUED\\nRUNNING: RUNNING\\nDONE: DONE\\nDEAD: DEAD */,
    "attempts" INT NOT NULL,
    "max_attempts" INT NOT NULL,
    "run_at" TIMESTAMP NOT NULL,
    "locked_until" TIMESTAMP,
    "locked_by" VARCHAR(100),
    "last_error" TEXT,
    "dedupe_key" VARCHAR(200) UNIQUE,
    "created_at" TIMESTAMP NOT NULL,
    "updated_at" TIMESTAMP NOT NULL,
    "finished_at" TIMESTAMP
) /* A row of the transactional outbox. */;
CREATE INDEX IF NOT EXISTS "idx_job_status_920a13" ON "job" ("status", "run_at");
CREATE TABLE IF NOT EXISTS "aerich" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "version" VARCHAR(255) NOT NULL,
    "app" VARCHAR(100) NOT NULL,
    "content" JSON NOT NULL
);"""


async def downgrade(db: BaseDBAsyncClient) -> str:
    return """
        """


MODELS_STATE = (
    "eJztXW1z2zYS/isYfbncTOqJ5Zek7s3NyDKdqpUlnywnaaMODZGQxDMFKiRoR9PLfz+A7+"
    "8iaVGiaHxJZGAXBJ9dArsLYPF3a6nJSDWObnVNNiXSugB/tzBcIvojWvUWtOBq5VewAgKn"
    "qkW7ChBNDaJDq60ZVA1Ei2RkSLqyIoqGaSk2VZUVahIlVPDcLzKx8s1EItHmiCyQTiu+/k"
    "WLFSyj78hw/1w9ijMFqXKos4rMnm2Vi2S9ssp6mFxbhOxpU1HSVHOJfeLVmiw07FEr2Or+"
    "HGGkQ4JY80Q3WfdZ75wXdd/I7qlPYncxwCOjGTRVEnjdqeiXtURxMByLd8JYFFsFAJI0zM"
    "ClXTWst5+zLvzUPj59f/rh5Pz0AyWxuumVvP9hP9oHxma04BmMWz+sekigTWFh7INq/R+D"
    "tbuAejKuLn0EWdrlKLIujlnQugU+tr4+7QLcJfwuqgjPyYIh+u5dBpSfOqPur53RG0r1T/"
    "ZIjX4A9ocxcKradh3D28fXUM15EXxd+u3gu1/VrR7dYM9iII/R95TBIcJWCmsHybqocga2"
    "Y+HLmLW8NIxvahDSNzedLxbay7VT0x8OPrrkARF0+8PLCPLObGCDVkC/o3xVjSP7U/Tz0x"
    "x6fn6aquasKoy1pCOGhQhJHOkrWkOUJUpGO8wZwVp2WI/cH4c4gtMXlIdYXTsiz/oMejfC"
    "3bhzcxv6Fq46Y4HVtEPfgVv65jwiJq8R8Lk3/hWwP8Gfw4FgwasZZK5bT/Tpxn+2WJ+gST"
    "QRa88ilAPa6Za6qIWkbq7kklIPc3Kp10XqLkYBsVu9Zxbv7DFgnrGCKZQen6Eui6EaXz2e"
    "oK5AhkdMOS4dzuvfR0iFKZOcY/l/sls5QB344Wq9WxpEU2traXDGq5btZbQEYji3Xok9mz"
    "0pAleCDxVAMt2HegoQcR9qZ8NFxT6U8WgWMvFt8sZZ+Ns3fLhzWq37tNIVKQHgKyQpS6im"
    "GfAOT9SusJmOHOYDBDwD3yuh27vp9N8ct9+2LYCpxaAQFIT+NIauZOo6wtK6iAYHeRqoxS"
    "c5dPgkVYNPoghDQh8+NQlKsIJ+uxsOkjEOc0XVWJEI+B9QFaMyo6j1r5mJJQYkmJqKShRs"
    "HLHH/ru1e8VmKGXHBqJhgIjJyxqIxga4v5r+ORym55LHX3UjO4VMzDDTZlPzEES8BWsz5h"
    "HGYI5jfK3pSJnj39HagrpHOwVx4lQdX/U5MIjTfD9arMNnz+2JaBdFgL43sqftbueu27kS"
    "Wj/y+NoG0aTHF3rad6yNBmEd+vY1XUa6qCo4aSYugtKQNdSn7RxsBH63AQlbqxLCEZ66pQ"
    "cjDI9kUyiidY8VYgBtBjSMgBPEAAq2/qQvgRaaaaCjVgSnnGwTPMEPD99MWqmQ9cMDUCgP"
    "BguI5V/AwwOdoZD+hGS7YkFhAdM1MLGxUFYrJANL94wj0HmCiqUalCzYIPgJ+E38AtAT0t"
    "dAoq3Pkf0kBKjMZIW9K1TB/S2bTIGhAYUAzKjBXEMG/Tmnuvtkv2VCBOZrMLjjvVzrLx6Z"
    "2WNkxtWBAtAGWXZnj7yrNcA+oO6XVADQIAsHNAqoM2gUs5rDTNxqTsDVG4GLIRtl49hu9k"
    "gC894LPZLmrUZFPZLwl5vskSSq8RbQ/Rxsq6H4Rr/fEMIj4W486nXHWU5flca6L4AEgz0k"
    "nXSjPaQQfA3xoMbQLEtVoqIutFDg0PNVRL6KuOdVRCjL1MYvtgTjs7xo/aWeIaBKF1pKbR"
    "biAUwewKxnALNrUt1cWgZIzCTy6jItIilIxQ2iphhEaAkVtci07TE0ziRqn+WxiShV+qx9"
    "tl+rqGYj3S62VkHDeKaziriAxqIIzjHGJpqhZ2e5FPosQ6HP+CmJ17rrpJQJbC8TbsG4O7"
    "zhbk8r03A2S7Lq7IpMk87wSLg9x+05bs9xe47bczWzKKq351ZIXyqGQTtWKLQYYavH9m72"
    "vMZs71YM0TApzKZhG0MRe0rTVARxymQZYY1IZ0p5qxKLV7JbCVwOh/2QBC570dP19zeXwu"
    "jNceRcSXxLAwWPmkLKU8Iwvwl0n2+HiLsT7MECzj3K9PH/1XqUVfpMtn+Z4DN5jme6z6R5"
    "JFX6TF+Zb0ZM69EBJf+L+1I7TdpkLqdJc2+Gte9xbMXer5EzddLOc6awnX6osB01PIn2iB"
    "LSCaWD6zE0zlPd/maMfYcB4vNmw+IA/vgcR1igw0Bss2A4N4HHvTs3tXUrDK56g4/ibeeP"
    "G2EwLugnRdkvQKRggm9Hw65wd0fLaKX3m5Z3RuNep9//Q7y+71/3+n3hihLECye4O7y57Q"
    "tjVu/9pKWdQVewmNxfEyx8ue2NWJHzo1WLMW0F10uEifgy7Yi3snstKakdnlYwqfcsMfeu"
    "ghowEq7vB1dhBXDLJtiv9cuuOz1L9vb/E/xp2LMo7P/rIXeeg6DqHASGOSUagQlzWmYajS"
    "Dbq8ykcVogk4Z11I8+UCyFdIyZ470B7zIwc3TzoqujmUnfRC6lzXHm/eBd1fm6yoaOEruU"
    "k3j5duXyCwdTRVVLiiKBlUuivCQ8zV4iCmJCiC7HR+GzckmUlwTWSMJ6Tnrqape+Ccv2WY"
    "sGVeSsVmS0XFH8qG8jPqJCPlECa+OCfZXsm5CgTmh7eI70la4knRLOcEQTeBvokL72hOE7"
    "1fhmrVvyfOFNlrqLUTRfeDiwq5QReYBtC/I+ILui3uKNf9WStlyx/AWlBvMIL5d0rSXNll"
    "zUcoIOs3I511rOznnVYomJIlyl8hLVTKgVpyUKngsOg1w4c07wIPJhYZw3b05EvUJpc2gf"
    "wOC+38+XKxU9oRffSmJtdxNYQwdobObKN7DjTAMHg1HluyttrUrbYunp3IZ9liLyCDfmTh"
    "1iBCixvmaJUCG285X+wwBsJmZqEElJSjSPCDzrCkFWitJ4btXtNZtn16e3u7T0ps9LZf5a"
    "9n3+3G6fnLxvvzs5/3B2+v792Yd33tQWr8qa4y57H3uDSGBz8+5QC8AY/hnbFx36BobWjn"
    "OFNI8zQprH8ZDmEhkGHWGKRO0DLI1AedeRezrAaoX2O3sMTVgn2cGuUTaYFFkFdOn50h+/"
    "JoUHbIuE6W37sZDvH2ThCYk3e/6esfpCtz9vuo+6wZvX6Q/qVdHLUSp31CzPNs1Pc93eTW"
    "6a6tJt9NI6wMBwZSw0wvyp5wUk4BkaYKqZ8wW5ANQZp46TRGc9VZsDJLN7LezLIRz/ynWu"
    "4o7aVlvmWU3qdRKPTg5K8u3z6VdeBVj4fQjRM9f7vEu1TmfDeBrkCsE9zRUWOM0IC5wmXa"
    "ZqXzZWNPwS5Wsg3ttXZs3qUaEtxAEW7rWW91oP5kql2lsVcUzFmanOFFVFRUy1ZGZuWaSC"
    "7O6WKINxkJdDnAqxjoip43IQB3k5xFGI6UsRscy97WHGV3lIj1/eXquD0webqKJVDO6EFA"
    "S9gXg7Gn4cCXd3FyDwxwRfCf3eJ8FKIOH9TE40MRLG96OBnZLA/hUNPeUS6tZTDvAA9/ZH"
    "/X3dElkzX6dJl0Q2EFq+JLPJPNnCkkzCsLAFXPPfvFkzvc0LbMbFm/7+1jrcvHmg+Nb64s"
    "3ftGkrYSmRFb/NWkT8r0OQY/VQ157Z8h5ZIAoPxAaUnPvkNZNMte9Jy4KbWCZ4gj/rCiEI"
    "AwVbdAZ9gSAxgIZV7m7yZIuLGCHZAAp5y+6whxig2QxJhF11by0rTrCqGQRMEXlGtGFJWy"
    "4VQulkgDDVOBMdgc+a/oh0A0gqVJZANhHrqmHR6KbdEfo8WUU66//DwyPVzYeH3HtJfdOd"
    "tsY3ktZ3IymTaxH/16VvoO9byUbSFVyrGiyUfSPAUo/M9uyxjclsf4Ahif/cC/eO518gIm"
    "FzXQD7/wke3Q8GVoTC+THBV8OBcAHYvywm0bHCEZ1SEYbj8zxfTnRHXuDDOY9dOEunxOUq"
    "6ZBR6sQQZOFB5agfzORVAtQo2+6A/XAgwDoGTgzS7O29PlcDt/YeyFZeF5PMvbyqJj0iWT"
    "QxScppnS3kKC8/tH0Akp4WWg8KMTXvIEolNrEKDSIiXU867pN+virM1QSod33CSkayuUJF"
    "06KFuZp2tUQ1CdH4qZ9XeOqHJ+dqmtQTzIZYloeZghVjUUrsEVZuHdZHzPbXHVvs3M/SRg"
    "fpirRoJaxuODVvsxY4oE/Db1re2YBX8ZmkJ6QbiUeS0u24AEsDg/eVXE/LPqoCCDvkDUS3"
    "EjeQPpGgpJ0N6UsjAZbdL40c+AGPvU5mP/4PYlVeRQ=="
)
