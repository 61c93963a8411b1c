from tortoise import BaseDBAsyncClient

RUN_IN_TRANSACTION = True


async def upgrade(db: BaseDBAsyncClient) -> str:
    return """
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
CREATE INDEX IF NOT EXISTS "idx_digital_dow_fulfill_c49339" ON "digital_download_grant" ("fulfillment_id");
CREATE INDEX IF NOT EXISTS "idx_digital_dow_order_l_991f9e" ON "digital_download_grant" ("order_line_id");"""


async def downgrade(db: BaseDBAsyncClient) -> str:
    return """
        """


MODELS_STATE = (
    "eJztmG1P2zoUx7+KlTdjEkMQuNu0dxWUO3Q3mKC7VxpMwY1PU6uO3dkOpZr63XfsPLVN1k"
    "srNFHEu+T4/M+xf+ckcfwzSBUDYfZO1EQKRdnfmkobfCA/A0lTwIt2h10S0PG4HnYGS/vC"
    "KxhPuKUiYoUkSipN31hNY5dgQIUBNDEwseZjy5V02t4QiObJ0BKrSBmAKAlkwAUQSgRPuQ"
    "VGZJb2QRM1IJanYEgmLRc4zoAywSXsuXxMxZiQy+RxQ9/IG+mieR03xEg6NkNlnXigVUos"
    "Dt5RzXHZhFoUCn4HerpLjHJ5qMXw2TjPP0CLhIkPdiOZwoRSWRIPqUyATIaon1DMoQTbIy"
    "7r18tPrwyuYQTSJ+eJxLwTboc+r4FYgyUjmBKFSW/k7e0OZ7sYVMbw+vb2A64nycAYV65d"
    "QiUuGNCRGKs0MM8tk/xHBpFVCWBIjfSuv6OZSwb3YNztdTDIBE5ZpIClxcHrQGkGOnKAgu"
    "/OezyKBhwEW+gmzlx8b4/sdOxtZ9KeekdXsX4UK5GlsnYeT+1Qycqb562UgASNIF14qzPX"
    "SjIToujBsrvyhdQu+QrmNAwGNBOuIZ06n0BtC6Lo/KIXXXV7URQ0mrVUzDVZYYqVdI2OUz"
    "V+9Ymbwpvw4Ojd0fvDt0fv0cVPs7K8m+WpazC50OM57wUzP04tzT18CWqovrRNrsdDqtvB"
    "VoIltjjpZbYlyVVwS0NNt366/wTelN5HAmRih3h7GK5g+W/n8vhj53LnMHztEip8GeXvrP"
    "NiJPRDDneN1z2Z69At/Z8h3L/29x9AF71+i9ePNflG/mZNyJXoGZIOH0Q6XEE6bJLGjBbf"
    "1zmoNWAv654h74MH8T5YwfugybvaAfmtxRpfvqbw/7+CLciLj9yTIf4o38EWvLHK5EZ4K+"
    "FGeDfq6P0tgQv3Y67BRLQF7AkycXvjdrqLyiWyrJDulRfb18YrMPbOPnevep3PX1z41Jgf"
    "wuPq9LpuJPTW6ZJ15+3SK6UKQv47630k7pZ8uzjveprK2ET7jLVf71vg5kQzqyKpJhFl80"
    "xKc2laqLKGO/yRYBtUeVH5UuWnXGVBja1/x9evdZv+peJPueKxBsd9g1ovKh+hyk9u34cL"
    "ZBdSTIsO3JKyFw/LyqrPnclEa520NIV/bkO0RRvO+ohrPbwN3Qvdgq47KByMWk+15g8YG6"
    "hPlQaeyH9g6omf4cRo+5lWcX59uhhty1DPyo4qrfULQdNJdc7a8hwjCVw/2PwPv3N13Dnp"
    "Br9p6kfAfOGCfSpiPVPIjae5nbFr7T6NRxOqWbTQ425EhWrJUvk2h9IwXbZQSROPyK1lNv"
    "sFJ4xSHA=="
)
