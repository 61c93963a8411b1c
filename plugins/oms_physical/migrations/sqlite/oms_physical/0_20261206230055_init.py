from tortoise import BaseDBAsyncClient

RUN_IN_TRANSACTION = True


async def upgrade(db: BaseDBAsyncClient) -> str:
    return """
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
);"""


async def downgrade(db: BaseDBAsyncClient) -> str:
    return """
        """


MODELS_STATE = (
    "eJztmFtv2jAUx78KylMnbRPQqq36FiBtI9GAIOrWrpNlEhOsOk7qOKOo4rvPzpVcYIC6Ca"
    "a+IOdcnOPf/4Q4flNcz0Yk+DqeYd9FlCtXjTeFQheJQcX3uaFA38890sDhhETB/mwRYAsS"
    "EKyGTwLOoCWnnUISIGGyUWAx7HPsUWGlISHS6FkiEFMnN4UUv4QIcM9BfIaYcPz4KcyY2u"
    "gVBeml/wymGBG7UDe25b0jO+ALP7LplF9HgfJuE2B5JHRpHuwv+MyjWTSOy3cQRQxyJKfn"
    "LJTly+qSJacriivNQ+ISV3JsNIUh4SvLnYDcpgBgDEww1kwAlB0AWR6VcEWpQbR6R5bwpd"
    "06uzi7PD0/uxQhUZmZ5WIZ3zoHEydGeAxTWUZ+yGEcETHOoQYc8jCogu3OINNo6EZ0dVES"
    "pBaqUM6zS6TFEsqkU66bUKeGnHXeXxnYoWb0dONG2Y14mnbVSAZPdHyrD4da76qRDJ5oT+"
    "vr99pI2rLhE+2qRlfrS2M6UrbTzoWvgCDq8Jm4bJ1vEOpeHXVv1dFJ6/yTnNsTT1f8/BmJ"
    "px25pJa5dhZkDCNWL179Y7GS8u8U+5uPRwHxaXsLxKfttYilqxYxiK5355zl/YewW83mNg"
    "3dbK7vaOkr8pavlWdRAxB/PZPdWrsm9YP6jtRDRvZCnuTtxTt5mx4s7i15bwReIT5H2Jlx"
    "4DDo1rx81+5qyml/3t+8V4M3D3p/k4MVi0QE+Pa0SrWDKWSLerCFtBLVyYKj4PgaeQO2Tn"
    "/QkTO7QfBCkj7u6IY6eji5U79HjewuEld/YNyk8b4XcIdFEymdB1NTy29LhiQeAHmVfk94"
    "OHbRmvdlIbMkgJ2kfk0Hx/gvLhZoDyhZJI2yQR1Tv9PGpno3LEjUU01NetoFdVLrSXnfmE"
    "3S+Kabtw152XgcGFpZxizOfFRkTTDkHqDeHEB75VMntabUCqrLL0N/L9WLme+g+vE8gock"
    "cspko8o2IvgXYnvpXM79UPqQlZ6GZIoJkYc9YKczl2ri++xPjv4ARh5pTZ9Xzl+kYSL2zn"
    "PIbFDxeG2v9qxmhW9VlQFFpid+Kgc2JQ2S07/r4lxHJckybbzUmt+fwXl2cljTj4KDWD3i"
    "8XeNOu6qPU1ZFtQowpcut+2WLZBCJ1q2LHC5/A1f2tiD"
)
