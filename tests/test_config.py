import dataclasses

import pytest

from oms.config import Settings
from oms.settings_check import dev_secret_path, key_bits, mask_url, with_secret_key

STRONG_KEY = "Zq3v-8Hk_Tn1xWp7Rb4Lm9Cs2Jd6Fg0Ye5Ua"


def test_settings_come_from_oms_variables():
    settings = Settings.from_env({
        "OMS_DATABASE_URL": "postgres://u@h/db",
        "OMS_SECRET_KEY": "s3cret-enough-for-dev",
        "OMS_PAYMENT_TIMEOUT_SECONDS": "60",
        "OMS_SEED_DEMO": "false",
        "OMS_CURRENCY": "EUR",
    })
    assert settings.is_postgres and settings.dialect == "postgres"
    assert settings.secret_key == "s3cret-enough-for-dev"
    assert settings.payment_timeout_seconds == 60
    assert settings.seed_demo is False
    assert settings.currency == "EUR"


def test_the_development_key_is_kept_beside_the_sqlite_database(tmp_path, monkeypatch):
    work = tmp_path / "work"
    data = tmp_path / "data"
    work.mkdir()
    data.mkdir()
    monkeypatch.chdir(work)
    settings = Settings.from_env({"OMS_DATABASE_URL": f"sqlite://{data}/oms.sqlite3"})
    assert settings.secret_key == ""  # reading settings writes nothing
    assert list(work.iterdir()) == [] and list(data.iterdir()) == []
    first = with_secret_key(settings)
    assert len(first.secret_key) >= 32
    assert dev_secret_path(settings) == data / ".oms-secret-key"
    assert (data / ".oms-secret-key").read_text() == first.secret_key
    assert list(work.iterdir()) == []  # not the working directory any more
    assert with_secret_key(settings).secret_key == first.secret_key  # kept across restarts


@pytest.mark.parametrize("name,value", [
    ("OMS_PAYMENT_TIMEOUT_SECONDS", "soon"), ("OMS_SEED_DEMO", "maybe"),
    ("OMS_DATABASE_URL", "oms.sqlite3"), ("OMS_DATABASE_URL", "mysql://u@h/db"),
    ("OMS_DATABASE_URL", "postgres://u@h:port/db"), ("OMS_ENV", "prod"),
    ("OMS_LOG_FORMAT", "xml"), ("OMS_LOG_LEVEL", "loud"), ("OMS_CORS_ORIGINS", "https://a.example/path"),
    ("OMS_DB_COMMAND_TIMEOUT_SECONDS", "0"), ("OMS_PUBLIC_URL", "shop.example"),
])
def test_malformed_values_name_the_variable(name, value):
    with pytest.raises(ValueError, match=name):
        Settings.from_env({name: value, "OMS_SECRET_KEY": STRONG_KEY})


def test_short_keys_are_refused_and_trivial_ones_are_said_weak_in_development():
    from oms.settings_check import startup_notes

    with pytest.raises(ValueError, match="OMS_SECRET_KEY: the key must have at least 16"):
        Settings.from_env({"OMS_SECRET_KEY": "short-key"})
    trivial = Settings.from_env({"OMS_SECRET_KEY": "aaaaaaaaaaaaaaaa"})
    assert any("OMS_SECRET_KEY is weak" in note for note in startup_notes(trivial, explicit_key=True))
    assert not any("weak" in note for note in startup_notes(
        Settings.from_env({"OMS_SECRET_KEY": STRONG_KEY}), explicit_key=True))


@pytest.mark.parametrize("key", ["a" * 40, "ab" * 20, "abcdefghij" * 2, "live-server-secret-" + "k" * 32])
def test_production_refuses_trivial_keys(key):
    with pytest.raises(ValueError, match="too weak for production"):
        Settings.from_env({"OMS_ENV": "production", "OMS_SECRET_KEY": key})


def test_production_needs_an_explicit_strong_key():
    with pytest.raises(ValueError, match="OMS_SECRET_KEY: production mode"):
        Settings.from_env({"OMS_ENV": "production"})
    # Long enough for development, too weak for production.
    weak = "live-server-secret-" + "k" * 32
    assert Settings.from_env({"OMS_SECRET_KEY": weak}).secret_key == weak
    with pytest.raises(ValueError, match="too weak for production"):
        Settings.from_env({"OMS_ENV": "production", "OMS_SECRET_KEY": weak})
    strong = Settings.from_env({"OMS_ENV": "production", "OMS_SECRET_KEY": STRONG_KEY})
    assert strong.is_production and key_bits(STRONG_KEY) >= 128


def test_production_turns_graphiql_and_introspection_off_unless_enabled():
    dev = Settings.from_env({})
    assert dev.graphiql_enabled and dev.introspection_enabled
    prod = Settings.from_env({"OMS_ENV": "production", "OMS_SECRET_KEY": STRONG_KEY})
    assert not prod.graphiql_enabled and not prod.introspection_enabled
    opened = Settings.from_env({
        "OMS_ENV": "production", "OMS_SECRET_KEY": STRONG_KEY, "OMS_GRAPHIQL": "true", "OMS_INTROSPECTION": "on",
    })
    assert opened.graphiql_enabled and opened.introspection_enabled


def test_database_passwords_are_masked():
    assert mask_url("postgres://oms:hunter2@db:5432/oms") == "postgres://oms:***@db:5432/oms"
    assert mask_url("postgres://oms@db/oms") == "postgres://oms@db/oms"


def test_the_app_refuses_a_short_secret():
    from oms.app import create_app

    with pytest.raises(ValueError, match="OMS_SECRET_KEY"):
        create_app(dataclasses.replace(Settings(), secret_key="only-15-chars.."))
    with pytest.raises(ValueError, match="OMS_SECRET_KEY"):
        create_app(dataclasses.replace(Settings(), env="production", secret_key="aaaaaaaaaaaaaaaa" * 3))


def test_a_malformed_smtp_url_is_one_clear_error_at_start():
    import dataclasses

    from oms.settings_check import check_settings

    with pytest.raises(ValueError, match="OMS_SMTP_URL: .* is not an SMTP URL"):
        check_settings(dataclasses.replace(Settings(), smtp_url="mail.example.com:25"))
    check_settings(dataclasses.replace(Settings(), smtp_url="smtps://u:pw@mail.example.com:465"))
