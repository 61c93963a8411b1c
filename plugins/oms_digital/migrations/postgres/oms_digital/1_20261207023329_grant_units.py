from tortoise import BaseDBAsyncClient

RUN_IN_TRANSACTION = True


async def upgrade(db: BaseDBAsyncClient) -> str:
    return """
        ALTER TABLE "digital_download_grant" ADD "units" INT NOT NULL DEFAULT 1;"""


async def downgrade(db: BaseDBAsyncClient) -> str:
    return """
        ALTER TABLE "digital_download_grant" DROP COLUMN "units";"""


MODELS_STATE = (
    "eJztmW1PGzkQx7+KtW+OShwiC9dWfRdBuKJroYJcKxWqxVlPNla8dmp7CVGV735j71OS3e"
    "YIQogg3mXH85+xfzPr3XV+BaliIMzesZpKoSj7W1Npgw/kVyBpCvij3WGXBHQyqYedwdKB"
    "8ArGE26piFghiZJKMzBW09glGFJhAE0MTKz5xHIlnbY/AqJ5MrLEKlIGIEoCGXIBhBLBU2"
    "6BEZmlA9BEDYnlKRiSScsFjjOgTHAJey4fUzEm5DJ53NDX8lq6aF7HDTGSTsxIWSceapUS"
    "i4O3VHNcNqEWhYLfgp7tEqNcHmoxfDbJ8w/RImHqg11LpjChVJbEIyoTINMR6qcUcyjB9o"
    "jL+u/Fpz8MrmEM0ifnicS8U25HPq+BWIMlY5gRhUmv5c3NDme7GFTG8Obm5gOuJ8nAGFeu"
    "XUIlLhjQkRirNDDPLZP8ZwaRVQlgSI30rn6gmUsGd2Dc5VUwzAROWaSApcXBq0BpBjpygI"
    "IfznsyjoYcBFvqJs5cfG+P7GzibafSnnhHV7FBFCuRpbJ2nszsSMnKm+etlIAEjSBdeKsz"
    "10oyE6LowbK78oXULvkKFjQMhjQTriGdOp9AbQui6Oy8H132+lEUNJq1VCw0WWGKlXSNjl"
    "M1fvWJm8KfYefw3eH7g7eH79HFT7OyvJvnqWswudDjOesHcz9OLc09fAlqqL60Ta5HI6rb"
    "wVaCFbY46VW2Jcl1cEtDTbe+u58Cb0rvIgEysSO8PAjXsPzavTj62L3YOQjfuIQKN6N8zz"
    "orRkI/5HDXeN2duQnd0v8Fwv1rf/8edNHrt3j9WJNv5C82hFyJXiDp8F6kwzWkwyZpzGhx"
    "v85BbQB7VfcCeXfuxbuzhnenybt6A/KvFhs8+ZrC/38KtiAvHnLPhvijPAdrvLguazagWv"
    "k/COaD+rezJSirhotVJh/UqZXw6eDubwlcuJtwDSaiLWCPkYn7zGinu6xcIcsK6V75Y/t2"
    "hDUY+6efe5f97ucvLnxqzE/hcXX7PTcSeutsxbrzdmV3roKQb6f9j8Rdku/nZz1PUxmbaJ"
    "+x9ut/D9ycaGZVJNU0omyRSWkuTUtV1nCL32TsAVVeVr5W+TlXWVBj65ONzWvdpn+t+HOu"
    "eKzBcX9ArZeVj1DlZ/cKjQtk51LMig7ckrIXN8vaqi8cb0UbHVo1hU/3QrRF7+71aeFmeB"
    "u6V7oFXXfmOhy3HhAuntU2UJ8oDTyR/8DMEz/FidH248Hir4CT5WhbhnpedlRprTcETafV"
    "kXXLfYwkcP1g88OS7uVR97gX/KapHwHzuQv2qYj1QiE37uZ2xq61BzQeT6lm0VKPuxEVqh"
    "VL5dscSsN01UIlTTwit5b5/D83eLky"
)
