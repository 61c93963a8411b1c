"""Checks of the settings a process starts with, and what development mode fills in.

:func:`check_settings` refuses a configuration mistake with a one-line ``ValueError`` that
names the ``OMS_*`` variable and says what to do (the CLI prints it as ``error: ...``).
:func:`with_secret_key` gives a development process its key from a file beside the
database; production (``OMS_ENV=production``) must set a strong ``OMS_SECRET_KEY``.
"""

from __future__ import annotations

import collections
import dataclasses
import logging
import math
import secrets
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit, urlunsplit

if TYPE_CHECKING:
    from oms.config import Settings

ENVS = ("development", "production")
LOG_LEVELS = ("debug", "info", "warning", "error", "critical")
LOG_FORMATS = ("text", "json")
TAX_SHIPPING_RULES = ("highest", "pro_rata", "none")
PG_SCHEMES = ("postgres://", "postgresql://", "asyncpg://")
DEV_SECRET_FILE = ".oms-secret-key"
# A production key: at least this long and this many bits by a simple estimate (the
# Shannon entropy of its characters times its length; a random 32-byte token has ~190).
MIN_PRODUCTION_KEY_LENGTH = 32
MIN_PRODUCTION_KEY_BITS = 128
# Any key: at least this long; production keys also have this many distinct characters.
MIN_KEY_LENGTH = 16
MIN_KEY_DISTINCT = 4
# 0 turns these off (or keeps nothing).
_NOT_NEGATIVE = (
    "persisted_query_cache_entries",
    "persisted_query_cache_bytes",
    "catalog_cache_seconds",
    "gzip_min_bytes",
)
_POSITIVE = (
    "db_connect_timeout_seconds",
    "db_command_timeout_seconds",
    "request_header_timeout_seconds",
    "request_body_timeout_seconds",
    "shutdown_timeout_seconds",
    "ws_init_timeout_seconds",
    "max_body_bytes",
    "token_ttl_seconds",
    "job_concurrency",
    "job_batch_size",
    "password_hash_threads",
    "max_image_bytes",
    "max_image_pixels",
)

logger = logging.getLogger("oms")


def key_bits(key: str) -> float:
    """A rough strength estimate: Shannon entropy of the key's characters times its length."""
    if not key:
        return 0.0
    counts = collections.Counter(key)
    per_char = -sum(n / len(key) * math.log2(n / len(key)) for n in counts.values())
    return per_char * len(key)


def weak_key_reason(key: str, *, production: bool) -> str | None:
    """Why ``key`` is too weak to sign tokens with, or None. Development accepts any key of
    16 characters (tests and demos use simple ones) and warns (:func:`startup_notes`)."""
    if len(key) < MIN_KEY_LENGTH:
        return f"must have at least {MIN_KEY_LENGTH} characters"
    if production and (
        len(key) < MIN_PRODUCTION_KEY_LENGTH
        or len(set(key)) < MIN_KEY_DISTINCT
        or key_bits(key) < MIN_PRODUCTION_KEY_BITS
    ):
        return (
            f"is too weak for production: use at least {MIN_PRODUCTION_KEY_LENGTH} random characters, "
            "e.g. python -c 'import secrets; print(secrets.token_urlsafe(48))'"
        )
    return None


def mask_url(url: str) -> str:
    """``url`` with its password replaced by ``***`` (for logs and messages)."""
    try:
        parts = urlsplit(url)
        if parts.password is None:
            return url
        userinfo, _, host = parts.netloc.rpartition("@")
        user = userinfo.split(":", 1)[0]
        return urlunsplit(parts._replace(netloc=f"{user}:***@{host}"))
    except ValueError:
        return "<unreadable URL>"


# OMS_SMTP_URL schemes: (implicit TLS, STARTTLS: required True / when offered None / never False, port).
SMTP_SCHEMES: dict[str, tuple[bool, bool | None, int]] = {
    "smtp": (False, None, 25),
    "smtp+starttls": (False, True, 587),
    "smtps": (True, False, 465),
}


def check_settings(settings: Settings) -> None:
    """Raise ``ValueError("OMS_X: ... what to do")`` for the first mistake found."""
    url = settings.database_url
    if not url.startswith(("sqlite://", *PG_SCHEMES)):
        raise ValueError(
            f"OMS_DATABASE_URL: {mask_url(url)!r} is not a database URL; use sqlite:///path/to/oms.sqlite3 "
            "(sqlite://oms.sqlite3 for a file in the working directory) or postgres://user:password@host:5432/dbname"
        )
    if url.startswith("sqlite://") and not url[len("sqlite://") :]:
        raise ValueError("OMS_DATABASE_URL: the SQLite URL has no file path, e.g. sqlite:///var/lib/oms/oms.sqlite3")
    if url.startswith(PG_SCHEMES):
        try:
            urlsplit(url).port  # noqa: B018 (raises on a malformed port)
        except ValueError as exc:
            raise ValueError(f"OMS_DATABASE_URL: {exc} in {mask_url(url)!r}") from None
    if settings.env not in ENVS:
        raise ValueError(f"OMS_ENV: {settings.env!r} is neither development nor production")
    if settings.log_level.lower() not in LOG_LEVELS:
        raise ValueError(f"OMS_LOG_LEVEL: {settings.log_level!r} is not one of {', '.join(LOG_LEVELS)}")
    if settings.log_format not in LOG_FORMATS:
        raise ValueError(f"OMS_LOG_FORMAT: {settings.log_format!r} is not one of {', '.join(LOG_FORMATS)}")
    for name in _POSITIVE:
        if getattr(settings, name) <= 0:
            raise ValueError(f"OMS_{name.upper()}: must be greater than 0, not {getattr(settings, name)}")
    if settings.low_stock_threshold < 0:
        raise ValueError(f"OMS_LOW_STOCK_THRESHOLD: must be 0 or more, not {settings.low_stock_threshold}")
    for name in _NOT_NEGATIVE:
        if getattr(settings, name) < 0:
            raise ValueError(f"OMS_{name.upper()}: must be 0 or more, not {getattr(settings, name)}")
    for origin in settings.cors_origin_list:
        parts = urlsplit(origin)
        if parts.scheme not in ("http", "https") or not parts.netloc or parts.path or parts.query:
            raise ValueError(
                f"OMS_CORS_ORIGINS: {origin!r} is not an origin; list scheme://host[:port] values, comma-separated"
            )
    if settings.smtp_url:
        smtp = urlsplit(settings.smtp_url)
        if smtp.scheme not in SMTP_SCHEMES or not smtp.hostname:
            raise ValueError(
                f"OMS_SMTP_URL: {mask_url(settings.smtp_url)!r} is not an SMTP URL; use smtp://host:25, "
                "smtp+starttls://user:password@host:587 or smtps://user:password@host:465"
            )
    check_mail_settings(settings)
    check_retention_settings(settings)
    check_tax_settings(settings)
    check_password_reset_settings(settings)
    if settings.public_url and urlsplit(settings.public_url).scheme not in ("http", "https"):
        raise ValueError(f"OMS_PUBLIC_URL: {settings.public_url!r} must start with http:// or https://")
    if settings.is_production and not settings.secret_key:
        raise ValueError(
            "OMS_SECRET_KEY: production mode (OMS_ENV=production) needs an explicit secret key, e.g. "
            "python -c 'import secrets; print(secrets.token_urlsafe(48))'"
        )
    if settings.secret_key:
        reason = weak_key_reason(settings.secret_key, production=settings.is_production)
        if reason:
            raise ValueError(f"OMS_SECRET_KEY: the key {reason}")


def check_tax_settings(settings: Settings) -> None:
    """The tax settings (OMS_TAX_COUNTRY, OMS_TAX_SHIPPING)."""
    if settings.tax_shipping not in TAX_SHIPPING_RULES:
        raise ValueError(f"OMS_TAX_SHIPPING: {settings.tax_shipping!r} is not one of {', '.join(TAX_SHIPPING_RULES)}")
    country = settings.tax_country
    if country and (len(country) != 2 or not country.isascii() or not country.isalpha()):
        raise ValueError(f"OMS_TAX_COUNTRY: {country!r} is not a two-letter ISO 3166 country code, e.g. DE or US")


def check_password_reset_settings(settings: Settings) -> None:
    """OMS_PASSWORD_RESET_URL and OMS_PASSWORD_RESET_TTL_SECONDS."""
    url = settings.password_reset_url
    if url and (urlsplit(url).scheme not in ("http", "https") or "{token}" not in url):
        raise ValueError(
            f"OMS_PASSWORD_RESET_URL: {url!r} must be an http(s) URL containing {{token}}, "
            "e.g. https://shop.example/account/reset?token={token}"
        )
    if settings.password_reset_ttl_seconds <= 0:
        raise ValueError(
            f"OMS_PASSWORD_RESET_TTL_SECONDS: must be greater than 0, not {settings.password_reset_ttl_seconds}"
        )


def check_mail_settings(settings: Settings) -> None:
    """The transactional email settings (OMS_STAFF_EMAIL ... OMS_TIMEZONE)."""
    for name in ("staff_email", "support_email"):
        address = getattr(settings, name)
        if address and ("@" not in address or any(c in address for c in " ,;<>\r\n")):
            raise ValueError(f"OMS_{name.upper()}: {address!r} is not one email address, e.g. orders@shop.example")
    if settings.templates_dir and not Path(settings.templates_dir).is_dir():
        raise ValueError(
            f"OMS_TEMPLATES_DIR: {settings.templates_dir!r} is not a folder (of email/<message>.html files)"
        )
    if settings.store_logo_url and urlsplit(settings.store_logo_url).scheme not in ("http", "https"):
        raise ValueError(f"OMS_STORE_LOGO_URL: {settings.store_logo_url!r} must start with http:// or https://")
    import zoneinfo

    import babel

    try:
        babel.Locale.parse(settings.locale)
    except (ValueError, babel.UnknownLocaleError):
        raise ValueError(f"OMS_LOCALE: {settings.locale!r} is not a known locale, e.g. en_US, de_DE, fr") from None
    try:
        zoneinfo.ZoneInfo(settings.timezone)
    except (ValueError, zoneinfo.ZoneInfoNotFoundError):
        raise ValueError(f"OMS_TIMEZONE: {settings.timezone!r} is not a time zone, e.g. UTC, Europe/Berlin") from None


def dev_secret_path(settings: Settings) -> Path:
    """Where development mode keeps its generated key: beside the SQLite database, or in the
    media folder (oms's data directory) on PostgreSQL."""
    if settings.is_postgres:
        return Path(settings.media_root) / DEV_SECRET_FILE
    return Path(settings.database_url[len("sqlite://") :]).resolve().parent / DEV_SECRET_FILE


def with_secret_key(settings: Settings) -> Settings:
    """``settings`` with a secret key: OMS_SECRET_KEY, else (development only) a key kept in
    :func:`dev_secret_path`, made on first use, so tokens survive a restart."""
    if settings.secret_key:
        return settings
    check_settings(settings)  # production without a key stops here
    path = dev_secret_path(settings)
    try:
        key = path.read_text().strip()
    except FileNotFoundError:
        key = secrets.token_urlsafe(48)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(key)
            path.chmod(0o600)
        except OSError as exc:
            logger.warning("could not keep the development secret key in %s (%s): tokens end at restart", path, exc)
    return dataclasses.replace(settings, secret_key=key)


# Links when OMS_PUBLIC_URL is unset and nothing better is known (``oms serve`` sets it
# from the host and port it serves on).
DEFAULT_PUBLIC_URL = "http://127.0.0.1:8000"


def with_public_url(settings: Settings, *, warn: bool = True) -> Settings:
    """``settings`` with a public URL: OMS_PUBLIC_URL, else :data:`DEFAULT_PUBLIC_URL`
    (said once: such links only work on this machine)."""
    if settings.public_url:
        return settings
    if warn:
        logger.warning("OMS_PUBLIC_URL is not set: links (downloads, labels) point to %s", DEFAULT_PUBLIC_URL)
    return dataclasses.replace(settings, public_url=DEFAULT_PUBLIC_URL)


def startup_notes(settings: Settings, explicit_key: bool) -> list[str]:
    """What a process says once at start about its mode (never the key itself)."""
    if settings.is_production:
        return [
            f"production mode: GraphiQL {'on' if settings.graphiql_enabled else 'off'}, "
            f"introspection {'on' if settings.introspection_enabled else 'off'}"
        ]
    key = (
        "from OMS_SECRET_KEY"
        if explicit_key
        else f"from {dev_secret_path(settings)} (set OMS_SECRET_KEY to choose one)"
    )
    notes = []
    if explicit_key and weak_key_reason(settings.secret_key, production=True):
        notes.append("OMS_SECRET_KEY is weak: production mode would refuse it (use 32+ random characters)")
    return notes + [
        f"development mode (set OMS_ENV=production for a deployment): secret key {key}, "
        f"GraphiQL {'on' if settings.graphiql_enabled else 'off'}, "
        f"introspection {'on' if settings.introspection_enabled else 'off'}"
    ]


# Stripe retries an undelivered event for up to 3 days: a processed-event record must outlive that.
MIN_RETENTION_WEBHOOKS_DAYS = 7


def check_retention_settings(settings: Settings) -> None:
    """The OMS_RETENTION_* settings (oms/retention.py): days are 0 (keep) or positive."""
    for name in ("retention_jobs_days", "retention_dead_days", "retention_webhooks_days"):
        days = getattr(settings, name)
        if days < 0:
            raise ValueError(f"OMS_{name.upper()}: must be 0 (keep forever) or a number of days, not {days}")
    if 0 < settings.retention_webhooks_days < MIN_RETENTION_WEBHOOKS_DAYS:
        raise ValueError(
            f"OMS_RETENTION_WEBHOOKS_DAYS: must be 0 (keep forever) or at least {MIN_RETENTION_WEBHOOKS_DAYS}: "
            "Stripe retries an event for up to 3 days and the stored record is what stops it being handled twice"
        )
    if not 1 <= settings.retention_batch_size <= 10_000:
        raise ValueError(f"OMS_RETENTION_BATCH_SIZE: must be between 1 and 10000, not {settings.retention_batch_size}")
    if settings.retention_every_seconds < 60:
        raise ValueError(f"OMS_RETENTION_EVERY_SECONDS: must be at least 60, not {settings.retention_every_seconds}")
