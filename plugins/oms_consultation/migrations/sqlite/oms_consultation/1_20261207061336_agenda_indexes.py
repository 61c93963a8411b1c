from tortoise import BaseDBAsyncClient

RUN_IN_TRANSACTION = True


async def upgrade(db: BaseDBAsyncClient) -> str:
    return """
        CREATE INDEX "idx_consultatio_starts__dad676" ON "consultation_booking" ("starts_at", "id");
        CREATE INDEX "idx_consultatio_consult_2fc714" ON "consultation_booking" ("consultant_key", "starts_at", "id");"""


async def downgrade(db: BaseDBAsyncClient) -> str:
    return """
        DROP INDEX IF EXISTS "idx_consultatio_consult_2fc714";
        DROP INDEX IF EXISTS "idx_consultatio_starts__dad676";"""


MODELS_STATE = (
    "eJztW21z2jgQ/isaf2kyQxlCXo9+IoRcmBLoJeQ603LjKLYADbZELbmU6+S/30q28RukmD"
    "IZyPGFMat9VqtnpbUklp+Gy23iiPIl52PKhkYN/TQYdgk8ZJtKyMCTSdygBBI/OVrX4kz4"
    "jsSScmY+JRBPQnrYkqAzwI4gILKJsDw6UZoK2WUECSIEfK0hjJKGEPds4iGHMvJOIOFwia"
    "ZUjhAHSKTHZFn1Y3MLOgpGsAGTfdZnnz0qJWHoptm+QtMRPMkRCfFUoImDLWKXUKPbuW7d"
    "3TZDHSp1I6Y2OtCWMbr2nQF1HJcw2Wd8ACoC8SkrIcHR42OitWwTiakjHh+VDTmCj5DKw5"
    "LqnEFnt5/azR50xj3U6Zr3N93PH/qsUe80mu3mIjctzCziEFsByI8J9Ygoox51iUDYI+ih"
    "1/gATkgQ/AscRD2TPovZeCdKaABwmwoY9AxhZus+LOwQZmPohn2nkpTBjk/twIQHStytab"
    "2g+Z3oM6HnC3poXenxAOBnOMBngAE1GLmESPiOHu7aSBIXOpRk3iPjMBilp74IOmTEBkcj"
    "NwCi54LP6DefmJIPCeh5MCO+/gNiymzygwj19asRj84ck1mIkubA464Byl8NcFX6eo57xA"
    "WoiWXQoJkNHgdx6AJB3iqY8aRQYOWBPbedFir3JmNzQIljp5YgNEKTlptyNtGyFpPXWlFN"
    "+yfT4o7vslh5MpMjWIORNmW6lyFhxAMqlXnp+WodMt9xwuUbLc2AuVgloCyBsckAwwBBoN"
    "CBA7HMMM1Ot2feN3umaeRWeoRIrNRQpGiDLAGuCj36oXLhffXo5Pzk4vjs5AJUtJtzyflz"
    "0HVMTADU9HR6xrNuxxIHGjrmMan+IlYbI+wtptVfyCs4nOU1YnF7iXXxDxMWy1CO4Otx9Q"
    "UW/67fNW7qdwfH1UPVIYccHiT6TthS1U2K6JhYMfaLEBuqb4bYSBAzG79vXp3as5MVqD07"
    "WUqtakpTG2eWIgynUW+Q6GqlsgLToLWUat22jOsoixfnO0LuOS/MOXFhD7Qm63PsWryHuX"
    "hLaT9dJamA1nLaT3NpJdr3FaE7iXmD03vzuTu13UuzfAUsKT6XvCCTwAzVdogsRw87SPwL"
    "RPdat837Xv32kzLvCvHN0XTVe03VUtXSWUZ6cJYJytwI+tzq3SD1FX3pdpqaTi7k0NM9xn"
    "q9L4byCfuSm4xPTWwnOYnEkSgVZDiCrBPiBGwf4K0OcHw+zIV46Ykshfn1wWwHIrqZs1mG"
    "VcmLchog9owuYDS+uMi/0JvMdzWrLXUVwyyy6JUTol/v1W6oGzajGL0aU9N3c302v4Krxb"
    "dxShreldXia7P4qgyE4VOfhRdptehGLXuhuMq24ehshW3DUTaBxdsG1ZQOZHgTZvpeod1w"
    "Bvb2NsJHlZUOIEptOduV/BFEEBhsuCZWzEVJyOslo8qOZKL44rTgpigF3G+LtnpbFMSKrB"
    "9mssFAb1neektxtjyieF8jzGnkG1zOMJGx3WXOLJyBOxL2cLG8fOiZ2GtGPY3cR31bor5g"
    "sYfepy5jB9Rz11vtGew+q29PoBdkde5OHLJmXs9g95He6kiHdSDrBDoN3cd5m+OcqEkxC1"
    "WP5IFrnWi3LLSbPtPq6p9ixCYh+xvLpZyqkrx1iE3gNsPuztc+qWqywXhh6VNQvJaj+Jp7"
    "hA7ZRzLL3Q5nOA1rQruRnR2bus/RHIqkcXg9PJ0X4KXWLIwexgwbHdXQqN836ldNY1nO3Q"
    "C312lru5VvVyU4/7ZJ0QxuoM5Du23oyfyErfEUe7a5ZFZbDqbugp88LkPc9cc74ujy3+Ws"
    "3ztcNpSdNzSrNXm8ypenAp0988R1Gelx+CiSDdqhpZ1Kt8XyQeJVszgppCZrmnjV5FbdrA"
    "QzPNSjVv4pb3LTcUFFfmqurliTr0rdTWsOWqks//S9S5kvCVK/uQbl2cmqcKR2+0jiMWHo"
    "aQaNYS03OhCEZH9D+22DfVYb+MyqPXJXmMmhldXQRFmZFI+HZdQbafswu5CeVIh/Jx46SN"
    "fmlbQLh31GBZqOsERC8gk4MOXKI8v3PMhMQRW9QOoX/LkvypoDpKvn8E8GIqhzFwSgNphk"
    "gngSiKWOKCHO0P1fbRpWsX8KtvsgQdihY7KsYH1ZhXpQK54qZY/+bVGsivySDv8vheR/VK"
    "vHx+fVyvHZxenJ+fnpRWW+q8o3vbS9umz9qXZYpeTZ7tfl5vty0tcvJ9VLZfWTRKS+P54t"
    "OJ6F+aXY2SwN2vP666NZ4k9zv3mASPxhb8coXnU7lp5dK+zFUpznd8W/u297/g9WrHVj"
)
