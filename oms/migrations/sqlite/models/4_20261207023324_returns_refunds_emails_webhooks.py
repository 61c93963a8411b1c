from tortoise import BaseDBAsyncClient

RUN_IN_TRANSACTION = True


async def upgrade(db: BaseDBAsyncClient) -> str:
    return """
        CREATE TABLE IF NOT EXISTS "sent_email" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "event_id" BIGINT NOT NULL,
    "order_id" INT NOT NULL,
    "recipient" VARCHAR(254) NOT NULL,
    "template" VARCHAR(100) NOT NULL,
    "subject" VARCHAR(500) NOT NULL,
    "message_id" VARCHAR(255) NOT NULL,
    "status" VARCHAR(16) NOT NULL /* SENDING: SENDING\\nSENT: SENT\\nUNCERTAIN: UNCERTAIN */,
    "resends" INT NOT NULL,
    "created_at" TIMESTAMP NOT NULL,
    "updated_at" TIMESTAMP NOT NULL,
    "sent_at" TIMESTAMP,
    CONSTRAINT "uid_sent_email_event_i_57f383" UNIQUE ("event_id", "recipient", "template")
);
CREATE INDEX IF NOT EXISTS "idx_sent_email_order_i_dc5227" ON "sent_email" ("order_id");
        CREATE TABLE IF NOT EXISTS "webhook_endpoint" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "url" VARCHAR(2000) NOT NULL,
    "description" VARCHAR(500),
    "events" JSON NOT NULL,
    "secret" VARCHAR(200) NOT NULL,
    "active" INT NOT NULL,
    "disabled_reason" TEXT,
    "disabled_at" TIMESTAMP,
    "failing_since" TIMESTAMP,
    "created_by" VARCHAR(320),
    "created_at" TIMESTAMP NOT NULL,
    "updated_at" TIMESTAMP NOT NULL
) /* A URL that receives the events of ``events`` ("*": all), signed with ``secret``. */;
        CREATE TABLE IF NOT EXISTS "refund" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "amount" VARCHAR(40) NOT NULL,
    "currency" VARCHAR(3) NOT NULL,
    "status" VARCHAR(16) NOT NULL /* PENDING: PENDING\\nSUCCEEDED: SUCCEEDED\\nFAILED: FAILED */,
    "reason" TEXT,
    "external_id" VARCHAR(255),
    "actor" VARCHAR(254) NOT NULL,
    "failure_message" TEXT,
    "created_at" TIMESTAMP NOT NULL,
    "updated_at" TIMESTAMP NOT NULL,
    "order_id" INT NOT NULL REFERENCES "order" ("id") ON DELETE RESTRICT,
    "payment_id" INT REFERENCES "payment" ("id") ON DELETE RESTRICT
) /* Money given back for an order: through the gateway of the payment refunded (a */;
CREATE INDEX IF NOT EXISTS "idx_refund_order_i_ab8f81" ON "refund" ("order_id");
CREATE INDEX IF NOT EXISTS "idx_refund_payment_9157c2" ON "refund" ("payment_id");
CREATE INDEX IF NOT EXISTS "idx_refund_externa_8ad06a" ON "refund" ("external_id");
        CREATE TABLE IF NOT EXISTS "return" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "number" VARCHAR(40) NOT NULL UNIQUE,
    "status" VARCHAR(16) NOT NULL /* REQUESTED: REQUESTED\\nAPPROVED: APPROVED\\nREJECTED: REJECTED\\nRECEIVED: RECEIVED\\nREFUNDED: REFUNDED\\nCANCELED: CANCELED */,
    "reason" TEXT,
    "rejection_reason" TEXT,
    "requested_by" VARCHAR(254) NOT NULL,
    "created_at" TIMESTAMP NOT NULL,
    "updated_at" TIMESTAMP NOT NULL,
    "order_id" INT NOT NULL REFERENCES "order" ("id") ON DELETE CASCADE,
    "refund_id" INT REFERENCES "refund" ("id") ON DELETE SET NULL
) /* A return (RMA) of some delivered units of an order: requested by the customer, a */;
CREATE INDEX IF NOT EXISTS "idx_return_order_i_5dfa8b" ON "return" ("order_id", "id");
        CREATE TABLE IF NOT EXISTS "return_line" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "quantity" INT NOT NULL,
    "reason" TEXT,
    "restock" INT NOT NULL,
    "order_line_id" INT NOT NULL REFERENCES "order_line" ("id") ON DELETE CASCADE,
    "rma_id" INT NOT NULL REFERENCES "return" ("id") ON DELETE CASCADE
) /* Units of one order line in a return. */;
CREATE INDEX IF NOT EXISTS "idx_return_line_rma_id_cf490a" ON "return_line" ("rma_id");
CREATE INDEX IF NOT EXISTS "idx_return_line_order_l_26669b" ON "return_line" ("order_line_id");
        CREATE TABLE IF NOT EXISTS "webhook_delivery" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "order_id" INT NOT NULL,
    "event_type" VARCHAR(100) NOT NULL,
    "status" VARCHAR(16) NOT NULL /* PENDING: PENDING\\nSUCCEEDED: SUCCEEDED\\nFAILED: FAILED\\nDEAD: DEAD */,
    "attempts" INT NOT NULL,
    "response_code" INT,
    "duration_ms" INT,
    "last_error" TEXT,
    "next_attempt_at" TIMESTAMP,
    "locked_until" TIMESTAMP,
    "delivered_at" TIMESTAMP,
    "created_at" TIMESTAMP NOT NULL,
    "updated_at" TIMESTAMP NOT NULL,
    "endpoint_id" INT NOT NULL REFERENCES "webhook_endpoint" ("id") ON DELETE CASCADE,
    "event_id" BIGINT NOT NULL REFERENCES "order_event" ("id") ON DELETE CASCADE,
    CONSTRAINT "uid_webhook_del_endpoin_331a36" UNIQUE ("endpoint_id", "event_id")
) /* One timeline event for one endpoint: its status and the outcome of the last attempt. */;
CREATE INDEX IF NOT EXISTS "idx_webhook_del_endpoin_b38f9b" ON "webhook_delivery" ("endpoint_id", "order_id", "status");"""


async def downgrade(db: BaseDBAsyncClient) -> str:
    return """
        DROP TABLE IF EXISTS "return_line";
        DROP TABLE IF EXISTS "webhook_endpoint";
        DROP TABLE IF EXISTS "refund";
        DROP TABLE IF EXISTS "return";
        DROP TABLE IF EXISTS "sent_email";
        DROP TABLE IF EXISTS "webhook_delivery";"""


MODELS_STATE = (
    "eJztXWtz2zbW/isYf3mdd1RP4kuSdTudkW0lq65je2U56W7VoSgKklBToMqLFc9u//viAC"
    "QFXkXqZorGF5sicUDwAQie+/nPwdQaYtM5urOtoWe4B+foPwdUn2J2EL/UQAf6bLa4ACdc"
    "fWDytjOp0cBxbZ33NdJNB7NTQ+wYNpm5xKLsLPVME05aBmtI6HhxyqPkTw9rrjXG7gTb7M"
    "Jvv7PThA7xd+wEP2eP2ohgcxgZLBnCvfl5zX2e8XNt6n7iDeFuA82wTG9KF41nz+7EomFr"
    "Qvnwx5hiW3cxdO/aHgwfRuc/aPBEYqSLJmKIEs0Qj3TPdKXHHWiLcweadnPb1e5bXU07KA"
    "GQYVEAlw3V4U8/hiH8cPzu9MPpx5P3px9ZEz7M8MyHv8StF8AIQg7PTffgL35dd3XRgmO8"
    "AJX/T8B6OdHtdFyD9jFk2ZDjyAY45kEbnFhgu1hPuwB3qn/XTEzH7gQQffs2B8qvzc7l35"
    "udQ9bqDdzSYi+AeDFu/EvH4hrgvcDXMb1xGXyD9pvB92WX7vbRlUeWALmLv2dsDjGylbD2"
    "kazKUs7Bttv6tQs9Tx3nT1OG9PBL81eO9vTZv3J9e/M5aC5NweX17UUMef9rIEArsb7jdN"
    "vaR15uob8/LbDO359mLnO4FMXasDFgoeluEukrdsUlU5yOdpQyhvXQJz0KDvZxB2cPOLyl"
    "5rM/5XmvQftL677b/HIXeReumt0WXDmOvAfB2cP3sWkKO0Hf2t2/I/iJ/n170+LwWo47tv"
    "kdF+26/z6AMemea2nUmmv6UFqdwdkAtcise7PhirMepVSzXpVZDzCSpp2PHjje0aPEnsGJ"
    "gW48znV7qEWuLJbHk24THfBILI4Ln/LTPzrY1DM+cj7n/1X0sodr4K9g1QdnZTStYysLzu"
    "Sl6fE0fkan+pg/Etwb7hSDK0WGkpDMlqGepEbblKF+C6W135U4tUtxynn0SnH7onntmP3N"
    "80BKTt2uJDWziZEC8BU2yFQ3s3h5nybOYgiiI594DwHPwfeqddn+0rw+fHfcOOYAM+aBuF"
    "iG/jSBruHZNqbGc5kVLNPUcBWfFFjDJ5kr+CSOsO6ymw88F6cwRL/c396kYxylii9jYrjo"
    "v8gkztb4o4OfRh41AEg08IjpEuocwW1/Ptj9wgaU8tUEcY1AjPuFDuJqAiW6Zr8O+ynEFB"
    "FdAyVPKRYzSrSc1dyHKd4At5kQDhMwJzH+ZNmYjOk/8DOHus0GpdPUT3XSALRnEGeJgey0"
    "rc9DsSe2uhgC7Lmx+GxfNu8vm1etg7+KiN2OaxmPawrd99BHjbCOvPuWPcS2ZhKa9iUug9"
    "ItdHTN+tlbZXw+UI43CDuHplwbsO7Kkvq89LusEXzbVO2IlzJFsRO+rdlqHSdsskypc/BA"
    "iesga4QsipGvDkKE8p/sIfDE8hx8dBDDqSBZj/Zov/+nxy4S97nfR4TRUDTR6fBH1O+zDz"
    "y2n/BQXJgwWNDgGXnUmZDZDA8Rf3WdI9R80glfGqyZ3CH6AS26+BHhJ2w/I4P1PsbiThix"
    "ORsSeFbdRA93wIsgx0LERRRao7GFHXY4Zsv4STxlii7rN1lNFj6c0GRFdFyxa0rLtSstV7"
    "AgSkArk+yOt3tbaYAXgAavVQlAZRIFaBxQfwcpJ4FEiZQEkoJruOWWQzZOprBdLt1JH8E1"
    "pbv6GfkaMeku+uamS3epy3gD6H6T+6opvvH3N4Jwp3Xf7bQvu3kC9DY598UEpHDvkdnJ5u"
    "AjC0K5t+7VHprHqRpsqksZXfz2yiKrLLIvbJHVh0PG45czZy1I1rJlVVMftFWj1Uo+WEoZ"
    "rJTB1dRmNj13cs+2AjHWBFckX87li3TWUHOklksVnLcUI4cx0D8Qig5Na0xoA9l4zDYebD"
    "d8beGd7jhztjbenCNQa5IhqA8Zv4T6fYeAetIwdTIFdSc7mdCFbvwOPaobBntG5FqPmB6h"
    "pjjgSlKLWp4NulFqPqP5hIBSlHXoQwJNKCbA6rEhPDGqIaKW3aP4+4wAmU6HvD27geVRFx"
    "k6RY5LTJM/AYKhOxYbFHsMy3P7/QY7jj4BGyvrpMfWLoOdPLH3hI6RzjrRRyM0xdMBu7Wr"
    "P2KERyPMNnndZWM18BFqfWcEbNCglmXPaXhst5qyxjAkTp2lf12HYb0g49fCs/7t+Pjk5M"
    "Px25P3H89OP3w4+/g2ZF6Tl/K42Iv2Z2BkI9+qApyt8qx4hZ4VYl9xVpj1KGUNZ31PZjkl"
    "CCA5zf63ZIVpjlJuYJqryU3VYpaDT3I5XXqMaiVV+vJJ3T8lkCyWMe6mHKgyiUJ0mWkiWI"
    "Ib0J5fSl3tFcRFVeex13W5bYIvxQ0gex/0U0tY5Re2rDffNgXvcD2nSN3yWs8WueWXS1ki"
    "9mrLbOTIa3iqE7OMvjwkqJ0t4visiDGCtcpWl5+9rDmiYkzxLuLDfHWUNtGdSRmcE4R1tP"
    "+cnRVa0Gc5C/pMZX14rQqe1WxPQgO9pl0lZgjYr22vuAlqE9anmuKjwhAqZbgTUltqGIIv"
    "zuWFIQRNlNigxAYlNiixQYkNFWNcty82zLA9JVmsYbbrWIysGqkQ4H61SYVAHM3xGMyek6"
    "Y4v7AsE+s042MZI43NzoDRbmtawjO7nYGL29vryAxctONJKR++XLQ6h+9iOViS1iAGHvec"
    "Sdnml4G+oNsh4sEHdm8BV4qL7P1fKS6U4uKFJEuhxEiRLEPtRrZkaYVNtpu1kEmwrsdvLW"
    "0FrNVvEasYkx1VwPdus8R74GdaSk4KKTYiKVVIDD05LsC0nxxnpy47jrPs3Nu4DLghQe1k"
    "/M2HKb20AuWFHYG2r0FZ7NlJhFtsG0i4q8Qdr3zq3Qn4B3etm6v2zWftrvmvLy3hel0C/D"
    "j5OYqd6NG7zu1l6/6enWMXw2N2vtnptpvX1//SPj1cf2pfX7euWIPkyR69vP1yd93qwvXw"
    "kJ1t3ly2OFFw1KOtX+/aHTjlHxxUYk+b6c9TTF1tvdWR7GX3q2TF1RGuCpj1Np/m9pW8Aj"
    "qtTw83V9EFEJzr0cXVxblPzTafe/G/R7/etnkL8b8a864ynW4706njDVzL1VO+abnJemWy"
    "V5mv97REvl6eEYvdUFsJ6QSxwnsJ3qvArNAtiq6NRx57kuFKqzlJ/DJ4byvz1Na2jhXi99"
    "NoVSD/6iaXATHNFacihVTNxOozEa7sKWYgpqjoCrwUC1I1E6vPBLXcFEtYdq28oH0dHB7y"
    "zC1bKZLni69DD69gDUtSq3DOKodzUoyHjmbjJ4LnKcatPFtznFQZ+MsY+Id4OmO7FDWetU"
    "dcSvOQQlo7lfpW/LoM3XZZf3SM7ZlN0rJU5qh7UmhrqPZ57XVAd7ri6+VXocqA1nnWU5iJ"
    "RFTGTCerTLlEpnjF6kxv8q02rOkMItZX2sxjtGqmKz3TYNg0V5voKKma50rPc4WT+ez2q/"
    "w6c89UwoG0USL5DBsDunm4vi5W9ww/4bWLjXNH0xZ0tIfMZqFg2h1nut1LjGzseva67t8d"
    "3kldIfI1v2tidCd6qStIwjC99jqCTuoKEXtE8oRtsu6edCX6ea4rTiPPHBHT3MA792nRU1"
    "3BqlDCiL3Ez2bPNGdCnYyjyrex0uqbsb3NWvcTIIN3xzus68obWNYj62RNvC5EL3UCaeth"
    "d0LoyYq9C0WiJQF4Gg4bFirDwBrbz5D7X6eituv/OQgURSClxMq3ulbYCM1t4mJezjVZh3"
    "Zz3RYJBwzDDuVowFKRf6oeAVzbRT0CDmAC/5wYNr99DS2/7wpZ3N/lWNzfJS3uU+w4bIdJ"
    "QpztuiWR1ALlXbtvsQ3WKhX0GhLUwVluB6GDsJkk8c12BQ3aK//P1f0/98uJRPkTLDdPFf"
    "EiEfxjKdOUTKLqNS83TIXM6ppWqaLJRqsGb1GblLyuqpS5f2F4yZLTAqvMMjHNDNotldKa"
    "yKH6zJlYLshT84nuornuoIHljSfuOWKiOBOcDPbVM60xwkOoJEdBwArkq0C4SgpqG+25lK"
    "zGdi7Cn4/nbQmqmPMfiyrLKn/LTvO3hHNSHFqZZHfb/7ai/DZeYujRKyMY+M3rl1FElZXe"
    "IrinhfQIpzl6hNOUjKy2NfQMVyurr4nT1RDvzS9mK8u6ky3jSiRKzF1dzP3TY1wHcVOigT"
    "K/eDKJEnhSPnoBQJpumpbBcSiPbpRYcRaZIPtOCauBHCFWIGeCHLhYr4KxTKsgzoRY+Put"
    "BrFMqyCOQ8weytVmNjFSGLncnC5RwleZP+e4REoXldNs6znN9jaH5EE5uFOyA7ZvtLvO7e"
    "dO6/7+HEk/evSqdd3+2uK5HcPD9ByQnVb3oXMjsgWKo7hCsNCkbjwboDI7bH7X9zWq5VCN"
    "EqkwoySsoW66HLBxMgWtMpTtzFCWsi1sANevi572a90WBTa6GWYExaXuDRtA95vcVz3xje"
    "+JEYQZa9PttC+7xcIOhQCobSCuTkSM1TmwTopi2QRgUihLnVFT4Szr4Te05tS09KE2tvW1"
    "w6eu/M4+28U+QHuDWCnHlUTERjaotxR3LfZnk2Ebe/LV+aukf48fMpzi3LMIJs727LEXbQ"
    "p49YjW6LDzpfkG/G8ca4qRH42Jhwj0b44cQXHOKBjYDpsTNHhG7gSjIHS/gfS4LL/xG/To"
    "GK6xpojXEG5AA4oYGrb1xCjYeRv/gQ1G3WBHBiZw9nA2eXaIoZvidm/YzYYoSBdd3m9IVX"
    "WqfVWnisEbc7Yo5GuR42pRA6Vmp/XPB8af++rDEmrNkBA0kP5hjzbv7jq3X+FkcASqyl9a"
    "l35DcQTnLlvtr+KcOEovgJJUfa6i5nz3vkh0TtxZWwrOeZ9MsK87ac512aE5C4o6hIrsOj"
    "BHfIyAYV8F+SStmoNV5sDnJ7RBKcNYnK6GxrGtxEqpuJ1s9Osbt6Oyv9Zt1gOM8rK/KrPp"
    "5u17QjAtB2qERln2lGXvRSx7dpijbE1YCyc7q9iqLQpr5HVdI9elsjZtQou9kno2K/4yiu"
    "cyNW2JCMyHQFNqUewnqgFiRCjSfS1rMriyKFER/ac91UVwpBQ7qvSgO9WDqliRbbBbSiW2"
    "W3WM41rGY8pXK6/ulESlSk6VKDm12KtXkdIkOrV3pO0dU72knBYSKDyXS2nAcSSwXUGYqF"
    "kG7kZcmggX1XIRLZr3YxPSb81Ehzi4iY2wSplgfrEGBykyCJxu5Akff/gNijiIWHOQH8AP"
    "g7Wljs5NUrqJLM8dWN/T8rksI+nRHv1mE9fFFAQRaOewB5AbI90Rrh9+dk7ICsNLTyLiNp"
    "DDk3Xi0QgbLiJ+PpgeNS3HRQPszjHr2LCmU+JyTw9M2Yrz8BH6ZtmP2HaQYepkioYehqE6"
    "whvEEwNh9xuaTEpi4+/3H9na7Pd79NDBGJ0zHM/71tQ5Yug5R3PeV//NEWrxPKKgm2bvy3"
    "QGA2K8Cji3sId76F4WFrAWhnQ2Gl8dXtrXROURhWu7yCMKq6OMPTFoX0M74lbyiM70Z/Cw"
    "TEKcnZJCIlkrJcVqPik/jTwqdq+BR0yXUOcIbvvzwe4liO2URt8/N6F/PrQeyvsICapzJP"
    "73aOfh5oaHQvoHPXp1e9M6R/AXgh+bPO6xWREfH519WKezNAfnzA+DTKKi1+NSHszXCqDG"
    "yXYH7Mc9AXbB5pTxF1hQ1dBXYH99A5IuIaZlPOKh5lGXmGUnOU6rSkruwUyX86+LENVBk7"
    "4DntjUHVfDtp2W7T3bYBGlqgPUuzZaDPHQm2HtEZda4VGqjeBeoTiE40IL/DhngR8nF7hy"
    "Hs1Gfz/dCJXz6Guc9SLOoyNCiTNZadpjpIo7rM40i7c7YdV7GQOJKJNHjHuDLRaPP3rCWp"
    "Jo08gzncz81pojN19qSPkGYapYNyYo6AD9YQ2E8eK7C7aIBnIYIyGiXnXTRMLA4CQNLKt3"
    "BYaXpv8LzQl1kO73wX65E+4kxtbhkPj2moc7WD/CFgJ9a0L07vdls4oDUbkwgJFlI+JmWX"
    "S41UYaNVhcoMaagZFu2JbjxEba4ZYZmw1IfNd5pyNiOy43tbCR+8/hYCxsRTIaBW0uyntt"
    "p1G8L5owvUKc81ZEQ17OUHMwvMBl1JQJOuWZkqKqlLa/srxKjLSGPOq+MytJDYv4tK3Cma"
    "bRK/a0ajNeFfZUf55m1NsNLuUzo1KjQoV2fXsUlLtlS9YE/xmpNu6UMYCQcsWG2kuMwxqz"
    "9TjXn9Ghju7Zephh5I+KfUzY30aCNd38LXqUcZU6Ygh6jCH1nxcyu0CHnMHleWDeZDF8vx"
    "34d4DrbCPGNmNstcCrJiW/i4po2ClPKM1OUbZQIqmhK83mUxvLq74EzDGyOlgN4skPzgol"
    "PzjLSX5wlnC+mFpeWm7T3Cz3C6JXmeH+VGW4r1iG+wwxvZiT146Lbm0uv/39w+Vlq8UzOY"
    "WHPfqp2eaJnMT/6qZ2GunE9GysrVB+PYW0Dtv9ro3EQZ5CzcajcvtTlK4O2O/gU+sLA2zV"
    "MriGZUFPp1bQF4LeGo00h20WqYVac+M4Y5QqlrNELKfyjche8/tpJVe+Ea9x1ov4RqjEWi"
    "oHVKUiYDdQIANyHq2draheiaG2mqjozrYMxmrh4Tc8mFjW40GamSHeppFrbwhaa3OpeYEo"
    "4kDNj59Afa+bsHE/+8G2w3M0j0YDy4HA1ghBCiMR7CtCfxNmhw3336M2XmSoF11OdAdRCw"
    "kzud9aOZkog0IVN/atGxTgjShrTZBoaufPsxUZm8NTAuGgfQ2X8Fb8pYLqIKtEIEZJlWRV"
    "FckqS56uiLuHz72mZo0M+Nq8jJFhm6Uc1xfuZjFmi5QiGDt3zl2U2An8L4AZClgnP2PLws"
    "VClMdBh0l+a6O996jv+CEwaIQOv371n37fJzoSRP0+OPi+aUCtn5lOhpBVBtoCswd+ycC9"
    "xbxDhHczJLwcYbAE4iMEa1tK6eLfwvHv4fT9zDNOj/b7InNBv9/gbs8WUI5saxoYjsB3Ze"
    "zp/I7CY/qN4CMhwaZN2FnwjgaEooylz0KjqfWEIa8Nd4YuWY3od8jHGXgB8R8JHxfFeu6K"
    "9VS2f2X733/b/55leNmp9b8aln6VsXa3dn3lQLdLBzrDTUtukA1zSFDD7X0r9ZmUo9BLby"
    "jKkJ+9/uuleFCG/DrPujLkv0wwZuC7VwrVKJGqkaX8I3bnH5GyeDcArBQiuF8Ltyiy0Vd2"
    "Ld8TKAGwkUpZ9UF7q74nV0LN/XyQYuwIrzXyzB1DudVSg0cXMsRLcaa8MlpQ+GpmW0PPcB"
    "FMKJpjW6R5h5wiFjcxWHPKAEQz0xuTlCJaG+wbMrBAkCykyJ9hGx3yPhuRXt40Qn+VOaR6"
    "4b3w0l3E4RaPH/mpAB+wLvToVLcfuREBchIvy6ovBsOeBFKo+LYKsFHwJPhzYuAe9Xt3co"
    "0Svy2+Ef4DiHcmHlurzBC7NENEpiIBb05ERIyuhvqU90XUKe+ztSnvE8qU16wxl5OgV1FP"
    "rpKlKvVW1baj/VR0FFFvGdZ0Btz5SvMeo1UJc6qj0UrOtFJpKd1LRTQEy+uTv4yn3yfPHB"
    "HTzEruJF9u5AnBo1jDpXJwIFuDeOpYTPzzggrQRQTYc0gIqtsGZlOiIwe7rFFCHN78LZi4"
    "ycRkqNyExkxadZ0jdDunCxdAoGN9CrGVSccTYkzQI8Yzh8duDLGrE1PUcoM8UhMym4rcUV"
    "d+t595r2/QzGJLCcRxJsBiIUYb7JXy+4Kf4lnAz48L0Jw/L+mT10iThpX4q8RfJf7WSvxt"
    "32h3ndvPndb9/TmSfkBFsOv211anxcuC+YdpiWOqKTYr8S0b+vqKb8o7oW6zXsQ7IYxGWG"
    "He47RKaK/ORCuhXQnttRTaJe0+SJjrWfQlMbxmVeyjm7wvBWtCuF4Ps4hIXVfEBpb1yDpZ"
    "E6oL0cvefvfW9BiRpERvEI5DE2VaspG9pbhrsT/L8b2Xur0Le60J1BEp29dobQQ0qa+aQL"
    "W6bpbv+vn62eDDUEhHq5lB66WK2odAaQoKUuHeA8TgugNnpE6TDkklaYuoLmVFM48jFh9p"
    "/jxKgblTBeafHvuyEjclzDUTWplEceopHuPyO1pq0SYJFb4p+C52i1VETIlOobtczowZBd"
    "eUNmO2yD2DuqjMmXyP0yXP9EW9KaG+ZlJmHOTE21wlk/w9m/rWVCdmGsO3uJjL6jmwfHDY"
    "bhmTlw1wqjO1nCPNxgaZEf+dhIJKJhRWWMux+oKMXwtv9rfj45OTD8dvT95/PDv98OHs49"
    "twC05eytuLL9qfYTtuyFrb5RxcdoK8vDnISZG315/BnUxG5RXd+yehRFLlLTajov4UEaIa"
    "OlNsJTdDuNOXAFqmqSHOW0n+6HiDP7BRaj1LJDVE+awQymc5KJ8lUfbThJTMmxOlqiHWW8"
    "mbs4eeWPereWLdB55Y92HqrtZNl//s9ujDzWWr0222b85ReBhXoL6MX5WNmfhQqjS3RLE7"
    "hvDtnjAlyk0tG+r9dFhSbmqvcdaLuKlxvUv5KZfIlHNadaZXvNUJBffLqAX9uid5+SriTR"
    "p5KkI/q7NWLn0F5ISAZcjNuKLiCOTUBmsu4wB42Mo5j3URjFoYoGJ5rgEhOH56bYhdDgqw"
    "J83G27gJJLTwgSGLgJ+gO5EwmxuoxxZP1E3kfBaiQ2KLwfDgHRBk+ZB6dK7DWOYTYmKILM"
    "K6bRJxDRJhBMm32QMI5/kGGxOasoWJzkExJ/J6+7PhHAXTcfSl+at227lqdbRvzXa3n1M4"
    "PngIaMAHmFIzXm4ja5F8frqc5VwpaHeloK2ojnDvjJTJqjBlo66iVDUU9rejvto/YX/HVb"
    "qvWk0efdWsSFCV/70sI/3LJEr8T9oknBm7A2aADVN2nDydSpROZYJMgjv0bO5Gqk3LLNgY"
    "lQI2CaxKSfQyKYkow1bzN9QVFAkp5EqhUDWFQuQ9s4xHPNQ86gpXnTKTHadVM13lmVYRrK"
    "9lppXBJ5tN2U/VvzL4vMZZL2LwCfSq5XR0MSqlpstU0ynf1J3poXMCOWTrwZrhBb6NqiX1"
    "uGczUjTIIPaSLw/jELab9SHmERytp3rHycgvepWiN+LrO9tMK78Cy8208iu43EzbRA+da+"
    "RCPQC/BrjIGujbL60R6vfFcb+PDnsH/99jVLppQkFgttag6C9UIu73Hcx4UrffTxppN38L"
    "MNF2IZkhPwG2U8e1oACx7rAf57x3KASAbd6DIzog7hFqi9YTa055HYBGWJCgR0MTL2vh89"
    "eiPjJlo7ORaY3ZPB6xcUDNOPZsmkNYD2zMRDzPiNiOi+AijESoVnqUN1pYmR3PMLDj/Ij0"
    "EZiFddYtHSNMeXlpqFbA4PBr0vkoSaMaEgdme9ijh/0+FEB4gtv7M9vvB5c1URyTXXL0Z7"
    "A3P2fahNeJvnktlt2thUV7doomJ9uw6DevoUXx+G0hkyI0y3Ygfps0KsqDKwF0jKwO2ukd"
    "uMaLLTyJ8y/3tzc5LHiaYWVIDBf9F5nE2RpjcvDTyKOihMzAI6ZLqHME9/u5pDl3E3orQC"
    "jfPhA3BTSi4il0ELcPiG9jmWW/oKjnFlNsh8nbYFIq+7JPcIrcaVkm1mmGETwkisE8YFTb"
    "wjn4bO52YV/c3l5HFvZFO27Zevhy0eocvuOos0bEleTMyFYe5W3K2BpTSOuwpe/a4BjCuI"
    "JVIkqqjBLV0VMm1dMR6absTCeI1VxXea4DM9IgJTVTNqMQparDXhrlFU6Oi/AKrFUmr8Cv"
    "qeCuelt9lK3vNc56lq2vRPBPwtWDrJv2NyWeZ89WQ5Y2f6slfZsMemNykKJ596808hTu+q"
    "LNRtMmKZ3sC+pkoUJwSXWhRFJHxck2UjvAS1UCYb95DdHdSiwNu6ObaiDOVsVKJLvXxb6M"
    "sLYxreuLhv3+9T9x0UyO"
)
