from tortoise import BaseDBAsyncClient

RUN_IN_TRANSACTION = True


async def upgrade(db: BaseDBAsyncClient) -> str:
    return """
        CREATE INDEX IF NOT EXISTS "idx_variant_product_b8f8f9" ON "variant" ("product_id");
        CREATE INDEX IF NOT EXISTS "idx_stock_warehou_50fce5" ON "stock" ("warehouse_id");
        CREATE INDEX IF NOT EXISTS "idx_order_custome_49609a" ON "order" ("customer_id", "id");
        CREATE INDEX IF NOT EXISTS "idx_order_line_order_i_5f79a1" ON "order_line" ("order_id", "position");
        CREATE INDEX IF NOT EXISTS "idx_order_line_warehou_089895" ON "order_line" ("warehouse_id");
        CREATE INDEX IF NOT EXISTS "idx_order_line_variant_ba9d9c" ON "order_line" ("variant_id");
        CREATE INDEX IF NOT EXISTS "idx_payment_order_i_6caf54" ON "payment" ("order_id");
        CREATE INDEX IF NOT EXISTS "idx_fulfillment_fulfill_f804ab" ON "fulfillment_line" ("fulfillment_id");
        CREATE INDEX IF NOT EXISTS "idx_fulfillment_order_l_14aa71" ON "fulfillment_line" ("order_line_id");
        CREATE INDEX IF NOT EXISTS "idx_subscriptio_order_l_524390" ON "subscription_contract" ("order_line_id");
        CREATE INDEX IF NOT EXISTS "idx_subscriptio_custome_c8ac5a" ON "subscription_contract" ("customer_id", "id");
        CREATE INDEX IF NOT EXISTS "idx_subscriptio_order_i_d89e7b" ON "subscription_contract" ("order_id");
        CREATE INDEX IF NOT EXISTS "idx_subscriptio_variant_70964b" ON "subscription_contract" ("variant_id");
        CREATE INDEX IF NOT EXISTS "idx_subscriptio_renewal_f1f6a1" ON "subscription_contract" ("renewal_order_id");
        CREATE INDEX IF NOT EXISTS "idx_subscriptio_contrac_d7ab39" ON "subscription_period" ("contract_id");
        CREATE INDEX IF NOT EXISTS "idx_subscriptio_order_i_803818" ON "subscription_period" ("order_id");
        CREATE INDEX IF NOT EXISTS "idx_digital_dow_fulfill_c49339" ON "digital_download_grant" ("fulfillment_id");
        CREATE INDEX IF NOT EXISTS "idx_digital_dow_order_l_991f9e" ON "digital_download_grant" ("order_line_id");
        CREATE INDEX IF NOT EXISTS "idx_consultatio_order_i_996632" ON "consultation_booking" ("order_id");
        CREATE INDEX IF NOT EXISTS "idx_consultatio_fulfill_b0d805" ON "consultation_booking" ("fulfillment_id");"""


async def downgrade(db: BaseDBAsyncClient) -> str:
    return """
        DROP INDEX IF EXISTS "idx_subscriptio_renewal_f1f6a1";
        DROP INDEX IF EXISTS "idx_subscriptio_variant_70964b";
        DROP INDEX IF EXISTS "idx_subscriptio_order_i_d89e7b";
        DROP INDEX IF EXISTS "idx_subscriptio_custome_c8ac5a";
        DROP INDEX IF EXISTS "idx_subscriptio_order_l_524390";
        DROP INDEX IF EXISTS "idx_subscriptio_order_i_803818";
        DROP INDEX IF EXISTS "idx_subscriptio_contrac_d7ab39";
        DROP INDEX IF EXISTS "idx_fulfillment_order_l_14aa71";
        DROP INDEX IF EXISTS "idx_fulfillment_fulfill_f804ab";
        DROP INDEX IF EXISTS "idx_digital_dow_order_l_991f9e";
        DROP INDEX IF EXISTS "idx_digital_dow_fulfill_c49339";
        DROP INDEX IF EXISTS "idx_order_line_variant_ba9d9c";
        DROP INDEX IF EXISTS "idx_order_line_warehou_089895";
        DROP INDEX IF EXISTS "idx_order_line_order_i_5f79a1";
        DROP INDEX IF EXISTS "idx_variant_product_b8f8f9";
        DROP INDEX IF EXISTS "idx_payment_order_i_6caf54";
        DROP INDEX IF EXISTS "idx_consultatio_fulfill_b0d805";
        DROP INDEX IF EXISTS "idx_consultatio_order_i_996632";
        DROP INDEX IF EXISTS "idx_stock_warehou_50fce5";
        DROP INDEX IF EXISTS "idx_order_custome_49609a";"""


MODELS_STATE = (
    "eJztXVtz2ziW/isovbRTpfEkjp1knK2tkm0lrR7H9thy0j2tLgoiIQljClQTpBVtT/77Au"
    "BF4NUkdTFF4yWRSRyQ/A4Invv5qzWzDGTSwxvbMlzdaZ2Cv1oEzhD7ET/VBi04n69O8AMO"
    "HJli7FwaNKKODcVcY2hSxA4ZiOo2njvYIuwocU2TH7R0NhCTyeqQS/CfLtIca4KcKbLZid"
    "//YIcxMdB3RIM/5w/aGCPTiNwsNvi1xXHNWc7FsR5xPomB/GojTbdMd0ZWg+dLZ2qRcDQm"
    "4vYniCAbOohP79guv31+d/6DBk/k3elqiHeLEo2BxtA1HelxR9rqWEvTrq772l23r2mtEg"
    "DpFuHgslul4ukn/Bb+dvTm+P3xh7fvjj+wIeI2wyPvf3iXXgHjEQp4rvqtH+I8dKA3QmC8"
    "AlX8n4D1fArtdFyD8TFk2S3HkQ1wzIM2OLDCdrWedgHuDH7XTEQmzpQj+vp1DpRfO7fnP3"
    "duD9ioV/ySFnsBvBfjyj915J3jeK/wpaY7KYNvMH4z+D7v0t0+uvKdJUDuo+8Zm0OMrBLW"
    "PpJ1Wco52Pa7v/b5zDNK/zRlSA++dH4VaM+W/pnL66vPwXCJBeeX12cx5P2vgQdaifUdp9"
    "vWPvJ8C/3dcYF1/u44c5nzU1GsdRtxLDToJJG+YGccPEPpaEcpY1gbPulh8GMfd3D2gMY1"
    "MZc+y/Neg96X7l2/8+Um8i5cdPpdfuYo8h4ERw/exdgUTgK+9fo/A/4n+Pf1VVfAa1FnYo"
    "srrsb1/93i9wRdx9KItdCgIa3O4GiAWoTr7tyoyPUopeJ6XbgeYCSxXdw9l3jHD5J4xg+M"
    "oP6wgLahRc6slscjtDHkeCQWx5lP+emft8iEGR85X/L/6s2yh2vgR7Dqg6MymtaRlQVn8t"
    "TsaBY/AgmciEfi1+ZXisGVokNJSGbrUI/SoG3qUL+H2tofSp3apTpFH9xS0r43vHHC/uZl"
    "IKWnbleTmttYTwH4Aul4Bs0sWd6niYsYHtGhT7yHgOfge9E9733pXB68OWofCYCZ8IAdJE"
    "N/nEBXd20bEX1ZZgXLNA1cxW8LrOG3mSv4bRxh6LCLj1wHpQhEv9xdX6VjHKWKL2OsO+C/"
    "wMR0a/JR63/GLtE5kGDkYtPBhB7yy/5va/cLm6OUbyaIWwRi0i+fIG4mUKpr9uuwn0pMEd"
    "U1MPKUEjGjRE+LmvvA4g1ImwnlMAFzEuNPlo3whPwTLQXUPXZTkKR+qpMOoD2DOEsNZIdt"
    "uAjVntjqYgiw50beZ/u8c3feuei2fhRRu6lj6Q9rKt13fI4GYR159y3bQLZmYpL2JS6D0j"
    "Wf6JLNs7fG+HygqDsKJ+dDhTVg3ZUlzXnuT9kg+LZp2vFeyhTDTvi2Zpt1aDjkKaNO655g"
    "hwJrDCyCgG8OApiIP9lDoKnlUnTYiuFUkGxABmQ4/NNlJ7GzHA4BZjQETCExPoLhkH3gkf"
    "2IDO/ElMECRkvgEjrF8zkygHh16SHoPEIslgYbJk8I/gZWU3wE6BHZS6Cz2SfIuxICjGcG"
    "5s8KTXB/w2URQC2AHUD4aDCxEGU/J2wZP3pPmWLL+l02k4UP51myIjau2Dll5dqVlStYEC"
    "WglUl2J9u9rjXAK0CD16oEoDKJAjQOqL+DlNNAokRKA0nBNdxyyyEbJ1PYPq3dSR/BNbW7"
    "5jn52jHtLvrmpmt3qct4A+h+k+dqKL7x9zeC8G33rn/bO+/nKdDblNxXDEiR3iPcyZbgIw"
    "tChbfu1R6aJ6nqjNWlnC7+eOWRVR7ZZ/bIQsNgMn45d9aKZC1fVj3tQVt1WlWKwVLGYGUM"
    "rqc189xla3MmBJCESBSey5WIdHmUEoiaIhChGcRmmc92SNA4kejopIhMxEZlf7VPnlcqqt"
    "lOt4swNUjpgn1VtCmk0zI4JwibKIaenBRa0Cc5C/pEJZ+81AieSiKw5zPcgHC3f9ud8vLv"
    "n1x858DxuJUiFHsnciViGg5R4rASh5U4rMRhJQ7XTCDbvjg8R/YMU8purJRlNkZWj0wDfr"
    "3GZBpgqlGXwexST5aMiVeWZSJIMj6WMdIYd0aMdltsCY/slgNn19eXEQ6c9eI1H+6/nHVv"
    "D97EUpySESEMPCYK4ceUbf4p0Fd0O0Q8+MDuLeBKIc/e/1+sQr5NnclTz1N0plBvz9aZrH"
    "DIdtPdmW7muOLS0iJno36P+DGYVqQihXdbXsydjdK+xzkaQEixER2gRgrW26MiKa9H2Tmv"
    "R3Fh1LEeUErhq2xwQ4LGaa+bj295btNA8lvaMNvAas9OItxl20Ai/jJaOiOk3p3q2rrpXl"
    "30rj5rN53fvnSv+iV1pzj5KYgdGJCb2+vz7t0dO8ZOhr/Z8c5tv9e5vPxN+3R/+al3edm9"
    "YAOSBwfk/PrLzWW3z8+HP9nRztV5VxAFvwak++tN75Yf8n+0arGnzeFyhoijrbc6krPsfp"
    "VUXB3hquBc7wk29y7kFXDb/XR/dRFdAMGxAVmdXR371OkJ3nv/D8jX654Y4f1fD76rEhnb"
    "LpFB3ZFjOTDlm5Zb5UUme5GFXo5LFHoRqZTsglolpBPECu8n8K4Cs0K3KLo2GrvsSYxKqz"
    "lJ/Dx4bytlcWtbR4XA7zRaFQFe3ZkwwqZZkRUppIoT1TkRruwZYiCmmOgKvBQrUsWJ6pwg"
    "lpPi48kush6Mb4IrP8+RsJXq6r76ariogp8nSb0BX88ecaRGrp0Ak9xyaQQhg2o2esRoke"
    "R1rhc1Tqpc12Vc1waazdkuRfSl9oBKWR5SSBtnUt9KxJIObYfNRybInts4rbxBjrknhbaB"
    "Zp+X3kBipyu+WREDqn9Ek7meIkwk8g3mEFdhuUSmZMX6sDf5VuvWbM4Lr1TazGO0itO15j"
    "R3bJrVGB0lVXyuNZ/9ALVyFdViVJUKqtWMqVuupyYHAkZBLl3yS66gsF8YZyXdtWMFv2LL"
    "K1Lvi90DuLq/vCxWMBs9orW7VIlA0y6faA+FzUJpojsukbKXGPlmzTVhuvFmaSpI7BnxI7"
    "Lxuqvpwptn2VScxq45xqa5gQX1aTVTU8GqURL7XuJns2daMHFcxlHVAKi0+uZsb7OMDYJ3"
    "IyZs6sobWdYDm2RNvM68WZoE0tYTpjxxNStrKhRmn0id0lA48MnWEtcEATbYXvI+EZB47R"
    "x+ooCr+Fy+jHVscKxwEFjY2EGig0Oy9cTmpi2SyBUmjMl5XKVyts7w5KWkbf3j6Ojt2/dH"
    "r9+++3By/P79yYfXoc6cPJWnPJ/1PveuYm7Up5O7BIAJ/HOyj/zxDfTZvSnkK32T4yt9k/"
    "SVzhClbIdJQpwddCORNALlXQfesA3WKpWuGBI0IcxpB0lffDNJ4psdxBeMV5F7qgmn8gSX"
    "8f978mMpp4JMolq0PO1SCIXVNf0JRQsg1g3eot4EeV2Vbb25dUVNmMyz9LTAnv6UmmYG45"
    "7U0jqAEjinU8vh+tRiCh2wgBSMLHcydU4BU8WZ4qSzr55pTQAyeNs/r3eer18FylVSUdvo"
    "zKV0NbZziaZ/XsWNoHGR+EP16HumyhshT4pDK5OolnLxaGH64JZRDPzhzasFoTrJbBHc40"
    "J2hOMcO8JxSpVIv/d1WXtNnK6BeG9+MVtZ3p1sHVciUWpudTV3b7rS1l6qSGKqQdO0dIFD"
    "eXSjxEqyyATZD0qoBnKEWIGcCXIQHFsFY5lWQZwJsY0c1ybVIJZpFcRxiNlDOdrcxnqKIJ"
    "dbjSNK+CIrnxyVKMahqlFtvRrV3lb/a5WDO6WuW+9Ku7m9/nzbvbs7BdIfA3LRvex97Yqq"
    "fOHP9Op9t93+/e2VV+fN+xU3CBZi6sbruCm3w+Z3/Wh784KoRolUgkgS1nhX84LAxskUtM"
    "pRtjNHWcq2sAFcv65m2q91WxTY6GaYkc6UujdsAN1v8lzNxDe+J0YQZqJN/7Z33i+WMCZl"
    "Zmyic7SUntHk5CiVorEefoa1IKYFDW1iw7VTgi78yT7bxTbVvUGsVDBGIgshG9RrgvoW+2"
    "eTqQh7spP+KBmz8os1aqVEq/DD7bw4lf/4AwoEqNjWgkeQOFPE7hASCkXfMGgCy3VG1ve0"
    "yJOnSAZkQL7Z2HEQAZiIcZQ9gDwYQCqOB3kEPH5FlDcD2GkDKtIK0HiMdAdgP3JlwN4y6o"
    "ARchaITaxbsxl22DgDIMKY7qJD8M2yH5BNgW5CPAOGi/itUjHGdr0bYdczTGTz+x8O2eIy"
    "hsMBOaAIgVOG4+nQmtFDhh49XIi5hq8OQVdkPPCYR/btn835DVGHiQUGf7j7/nnhEJqVHY"
    "PdjR9mWbpLjcp44Od2kfHAV0cZk2AwvoHmwK1kPMzhkn83yzjPJZJ6dFXkl21MV8U9tNL+"
    "67577xtDSxhpPapT4P0/ILf3V1fCaOv/GJCL66vuKeD/cjNtR1hoO5WMrm/eFXlz4qHj0o"
    "vzLv7eQPZhnc3TxNbMD4NMovxscdMg51cFUONkuwP2w54AuxJzyuShrKgamIOyJzknASa5"
    "SSempT8gQ3OJk9Y7LZ/JcVpVtmwPOD0q5SKPEDUvY3IrMrEJqaMh207LS81OBI5SNQHqXa"
    "cCG8hw56hsYfAoVdNamG6nJLhKT32B6amqPHXTuJ4iNiTLrmGC6bQS22OkSjqsD5u9tzsR"
    "//E8Sb1eQS+s3+lssbji0RPeksSYdp7rZO6P1qg8/ElHyrcpIgBBfQqCCcB/rJHnvPjucF"
    "9EG1AmSCADjJYAmibwHAw06WCpPhV3vHT8v8ACEwqgPwf7y5ny2kyArUMD+/6a+xu+fjxf"
    "CJ9b81Tv4VB2q7BJBoTfwNiyAXayPDrCayPdNfe48GpQOgJQty1KY3d6KzwzNrsh77suJh"
    "1jmzrC1cLu3H8OipDnK5LRKOhzUVnIu8xCft7UzhpJzltRDUXhNY0i/gKXMVMm6FTUbYqp"
    "Utr+ysoqMdIGyqj7LqwkLSzep62KZJpGr8TTunG8LuKpX388TSpdlSbPEUalQYVKgvr+KF"
    "6Yky1Zk8fPSFU8Z0wAXDJZyuZVYpiENWHrcQGX4ACCO7Ye5gj4d8U+JuzfdkI03fwlBoRJ"
    "lRAwBF0mkPrPC2z2tWITCgGXOnA8fpUl8P3e8q/Az7ONGNlMsNWCqJqUCjaqMs1OZUKJO0"
    "XFQomkgaE0m0/Ckld9CZhjZE3wGsRLWp4UsV+fnOSUtDxJBF/MLDctCyM3H3dF9CJzcY9V"
    "Lm7NcnEz1PRiQV47Lg+0uUzcu/vz8273gkd+hT8H5FOnJ7Jtvf/T8m/jYtDzhH2NITZdG2"
    "kVCkWnkDZhu9+1kzjsk2Wjcbn9KUrXBOx38KkNOtvPmLBvGWVBT6dW0BeC3hqPNco2i9SS"
    "krk96mOUqkV9iRb1KjYie83vp5dcxUa8RK4XiY1QlVNUHYqapPNn1qEoksq/Veu5belMlE"
    "DGNzSaWtZDK82MHh/TzrWnB6O1hTS8QJZsYMYWHboANPnGtPSTSY1T0ftKynaVE12tMeDF"
    "171kVi+1NWFW3/D8A2IjvzUoMvwpp5ACYgHPDeyPVkEUymBex41r6wZz/kaUtZZLNI2LV9"
    "mKDingKYFwML6BS3gr8UA20hHb4qsoDjFSpTnURXPI0hdrEs4Q9glPEcTkHuLZApghj3pS"
    "7urzsiBScIGoEMUlHh7I6jcsAJybYMFEHSEu8UBSSwhJ1oKwFQLmpjvBJBllu8G5edgtj4"
    "zgdVHmyAYHYs52ZJZX7VCIW/D4XjGL6JuKKZhDbHwUhwJ8eIzrgMyg/cAroohE9KdKqXg3"
    "w56Ex816gqCIGxaVTxZYRwPiz+6F5WZHVKxa/cg9IeIBFUos3KVYqNp67LCtxx4WwtiYk1"
    "SufBF1jdbDDaoyZJ/J+amcEy9E2Ixw3ZrNuTmwEt9jtCpKuj7+iCSnlUNCOSTq7pB45g6y"
    "UnXhVooGLJ9u5ynB49jAJ/XgQLfm6im1mPrHG7wIZbWIAnvKs0ChrSPGEggo4h1jE+rw5i"
    "/B1E2/Mi7wyuwegusF8WL6hROD0bE5PbWVacdTrE/BA0JzKhwaBnIgNr0Cnjx5YIrnMy9h"
    "IFJwl74Cc4stJa6OMwUWeWq0zl4pfy7+p/csPKdVKNBCPq/Q+DahDSv1V6m/Sv1tlPq7iW"
    "49dVSblfqWDX1z1TcVW9Y0rheJLQtjPyrwPU6rlPb6MFop7Uppb6TSLln3VQ8g1cNmS4j5"
    "jWnWhKqZPWkq9PmJNKHyanNlI1u854/ch+omnLUhUEe0bN+itRHQpLkaAlV126zY9fPts8"
    "GHoZCNVjSmK2aovQ+MptxA6oX3cGIeusOPSJMmA5JK0hYxXcqGZnbSt2V6z6MMmDs1YAYt"
    "70tAK5MoST0lX1J+R0st2iShwjcF39VuUUXFlOgUuk/rmTGn4JraZswXuWdQF9U5k+/x03"
    "2UpU/g+jALpb5hWmYc5MTbXCeXfGrX2hTZL6u7bbYAmNpjt5gU2AFBxY+fKJDnOZXqGIug"
    "b15TuR06pm22gBbQBC7hwt8CLtOab25qah60PhxCnedD8g4WwyGPRF/wqHjhJPfmHiEDUG"
    "vsLESl5inSHyg4GA4/d/vg74hLJybibx/9+19sih/D4auPYlaiTy1bM6A/q4hsh8ugaeiM"
    "oTmVryKegPvlbV4I2q8lDb1x5hLMTchudnUavH0DfuEFA+2l92A8oF3Mx8M8gyt9QiNbDP"
    "ExID7lF2jr0wo9O70qU46v6mqIGJJMnRSv+d8Brzg59ocHfdzFHz5bNFWa8BlEcjSDaX2r"
    "cnIAA4IGRhEcnRQJI2CjclIAk4EED24ZfP3hDURXxWjwb9d5v/e1WzZEw6M6Bd7/A3LTue"
    "trF/fsSPArPQij++tNTwRr+D/qEYbBroPsR1hq25FpGvhufCiA8YdMiD9kIcwATC3Umf3Z"
    "TBDuTm19U+tPqFT9NBTsSgAbJVK2gBRcJ2xlI45QmcYOUSLV1jdRTi0qsAv9oWw4TNYcDQ"
    "yIalJcTIquth7j/Rl2w/ZdKlmN4jqXdU0N5vM9t3xl1hSqjmWJOpYro1IZMTdK1bgaO5tX"
    "AX3jURmRQSZRAkNCYGBrc4I0v8FJGVxTKBW8cXhFDn6IVNkPcpJahSbX+WMcmLZ57fmKRa"
    "pSJlA8rzPPEa+RVIHVMp3icJ05rNLIsj+X+5lQpNLIXiLXU172RIBy2LaklPc5RlVJDK7Z"
    "Br6duDqVtaViFfcF3UicSjmA00jVppCE2I8LKgdulEjBqrI5d5bNqWJqtx9TmyaNbQDhc2"
    "mq/dodiuIbE0Ij6LJ7AFf3l5ettO13A+h+Xc3UTHCjH50C2EajXHe3+e4pvmkSUwbKRVLq"
    "PUfmmlnPlbJy92V3LpcBvUaGgo/cE/kJK3wLZieskq+fzk3gdepjWQJe6sAY29ThmabtIF"
    "heDPRG+UvyEPQcKmeiAixuK5KisPErDEikMr6fRCBlyDo8aUHMgovnxoYpHXIQvwrA32UA"
    "voimohWsihHCBhoV99eImOoTqsJiiUwxuNYMVi6h7A10P50DxQrDe5/Pks6BKJWytSrvwE"
    "4wrV2liL2X63JsrHKy9Jqaflba9p4t58Jmq+j2WNDwqszZO+4oULBoR1C+qyAP1izZ8aw7"
    "yqYLdmzQ/BJURkszukhV03J6Rk+XFOvQ1OSCbU8aWrKhUw2Xa2eF2LdM6o1Vu7/7uXdzw5"
    "Ok/R/Fq9zHzX5FUiC2UNUe2jZO+wJmp5lIJA1Mpt58s2wfL038XR7nkK6BYG+lrTP/rPAC"
    "sxrbekbllnYKqUK9JOquXao2Q5yuCZ0lE3AXxDsX8ATiC6ahTB1evXpWJtMqTqbSrJJpVi"
    "NkanNjnOLxxQTay6z8Koksnu66dLyq7Pu1kPOyXXmD07ZkaWVr9ax31bn9Lb1HajBetqKe"
    "/dbvdlSbHWUMF6W855W4HqVUuU91dnSptjovhdPKXbB1d4GytzbT3hrtJJNidE20msm2vB"
    "p4gh1oatFWN4XMr60+L3rLVQXgWCBsRCsaKWATAQhMPMO8nKynK4uoMrbvUuASB5vsvMGk"
    "FR5dlqzBu7mpeQ3e/tSnwxRQAud0ajmceGxbMxHo5ofbAuiEMXB+fVyTLVcbuHPv+mN2hK"
    "CFmIz33mUXJJYD9CkkE+QV9l1Adg3LNA4Bv+r97eVPlD3DAyLi4njCu/MucFCbFzGR1AEP"
    "aAksdlFe1/cAG202KXutXg2Hp+x5Ji6ilLPLqzRMEBsIqGOxD51qUlHPnbidYwoXrC1j/g"
    "gJGmhn2rwplb+ZZdANxjcQ3JNCRqWTHJvSSdKkxPEqbaeOEDUQ6aNCSB/lIH2URJoHKnCZ"
    "QgBVAuw4XQPx3op5OpSAhGhR4suXJFRJokmTaYhS2ZrBSUJlj46Di77PMdPNq8SARyiVya"
    "TOJhMbPTJFolqdL5lScbnOXBZF+MJNr2IRvxi94nidOa4cWtkfyuY6tGpnAH9uVqtqRTVH"
    "NycfQXVWVJ0VawlyrTsrBn3uU1w4wal2nvOGPz1DVdSV0EYSRaESBRRRKroaQiBPJGX98/"
    "6HpuV4/grufAnGpfXWXn9K7qr5ZmPHQQT83L28AAtewmBViABT3qZQR0YbnF9fferdfun6"
    "Y7AjTvLyBAdiZgikPWRArDEQjb8XXtvD4VA6e2ggB2KTBm0U2T8+lK/8Igrn119uLrt9dj"
    "HLBlfX2t3P198+rgK2U27Ta3HAGynawNewD0FfOKh4k8f7/vlHdhNcJvs/hkHYwHFAVmj8"
    "RNu8rAMwMGUPHXZYZFObiBiQXYY8YgcdsnlcbHhT2GyQNfMqQXinf6KiqSNbL+C+dyGehx"
    "H85T/gD0YmfFozxAREMuHuKsDLq3OvV3hF4YAISkJ4Hix2o8FtMJIy9SD8pwtaEDAqR+Nu"
    "OM8ttYr0t9GMkXLB9o9YA8iIL0v5rnbpu3LTUM22RLupuFY0QNeozcTmvVaqiePWOnis9p"
    "ySThSJqoFAb8tlFdvfy+O92eY0Lwrz0s1202ibl12xlba7gexWBm6ZpoHLeysNeFXxqqZb"
    "v1XxqoYzeKXjJVicqZFFaJQBNsW8LRByrLKYehQK0RRE97BIAbeStcrBK2hOhX1tQEIz2u"
    "nKosaP+vau05XpK70BvG8MOw2sYnGjYKFgro1XLPCtWWXzjGNkzROEt5VmTBF72NSo5sy9"
    "SCZR4VzJViCB8bOkUBQhVGJRrcUij1cVw7kipCq6p858VtE92ftmc6N7VDu/pnE95WVPtv"
    "OzyBjbs2pve4xW7er1YXTKrm7N5jyKpBqno7SK07XmtB/LUYXRUVLF5zrz+bnjcWvGWlVy"
    "fV8wrU2I897HPuUEOKsq4KBEvG3RcObnDBuv2X67oajxcn3rdBPitNKQpdrWmZZzzudp0K"
    "pO6VZXLAa/ZH2ktSLw96I6UpX4+/WK0YfLMa0avbxWC8bV83B1TQ+JCoXWn/xthonrIMB9"
    "rl6ItRzZLWoVAQfyqkCjJTvpx2ODA4pQ3Ie29oQDcjp2iX46tGZUkx/tkD8aPeRT0uErr2"
    "CRt7qAWFSiJhE4iMbmtcUtvBoQTL2CR9Sx5uwGFha/I921bd5RULCdegWWgnvhs5kMdP7b"
    "TxSgp0EZJIsYbEpCke0wYLFJ28Ai4O5fl9iPRL/xxH12BEATP6CsoPOsKHMvVjwSjh5kTJ"
    "SLIj/Dk5cSSP6Po6O3b98fvX777sPJ8fv3Jx9eh1JV8lSeeHXW+8wlrLas2z0dbq7CSXcf"
    "TipeleKaRDBcqWcp6pm/v5TTzaJECtenVTMp8W1NBUJKutsziIuKY9HVVadcyA6ysT5NE9"
    "r8M7kSG1yNUV2D9um9zvv+M3mR+qpn0Q+/RNLEL/7JSaFMhpOcTIaT+Befv1QlEPaHNxDd"
    "rVSV86vxJRH+5e76KlN4DUjiHiOsO+C/wMR0H8WAHHA5GBE/UYBp2ClCgvs8pU8En+Bs3R"
    "rY637Mfvw/6bxshA=="
)
