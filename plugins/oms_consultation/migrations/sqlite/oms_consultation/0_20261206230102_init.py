from tortoise import BaseDBAsyncClient

RUN_IN_TRANSACTION = True


async def upgrade(db: BaseDBAsyncClient) -> str:
    return """
        CREATE TABLE IF NOT EXISTS "consultation_booking" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "uid" VARCHAR(32) NOT NULL UNIQUE,
    "sku" VARCHAR(64) NOT NULL,
    "consultant" VARCHAR(200) NOT NULL,
    "consultant_key" VARCHAR(200) NOT NULL,
    "consultant_email" VARCHAR(254),
    "timezone" VARCHAR(64) NOT NULL,
    "starts_at" TIMESTAMP NOT NULL,
    "ends_at" TIMESTAMP NOT NULL,
    "unit_from" INT NOT NULL,
    "unit_to" INT NOT NULL,
    "status" VARCHAR(16) NOT NULL /* HELD: HELD\\nCONFIRMED: CONFIRMED\\nCOMPLETED: COMPLETED\\nCANCELED: CANCELED\\nNO_SHOW: NO_SHOW */,
    "meeting_url" VARCHAR(1000),
    "sequence" INT NOT NULL,
    "remind_at" TIMESTAMP NOT NULL,
    "reminded_at" TIMESTAMP,
    "created_at" TIMESTAMP NOT NULL,
    "updated_at" TIMESTAMP NOT NULL,
    "confirmed_at" TIMESTAMP,
    "completed_at" TIMESTAMP,
    "canceled_at" TIMESTAMP,
    "fulfillment_id" INT REFERENCES "fulfillment" ("id") ON DELETE SET NULL,
    "order_id" INT NOT NULL REFERENCES "order" ("id") ON DELETE CASCADE,
    "order_line_id" INT NOT NULL UNIQUE REFERENCES "order_line" ("id") ON DELETE CASCADE
) /* One session: a consultation order line's slot with one consultant. */;
CREATE INDEX IF NOT EXISTS "idx_consultatio_consult_702dc8" ON "consultation_booking" ("consultant_key", "unit_from");
CREATE INDEX IF NOT EXISTS "idx_consultatio_status_9f17a8" ON "consultation_booking" ("status", "remind_at");
CREATE INDEX IF NOT EXISTS "idx_consultatio_order_i_996632" ON "consultation_booking" ("order_id");
CREATE INDEX IF NOT EXISTS "idx_consultatio_fulfill_b0d805" ON "consultation_booking" ("fulfillment_id");
CREATE TABLE IF NOT EXISTS "consultation_slot_claim" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "consultant_key" VARCHAR(200) NOT NULL,
    "unit" INT NOT NULL,
    "booking_id" INT NOT NULL REFERENCES "consultation_booking" ("id") ON DELETE CASCADE,
    CONSTRAINT "uid_consultatio_consult_db9a74" UNIQUE ("consultant_key", "unit")
) /* One 5-minute unit of a consultant's time taken by a booking (see */;
CREATE INDEX IF NOT EXISTS "idx_consultatio_booking_2f3a44" ON "consultation_slot_claim" ("booking_id");"""


async def downgrade(db: BaseDBAsyncClient) -> str:
    return """
        """


MODELS_STATE = (
    "eJztW21z2jgQ/isaf2kywzGEvB79RAi5MCXQS8h1pqXjKLYADbZELbmU6+S/30q28RukmD"
    "IZyPGFMat9VtKz0nollp+Gy23iiPIl52PKhkYN/TQYdgk8ZJtKyMCTSdygBBI/OVrX4kz4"
    "jsSScmY+JRBPQnrYkqAzwI4gILKJsDw6UZoK2WUECSIEfK0hjJKGEPds4iGHMvJOIOFwia"
    "ZUjhAHSKTHZFn1Y3MLOgpmsAGTfdZnnzwqJWHoptm+QtMRPMkRCfFUoImDLWKXUKPbuW7d"
    "3TZDHSp1I6Y2OtCWMbr2nQF1HJcw2Wd8ACoC8SkrIcHR42OitWwTiakjHh+VDTmCj5DKw5"
    "LqnEFntx/bzR50xj3U6Zr3N91P7/usUe80mu3momFamFnEIbYCkB8T6hFRRj3qEoGwR9BD"
    "r/EeBiFB8C9wEPVM+ixm450ooQHAbSpg0jOEma37sLBDmI2hG/adSlIGOz61AxMeKHG3pv"
    "WC5neiz4ReL+ihdaXnA4Cf4QSfAQbUYOQSIuE7erhrI0lc6FCSeY+Mw2SUnvoi6JARGwYa"
    "DQMgei34jH7ziSn5kICeByviy1cQU2aTH0Sor1+MeHbmmMxClDQHHncNUP5iwFClr9e4R1"
    "yAmlgGDZrZ4HEQu874qrqYjM0BJY6d2kbUVla03JSziZa1mLzWimrpPpkWd3yXxcqTmRzB"
    "Poq0KdgH6ZAw4gEdyrz0fLWXmO844RaMtlcw+1glmHYCY5MBhqmDQKGDAcQywzQ73Z553+"
    "yZppHbrREisdtCkSIUdjoMVejZD9UQ/qgenZyfXByfnVyAih7mXHL+HHQdExMANT2dnvGs"
    "27HEgYb2W0yqv4jVxgh7i2n1F/IKA87yGrG4vcS6+IcJC34oR/D1uPoCi//U7xo39buD4+"
    "qh6pBDHA6CdSdsqeomRXRMrBj7RYgN1TdDbCSImY3fGa9O7dnJCtSenSylVjWlqY1jThGG"
    "06g3SHS1UlmBadBaSrVuW8Z1FN+L8x0h95wX5py4kMesyfocuxbvYSzeUtpPVwkqoLWc9t"
    "NcWIlytyJ0JzFvcHlvPnZDOuhJoZLAHMtXwJLic8kLMgnMUG2HyHL0sIPEv0B0r3XbvO/V"
    "bz8q864Q3xxNV73XVC1VLZ1lpAdnGafMjaBPrd4NUl/R526nqenkQg493WOs1/tsqDFhX3"
    "KT8amJ7SQnkTgSpZwMx4h1XJyA7R281Q6Oz3g5Fy89kaUwvz6Y7YBHN3M2y7AqeVFOA8Se"
    "0QWMxpcP+Rd6k/muZrWlrlOYRRa9ckL0673aDXVLZhSjV2Nq+n6tz+bXaLX4Rk1Jw/uuWn"
    "z1FV93gTB86rPwMqwW3YplLwVXSRuOzlZIG46yASxOG1RT2pHhbZbpe4Wy4Qzs7SXCR5WV"
    "DiBKbTnblfwRRBCYbLgnVoxFScjrBaPKjkSi+PKzYFKUAu7Toq1OiwJfkfXdTDbo6C2LW2"
    "/Jz5ZHFO9ruDmNfIPbGRYytrvMmYUrcEfcHm6Wlw89E3tNr6eRe69vi9cXbPZw9KnL2AH1"
    "3PV2ewa7j+rb4+gFUZ27E4esGdcz2L2nt9rTYS3HOo5OQ/d+3mY/J+pKzELVI3ngWifaLX"
    "Ptps+0uoKnGLFJyP7GcimnqqxuHWITuM2wu/O1T6qabDBeWPoUFKDlKL7mHqFD9oHMcrfD"
    "GU7Dus5uZGfHlu5ztIYiaexeD0/nBXipPQuzhzlDoqMaGvX7Rv2qaSyLuRvg9jptbbfi7a"
    "oE5982KZphGKjz0G4bejE/YWs8xZ5tLlnVloOpu+Anj8sQd/3hjji6hHc56/cOlw1l5w2t"
    "ak0er/LloUBHzzxxXUZ6HD6KRIN2aGmnwm2xeJB41SwOCqnFmiZeNblVNyvBDA/1rNX41G"
    "hyy3FBVX1qra5YV6/K1U1rDlqptP70D5cyXxKkfnMNSqyTld1IZftI4jFh6GkGjWE9NjoQ"
    "hGR/Q/ttg31WG/jMqj1yV5jJqZXV1ERZmRSPh2XUG2n7sLqQXlSIfyceOkjX5pX0EA77jA"
    "o0HWGJhOQTGMCUqxFZvudBZAoq4QVSv+DPx6KsOUC6eg7/KCCCWnVBAGqDSSaIJ4FY6ogS"
    "4gzd/92mYSX6xyDdBwnCDh2TZUXny6rMg1rxVDl69I+JYlXkl3T4fykk/7NaPT4+r1aOzy"
    "5OT87PTy8q86wq3/RSenXZ+ktlWKXk2e7X5eb7ctLXLyfVW2X1k0Skvj+eLTiehfGl2Nks"
    "Ddrz+uujWeKPb795gEj86W7HKF41HUuvrhVysRTn+az4d/O25/8AiGph7A=="
)
