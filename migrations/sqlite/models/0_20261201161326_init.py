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
    "payment_due_at" TIMESTAMP,
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
    "quantity_allocated" INT NOT NULL,
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
CREATE TABLE IF NOT EXISTS "fulfillment" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "product_type" VARCHAR(64) NOT NULL,
    "status" VARCHAR(16) NOT NULL /* PENDING: PENDING\\nIN_PROGRESS: IN_PROGRESS\\nDELIVERED: DELIVERED\\nCANCELED: CANCELED\\nFAILED: FAILED */,
    "created_at" TIMESTAMP NOT NULL,
    "updated_at" TIMESTAMP NOT NULL,
    "delivered_at" TIMESTAMP,
    "order_id" INT NOT NULL REFERENCES "order" ("id") ON DELETE CASCADE
) /* Delivery of some units of an order's lines of one product type: a parcel, a set of */;
CREATE INDEX IF NOT EXISTS "idx_fulfillment_order_i_f1ca47" ON "fulfillment" ("order_id", "product_type");
CREATE TABLE IF NOT EXISTS "fulfillment_line" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "quantity" INT NOT NULL,
    "fulfillment_id" INT NOT NULL REFERENCES "fulfillment" ("id") ON DELETE CASCADE,
    "order_line_id" INT NOT NULL REFERENCES "order_line" ("id") ON DELETE CASCADE
) /* Units of one order line in one fulfillment. */;
CREATE TABLE IF NOT EXISTS "physical_shipment" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "status" VARCHAR(16) NOT NULL /* PENDING: PENDING\\nSHIPPED: SHIPPED\\nDELIVERED: DELIVERED\\nCANCELED: CANCELED */,
    "carrier" VARCHAR(32) NOT NULL,
    "carrier_name" VARCHAR(100) NOT NULL,
    "tracking_number" VARCHAR(100) NOT NULL,
    "tracking_url" VARCHAR(1000),
    "weight_grams" INT NOT NULL,
    "label_pdf" BLOB,
    "created_at" TIMESTAMP NOT NULL,
    "shipped_at" TIMESTAMP,
    "delivered_at" TIMESTAMP,
    "fulfillment_id" INT NOT NULL UNIQUE REFERENCES "fulfillment" ("id") ON DELETE CASCADE
);
CREATE TABLE IF NOT EXISTS "digital_download_grant" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "nonce" VARCHAR(32) NOT NULL,
    "file" VARCHAR(500) NOT NULL,
    "file_name" VARCHAR(200) NOT NULL,
    "content_type" VARCHAR(100) NOT NULL,
    "download_limit" INT,
    "download_count" INT NOT NULL,
    "expires_at" TIMESTAMP,
    "revoked_at" TIMESTAMP,
    "last_download_at" TIMESTAMP,
    "created_at" TIMESTAMP NOT NULL,
    "fulfillment_id" INT NOT NULL REFERENCES "fulfillment" ("id") ON DELETE CASCADE,
    "order_line_id" INT NOT NULL REFERENCES "order_line" ("id") ON DELETE CASCADE
) /* The right to download one file a limited number of times until a deadline. */;
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
    "Qx7JR4Tnbran98E8L2eUGDnfSs9sxXzUEVYjpJ6i3EdY6IIzUK4/iY5PajIghpVLHQM0bL"
    "JK9zI6ZxUhmmLhOm1tDCZKsUUVfKEyrleUghbZxLfSfZSSq0bDYfmSHLtHBaLX6OuyeFto"
    "Fun9feln+vEt+s7ADZlb/JXE9RJhLloSbEVVgeIpO6Yn3Ym3yrVWNh8i4hlRbzGK3kdK05"
    "zQObejVGR0kln2vNZ68qvFz7rxhVpe5fNWPqjpt/havvoyCX7k8VLvc/LoyzCuxOY92pYu"
    "IVaU7F7gH0Hu/uinUkRs/oxXv/iKTSDp/oCJXNQl099tzP4ygx8tyaL4Tp3p2lqSCxZ8TP"
    "yMIvlaZbd55VU3GaOvoU6/oWBOrzeqYmgbXz6gF3Pc8qIQhW+w11BAoKBm7sDd4nCLDB1o"
    "o3+obE7cf9Nwq4DswX4FjLbdsIBoGlhW0kWnAne4dvb9oiVQ1B9UTlooZrPHstdQ3/OD9/"
    "//7j+dv3Hz5dXnz8ePnpbaBUJk/laZfX3S/dXizOsLn6QQCYwD8nPd8b30Cn9rtCwYR3Oc"
    "GEd8lgwgJRylaYJMTZUekQSSNQ3ndkmi2wRql6noCgCXkAe6iK4ItJEt/sLBd/vExtkduA"
    "yVBJmQCZqz+W8rqFSWTD/c0+t0BZfaHDrWg7q7rBW9TdFparspt/7dxQEz6lLDvNdzhtMt"
    "N0f9xGK60NKIEmnRs2t6eWc2iDJaRgYjizuX0FmDnODCeVffV0YwaQxvdtcjc/8uwr37hK"
    "GmpbnVl27apXpTn7OGDfUVMQ2jCJ3O8nnh13yL3CD5wUJNv87wvci0JugYsct8BF2mbh7m"
    "aaZd0vcboG4r19YTbEHZUqkQmRSKu1utV6NFsG1l6rSGKqQF03VIFDeXSjxFKzyATZC8JV"
    "AzlCLEHOBNlPBquCcZhWQpwJsYVsxyLVIA7TSojjELOHshXTwmqKIpdbfR4lfJWV/uclis"
    "9l95Wdd1852m5XrXJwp/Qx6vaU+0H/y6Dz8HAFQn+MyG3nrvtrR3ShCn6md6sadIaPg57b"
    "18j9FffvFWLq1vsWySjC9lf9Q201XTODskk7TTcQWhn32qSebCHulbIsbAHX4tt310xuiw"
    "Kbs3v3On2/Dtt3Hym+L969OzUTeRvbeobSkZtcDKAZS6IbUFNmFnxxCvetN9kXq9iicDSI"
    "7TI34Bdj0krJCuCHT/PyAf7tDSiQCGAZSx6pt+eIPQ4kFIrNSqAODMeeGN/TIvybSEZkRL"
    "5Z2LYRAZiIcZQ9QHgwgFQc9/O1eZ6A6LMCsH0KqEjfRtMpUm2AvQyBERMfaoMJspeITawa"
    "iwW22TgNIMIkxEFn4JthPSGLAlWHeAE0B/FbpWKM5bg3wq6n6cji9z8ePzFZGo9H5IQiBK"
    "4YjldjY0HPGHr0bCnmGr85Ax2RWc5zy9iivDD5DVGbrdcaf7jH4U3htPK1gcnuxktnY0ub"
    "zCyvZ2Y5l44yvhp/fAP9NDvJLDfhin8QykQ1QyT12MqJX7YxWzkdofvs/x47j56XqoT3zK"
    "W6Au7/IzJ47PWEN837MSK3/V7nCvB/uf+sLVxn7UresHcfirw58RTd0IvzIf7eQPZhXZhp"
    "+ljmhyFMIgMgcZ8N51cFUONk+wP205EAu1ZzyuT7r6kamOt/JLn9Pia5yf26oT4hTXGInb"
    "aJSz6T47Syf8oRcHpSKnYZIWpeZdpOdGIdUltBlpVW/5ddcBmlagLU+y651JDmmKhsh9Io"
    "VdP2UttNb1JZBvgKywBln8ymcT1FbUj2f8EE03kltsdIpXZYHza7b3ciMH+Y4sl7ZGFDw+"
    "qDyoTFEY+eiJYkxpzmhU5Mb7RCw8M3BlK+zREBCKpz4E8A/m1M3ODFd5vHIk4BZYoE0sBk"
    "BaCuAzfAQJMBlupT8cBL2/sLLDGhAHpzsL/sOe+BA5gcatiL1zzec/lxYyF8bsU1vcfjcF"
    "iFTTIi/AamhgWwnRXREVGb0F3ziAvvuqMiAFXLoDR2pwMRmbHYDbnfdTHpFFvUFqEWdufe"
    "c1CE3FhRGA1ZHlrD8tDD1tzVSHPeiWkoGlwpFPEXuIybMkEn0yFTXJWh5a+srhIjbaCOeu"
    "zKStLD4n7aqmimafRSPa0bx+uinnqNUNO00nWP1BxlNDSoUOtFLx7FGyAykdV5/kyoW+KC"
    "KYArpktZvBsH07BmTB6XcAVOIHhg8mAi4N0V+5iwf08Tqun2LzEiTKuEgCHoMIXUe15gsa"
    "8Vm1AouNSG0+mbLIXvj5Z3BX6eLcTIYoqt4mfVSFXwQKpgiClFtcEQSQMzaLZfFBMW9hIw"
    "x8iaECyIdwy8LOK2vrzM6Rh4mci5WBhOWlZ8bn3kmuhV1kaW2ZhX1kbuozYywzovltu153"
    "Yt26uMfHi8uel0bnnCV/BzRD63u6L60f0/rR4yrv0cJttrCrHuWEip0Ic3hbQJy/2+Y8My"
    "ZJkt/McZvJIhy9fI9SIhS1lpLut2a1L+mFm3W6T0cadOLctQmUaBtG9oMjeMp1aadys+5j"
    "TXzeWPVpah4QWK13zvktigBECdL0wrr8ZLuxJbf4SK0ML1Z8YU8N6zbo2ZW3GW8HZtef4R"
    "sZC3dRDSvCnnkAJiADc6442WsU3p0KrjwrVzhxZ/I8p6s0I0jQsj78STJeApgbA/voEivJ"
    "MwvYVUxJb4KoZDjFRaDnWxHLLsxZpEGYN9BFMUsfAeg9kKmBYetVHvGvJq/VDMT3TU4BoP"
    "zy/zGjwDzk2wZKqOUJd4fpchlCRjSZiEAFN3Zpgkk9+2ODfPhuMBS96uwEQWOBFznkZmeX"
    "MaKHFLnnYnZhHbxmEK+IbtP4lDPj489WxEFtB64o0KRH3opg4H7s2wJ+HpbK4iKNL5REOC"
    "JVbRiHizu9ly2YHOwHCK9NCWcc6D7ogg26Dvrw36Edanby2IES5Ij4Yu6hGmkIVrMjhRt+"
    "WoWcpmhOvGwuTuwEp8j9HK5MX6xCOSnJYBCRmQqHtA4sAb6IU3h0+xgGN7x2cbwdPYwI12"
    "sG9bc/OUGsz84w3xaWyH8kwD9ooXZ0FLRYwlEFDEN8xLmMPbvwQzN71OjMBt63gG+kvipt"
    "qKIAajY3O6ZiuzjudYnYMnhEwqAhoasiHW3b56PKd3js2Fm8cbafBI3wDTYKLEzXFmwCLX"
    "jFbZK+XNxf90n4WXmgkDWujn5fdoT1rD0vyV5q80fxtl/m5jd4M6ms3SfMuGvrnmm8wtax"
    "rXi+SWBbkfFfgep5VGe30YLY12abQ30mgPefflnglyz4RD7ZkQsoA8b0M2qn2Chgb7ZzO2"
    "D6G5jvJLmY5qNb+ZeCPzfWf+S1vIfyY2WSnmRHv0HVrceeWmXnBinlbBj4QmTSaLlKSVOb"
    "X18h7JzbW338cm/BKWEtokocQ3BV9Xn+KrTBX9PkQn0d2s5MciMi9U9WOBoCODuqjCn3yP"
    "N2/6txbObVlUDVPx4yAn3uY6xUMDzTZFoQtrvTn1WPMVxSrUlbDCvVGVy0ZZKl71Urxecy"
    "Tp4efu/b3oBeH+KB5BqknECFoWTnN95TRKWZM0MNC6/UI0Dy+lbD/TOF0Dwd5JyRT/rDyx"
    "e1DY0jMpJ9oppBL1kqg7VsruPQUg9+iakLWdgLsg3rmAJxBfMkV6bnPP8KJMA984mdzALW"
    "6Us4dEumJq0xTHMCbQWmVVH4TIYqhOVrYb8TguQc6B7drbBTIIoDJZve722oPf0+sPrlN2"
    "jbz+fdhpyxSWhiczFElh4ZahWYnrUUqZyFDnRAaZsvJaOF27uMHRO2Be1BygoA/cD3fvxw"
    "N+UJZs2/+9xfYLkSyNtB4M8TSOnEYMeIZtqCvRNJJikfThHAGLmwq8HUJQ5CEC4VjnG+ro"
    "eIH5Tjuurczj5nzdpUBswsrOa0xb4T7ttK4M25qaN2UYzj06TAEl0KRzw+bEU8tYiFKQZ2"
    "hhyBtu2UHnBa9zgs7E1QKO6V5/yo4QtBST8boWxJtp2UCdQzJDYMlbSSwhu4aha2eAX/Vx"
    "cPc3yp7hiTftYifwjFe+iL2RRAkKYiqpDZ7QChjsoiMyHp9g7ZRNyl6rN+PxFXuemcO7qT"
    "J2nYrKFcK3VwHUNtiHTiYZ1NDXLXhXxr8REDTQkbR9Xyl/9cqg649vILiXhbxGlzlOo8uk"
    "z4jjVdoRHSFqINK72ZnWEDuSlK5li9M1EO+d+J8DFUfoDiW+fEnCShZHzYzJbftEA5TU9J"
    "0rNsOrZuxeIR3OLfTdxMz4ruAViVJKn0idfSIWemaWQrVOjmFKyeU6c1n0oAoWvYobAsbo"
    "JcfrzHEZscr+UDY3YlU7D/ehWS0z42uOrsyML/NpkpnxdQC51pnxbWRhdd5KCdF4Z07zYj"
    "NwPUamwh/TOnqaEx7gfbe9OuGiDr8QSQN9fbvZPpW9VCUQ9oY3EN2deFI9D3QS4V8e+r1c"
    "p3WaFYNVG/wX6JgesS6QBi4HI2KqJNovxzstn0ZtED7B9UsTO176Mfvx/3Vr8HE="
)
