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
    "needs_review" INT NOT NULL,
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
CREATE INDEX IF NOT EXISTS "idx_job_status_06ec9c" ON "job" ("status", "run_at", "id");
CREATE TABLE IF NOT EXISTS "periodic_schedule" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "name" VARCHAR(100) NOT NULL UNIQUE,
    "every_seconds" INT NOT NULL,
    "next_run_at" TIMESTAMP NOT NULL,
    "last_enqueued_at" TIMESTAMP
) /* When each periodic job is next due, shared by all workers. */;
CREATE TABLE IF NOT EXISTS "payment" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "gateway" VARCHAR(32) NOT NULL,
    "external_id" VARCHAR(255),
    "amount" VARCHAR(40) NOT NULL,
    "currency" VARCHAR(3) NOT NULL,
    "state" VARCHAR(16) NOT NULL /* PENDING: PENDING\\nSUCCEEDED: SUCCEEDED\\nFAILED: FAILED\\nCANCELED: CANCELED */,
    "failure_message" TEXT,
    "created_at" TIMESTAMP NOT NULL,
    "updated_at" TIMESTAMP NOT NULL,
    "order_id" INT NOT NULL REFERENCES "order" ("id") ON DELETE RESTRICT,
    CONSTRAINT "uid_payment_gateway_2fc5f8" UNIQUE ("gateway", "external_id")
) /* One attempt to collect an order's money through a gateway (a Stripe PaymentIntent, */;
CREATE TABLE IF NOT EXISTS "processed_webhook" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "gateway" VARCHAR(32) NOT NULL,
    "event_id" VARCHAR(255) NOT NULL UNIQUE,
    "type" VARCHAR(100) NOT NULL,
    "received_at" TIMESTAMP NOT NULL
) /* A gateway event already handled: written in the transaction of its effect, so a */;
CREATE TABLE IF NOT EXISTS "delivery" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "product_type" VARCHAR(64) NOT NULL,
    "status" VARCHAR(16) NOT NULL /* PENDING: PENDING\\nDONE: DONE\\nFAILED: FAILED */,
    "last_error" TEXT,
    "created_at" TIMESTAMP NOT NULL,
    "completed_at" TIMESTAMP,
    "order_id" INT NOT NULL REFERENCES "order" ("id") ON DELETE CASCADE,
    CONSTRAINT "uid_delivery_order_i_0a5e82" UNIQUE ("order_id", "product_type")
) /* That an order's lines of one product type were handed to the owning plugin. */;
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
    "eJztXVtz2zYW/isYvawz4/UkviRZd2dnFFtp1TqSV5aTtlGHhkhIQk2BKkFa0XTz3xcALw"
    "KvImVdKBoviQzigOCHQ/Dc8XdjahnIpCe3tmW4utO4BH83CJwi9iN+6Rg04Gy2vMAbHDg0"
    "Rd+Z1GlIHRuKsUbQpIg1GYjqNp452CKslbimyRstnXXEZLxscgn+y0WaY42RM0E2u/D1D9"
    "aMiYG+IRr8OXvURhiZRmSy2OD3Fu2as5iJtjZxPoqO/G5DTbdMd0qWnWcLZ2KRsDcmYvpj"
    "RJANHcSHd2yXT5/Pzn/Q4Im8mS67eFOUaAw0gq7pSI871JZtDU3rdPvaXauvaY0SAOkW4e"
    "CyqVLx9GM+hX+evjl/d/7+7O35e9ZFTDNseffdu/USGI9QwNPpN76L69CBXg+B8RJU8X8C"
    "1qsJtNNxDfrHkGVTjiMb4JgHbdCwxHbJT7sAdwq/aSYiY2fCEX39OgfKz83e1U/N3hHr9Y"
    "rf0mIvgPdidPxLp941jvcSX2q64zL4Bv03g+9+WXf76MozS4DcR98yNocY2VpY+0hWhZVz"
    "sO23fu3zkaeU/mXKkB59av4q0J4u/Cs33c6PQXdpCa5uuh9iyPtfAw+0Evwdp9vWPrI/Rn"
    "97XoDP355nsjm/FMVatxHHQoNOEulrdsXBU5SOdpQyhrXhk54EPw5xB2cPaHSJufCXPO81"
    "aH9q3fWbn24j78J1s9/iV04j70HQevQ2tkzhIOBLu/8T4H+C37udloDXos7YFndc9uv/3u"
    "Bzgq5jacSaa9CQuDNoDVCLrLo7M9Zc9SilWvWqrHqAkbTsYvZc4h09SuIZbxhC/XEObUOL"
    "XFmyxxO0MeR4JJjjg0/58ZceMmHGR86X/D97oxwgD3wPuD5oldG0Tq0sOJOXpqfTeAskcC"
    "weid+b3ykGV4oOJSGZrUM9SZ2UDrWz7WLLOhR9dEuJ+F732kn4mxd8lHK6XfVpZmM9BeBr"
    "pOMpNLMEeJ8mLld4RCc+8QECnoPvdeuq/al5c/Tm9PhUAMwkBuwgGfrzBLq6a9uI6IsyHC"
    "zT1JCLzwrw8FkmB5/FEYYOu/nQdVCKFPTzXbeTjnGUKs7GWHfA/4CJ6daEosa/Ry7ROZBg"
    "6GLTwYSe8Nv+p7F7xuYo5dsG4maAmMjLB4jbBpS+mv06HKbmUkRfDSw7pUTMKNFqUfMQln"
    "gD0mZCI0zAnMT4o2UjPCa/oIWAus0mBUnqpzrp9TkwiLN0P9Zsw3mo9sS4iyHAnht5n+2r"
    "5t1V87rV+F5E16aOpT8+U9O+42PUCOvIu2/ZBrI1E5O0L3EZlLp8oBs2zsFa4HdrkPC4Ks"
    "UcEbJbtjGChl1WmSIa9wQ7FFgjYBEEfCMGwET8yR4CTSyXopNGDKeCZAMyIA8Pf7nsInYW"
    "Dw8AMxoCJpAYP4CHB/aFQvYTMrwLEwYLGC6AS+gEz2bIAIL36AloPkEsWIN1kwcE/wTLIX"
    "4A6AnZC6Cz0cfIuxMCbM0MzJ8VmuD+ln9MAbUAdgDhvcHYQpT9HDPeffKeMsUC81U27oQP"
    "1/hDWWb2aJkJeKAEtDLJ7uSR15UGeAlo8CaVAFQmUYDGAfU3jXJSc5RISc0puIY7cDlk42"
    "QK29UaifTde6ZGUj9vVFwjib656RpJKhtvAN0v8lg1xTf+/kYQ7rXu+r32VT9P6dumsL5c"
    "gBSBPbI62UJ7hCGUD/Gg9tA8SVVnS13KUeD3V15E5UXcsxcRGgaT8cu5YJYkz/K/VNMEtF"
    "VHy1rBQsqAqQyY1TRgXrmMN6dCAEmIROG1XIlIl3spgaguAhGaQmyW+WyHBLUTiU4vishE"
    "rFf2V/tiv1JRxXa6XYRWQUrn7KuiTSCdlME5QVhHMfTiohBDX+Qw9IXKknipUSdricCem3"
    "ADwt3hbXd78kzD0ShNqvMu5Ip0NOyi5Dklzyl5TslzSp6rmESxfXluhuwpppRNrJRpMUZW"
    "jfBufr/ahHdjqlGXwexSTxiKyVOWZSJIMj6WMdLY6gwZ7baWJWzZ7Qp86HZvIivwoR3Prr"
    "//9KHVO3oTyytJhjQw8JgohJ9StvlVoC/pdoh48IE9WMCVRpm9/79YjXKbOpOnX6boTKHi"
    "ma0zWWGXbepMX7lu5rji1hKT/6F0qZ0WbXKnw7Rvb460H1JsRN6vkDJ1dlokp/A0O6nwNC"
    "54OtYjSiknlA1uSFA7TXXzwRj7NgMkv5s1swMs9+ckwi22DSSCBaO1CULq3ampjdtW57rd"
    "+VG7bf72qdXpl9ST4uSXINYwILe97lXr7o61sYvhb9be7PXbzZub37SP9zcf2zc3rWvWId"
    "k4IFfdT7c3rT6/Hv5krc3OVUsQBb8GpPXrbbvHm/wfjUrsaTO4mCLiaM/jjuQou+eSNbkj"
    "5Aq+6m2xzO1rmQN6rY/3nesoAwRtA7K8umz72GyLtff+H5DP3bbo4f1fjXVXNQi2XYOAuk"
    "PHcmDKNy23jIZM9iIraZyXqKQhUv3YDbW1kE4QK7xX4L0OzArdoujaaOSyJzHW4uYk8X7w"
    "3lZ+3da2jjWilNNoVbjy+o6DITbNNZcihVStxPorEXL2FDEQU0x0BV6KJalaifVXglhOij"
    "8nu3R10L8Obvs8p8E2alYThAyq2egJo3lJH1qcVDkuyzguDTSdMb5lOqX2iErpoimktTOy"
    "biVeRYe2w8YjY2TPbJyWnZ1jAEihraEh4KUXat8px9fLX6zqtNd51QOM4nXaowZ1vM6SS2"
    "QbWO8DkueqvbzJt1q3pjNeN2KtzTxGq1a60ivNXV3megsdJVXrXOl19vOEyxWEilGtVQ+q"
    "You65XJQcj52FOTSFYvkBPDDwrhovaIYe0XKFbE5gM79zU2xGrXoCT37NBgRZtjiAx2gsF"
    "mozsOOKzwcJEZ+lMczYbr1RqkrSOwZ8ROy8XO56dobZ1EnnLYeIu1tUVlx0uEGtiJYWkNh"
    "x5UFkLsEAdbZXvBqxpB4RYf/QQEX6/ieEqsr7FhhJzC3sYNEneFkgeTNDVskdDsMEV87cv"
    "sDHr+U4O1/nZ6enb07fX329v3F+bt3F+9fh3JS8lKewPSh/WO7EzOdrw7xFgAm8M+JQfb7"
    "19BO+6aQffxNjn38TdI+PkWUsh2mjOtNIqkFyrt2v7EN1iqVtBAS1MHZuYPQb76ZJPHNdu"
    "UH/ZX/Xp11pKz/ZXw+nvxYypAkk6iq4qvNSKGw+kwbUtGaPVWDt6gFSearsiccbV1RE2aS"
    "LD0tsKGsUtPMoN9KLa0JKIEzOrEcrk/NJ9ABc0jB0HLHE+cSMF2cKU46++qZ1hgggx9O45"
    "3w4utXgXKVVNQ2OrIqTVStdFr2ccCBlaYgtDKJOtQkHvC1zwOR9xznomqZ7wrc80JmgfMc"
    "s8B52onI3omBZc0vcboa4r15ZrbEjErlAUgkSmtdX2s9mHPRKi9VJDHVRq45wqaJyohq6c"
    "RKssgEOQi9WQdjmVZBnAmxjRzXJutBLNMqiOMQs4dytJmN9RQZIzf7M0r4IjNtT0skf6rq"
    "B1uvfnCw1WYa5eBOqSPS7mi3ve6Pvdbd3SWQ/hiQ69ZN+3NLVIEJf6ZXi+m1+ve9jldXxP"
    "sVNz0VWtSN1w1RBu7N7/r7Ouq1YrpOnU56rSG0yiWzSjzZgEsmZVvYAK7Fj8+tGN8WBTbn"
    "9NxlsHQVjs89UHwrfXruz9awkeJK5M3HeU7EP/0OBbyHtjXn7j1nghg8kFAoyrhDE1iuM7"
    "S+pbkFV5EMyIB8sbHjIAIwEf0oewC5M4BUtAdBnty5KOoNAOwcAypiPtFohHQHYN+tOCCm"
    "RR0wRM4csYF1azrFDutnAEQYx7noBHyx7EdkU6CbEE+B4SI+VSr62K43EXY/w0Q2n//Dwy"
    "PjzYeHATmiCIFLhuPlgzWlJww9ejIXYz28OgEtEY7KA1LY6zKd8QlRh71JBn+4+/5V4VjU"
    "pejPZuPHwDCmU+Go1QxH5dxRRosO+tdQg95KOOoMLkwLlirEI5FU45ALftvaHHJxgIaN/9"
    "637n37QQm7hkd1Cbz/B6R33+kIO4f/Y0Cuu53WJeD/cstGUxg1mmvZKd68LfLmxOP6pBfn"
    "beLsafZhnc7ScpUyPwwyiTJNx7Vpvl5rgBon2x2w7w8E2KWYUyZIeElVwwDhAwkIDjDJjQ"
    "g2Lf0RGZpLnLTy9vmLHKdVdQQOYKWHpbxKEaL6pbNsRSY2IXU0ZNtpSUPZWVpRqjpAves8"
    "LQMZ7gyVrdQXparbKTPbqdGncodeYO6QqhdXt1VPERsS9SJGmGA6WWvZY6RKOqzOMntvd8"
    "Jluh8HyS2ysWVg/U5nzOKKR094SxJ9jvNcJzO/t0bl7isdKV8miAAE9QkIBgB/WkPPefHN"
    "4b6IY0CZIIEMMFwAaJrAczDQpINl/aG446Xp/wXmmFAA/THYX86EF84AjA8N7Ptr7m85/3"
    "i+ED625qneDw+yW4UNMiB8AiPLBtjJ8ugIr400a+5x4aU6dASgbluUxmbaE54Zm03I+66L"
    "QUfYpo5wtbCZ+89BEfJ8RTIaKqesgjll+03UqZDkvBXVUFTF0SjiL3AZM2WCTgWqpZgqpe"
    "2vrKwSI62hjHrowkrSwuJ92taRTNPolXhatRWvinjqFwRMk0qXtQJzhFGpU6F6bb4/ildN"
    "Yyxr8vgZqcTalAmACyZL2TyFn0lYY8aPc7gARxDcMX6YIeDPin1M2L/HCdF087cYECZVQs"
    "AQdJlA6j8vsNnXig0oBFzqwNHoVZbA97Xh34FfZxsxsplgqwVRNUoU3JMoKC1KUWlQIqlh"
    "BM3m0xVkZi8Bc4ysDs6CeJmxi0Jlxi5yyoxdJGIuppabFq+cm7m2JHqRWWtljixUWWu7yF"
    "rL0M6LxXbtuMbD5nLW7u6vrlotcUx1+DN5knUyUy0u/ewn2msEsenaSFujeGcKaR22+137"
    "hpXLMpv5D9N5pVyWL3HVi7gsVQ6wyqisSGJaZkblvpPSbm1LZxIFMr6g4cSyHhtp1q14n+"
    "NcM1fQW5tL3QskrwXWJXGqAYAm35gWfo6XcSnOC5CS0OT8M2sEeMFKL8fMyzhLWLs2PP6A"
    "2Mg/QgMZ/pATSAGxgOed8Xsr36YyaFVx49q6QYu/EWWtWRJN7dzIW7FkCXhKIBz0ryELb8"
    "VNbyMdsS1+HcUhRqo0h6poDln6YkW8jOF5WimCmHzWVrYAZsi9VspdfZ6tL/n8xAFzXOLh"
    "8WV+VVjAVxPMmagjxCUe32UJIcmaE8YhYGa6Y0ySwW8bHJtHw3GHJS9XMEM2OBJjHkdGeX"
    "UcCnFzHnYnRhFnTWEK+MHFP4imAB8eejYgU2g/8kIFIj90VYUDbzLsSXg4mycIinA+UZBg"
    "jnU0IP7oXrRctqMzVJwihXeVn3OvZdRV7eTd1U4+wPz0jTkx5IT0qOuiGm4KlbimnBNV24"
    "7qJWxGVt2azrg5cK11j9Gq4MXq+COSK60cEsohUXWHxJ5P3WoiG+uTRory6185zlN94bLP"
    "KsU3G1Flra+WWsa16dTDrbI1MomkhsrYdoIi2UtVAmG/ew3R3Yohmd3RQWkxp9nl8SSS3Z"
    "fH249At7FCeHu15X7/P1YnHIY="
)
