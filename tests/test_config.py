import pytest

from oms.config import Settings


def test_settings_come_from_oms_variables():
    settings = Settings.from_env({
        "OMS_DATABASE_URL": "postgres://u@h/db",
        "OMS_SECRET_KEY": "s3cret",
        "OMS_PAYMENT_TIMEOUT_SECONDS": "60",
        "OMS_SEED_DEMO": "false",
        "OMS_CURRENCY": "EUR",
    })
    assert settings.is_postgres and settings.dialect == "postgres"
    assert settings.secret_key == "s3cret"
    assert settings.payment_timeout_seconds == 60
    assert settings.seed_demo is False
    assert settings.currency == "EUR"


def test_defaults_run_on_sqlite_with_a_generated_secret(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    first = Settings.from_env({})
    assert first.database_url == "sqlite://oms.sqlite3"
    assert first.dialect == "sqlite"
    assert len(first.secret_key) >= 32
    assert Settings.from_env({}).secret_key == first.secret_key  # kept across restarts


@pytest.mark.parametrize("name,value", [("OMS_PAYMENT_TIMEOUT_SECONDS", "soon"), ("OMS_SEED_DEMO", "maybe")])
def test_malformed_values_name_the_variable(name, value):
    with pytest.raises(ValueError, match=name):
        Settings.from_env({name: value, "OMS_SECRET_KEY": "x"})


def test_the_app_refuses_a_short_secret():
    import dataclasses

    from oms.app import create_app

    with pytest.raises(ValueError, match="OMS_SECRET_KEY"):
        create_app(dataclasses.replace(Settings(), secret_key=""))
