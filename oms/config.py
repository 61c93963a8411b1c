"""Settings, read from ``OMS_*`` environment variables in this one place."""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Mapping
from decimal import Decimal

DEFAULT_DATABASE_URL = "sqlite://oms.sqlite3"


@dataclasses.dataclass(frozen=True)
class Settings:
    database_url: str = DEFAULT_DATABASE_URL
    secret_key: str = ""
    # Base of the links oms hands out (downloads, labels, calendar files). Unset: ``oms
    # serve`` uses the host and port it serves on (see :func:`with_public_url`).
    public_url: str = ""
    currency: str = "USD"
    stripe_api_key: str | None = None
    stripe_webhook_secret: str | None = None
    stripe_api_base: str | None = None
    smtp_url: str | None = None
    payment_timeout_seconds: int = 1800
    media_root: str = "media"
    # Access tokens (JWT) live this long.
    token_ttl_seconds: int = 3600 * 24
    # Protection of the GraphQL endpoint.
    max_body_bytes: int = 1_000_000
    # File uploads through GraphQL (multipart); larger files: ``oms add-file``.
    max_upload_bytes: int = 200_000_000
    max_query_depth: int = 12
    max_query_tokens: int = 4000
    max_query_aliases: int = 30
    # Orders: limits on a cart.
    max_cart_lines: int = 100
    max_line_quantity: int = 10_000
    # Inventory: a stock row with this many available units or fewer is low (staff query
    # lowStock), unless the row has a threshold of its own.
    low_stock_threshold: int = 5
    # Seed a demo catalog and staff account when the database is empty (``oms serve``).
    seed_demo: bool = True
    # Jobs: ``oms serve`` runs a job worker in-process unless run_worker is false (then
    # run ``oms worker``). See oms/jobs/worker.py for what each knob does.
    run_worker: bool = True
    job_batch_size: int = 100
    job_concurrency: int = 4
    job_lease_seconds: int = 30
    job_poll_interval_ms: int = 250
    job_timeout_seconds: int = 600
    debug: bool = False

    # --- Production mode, GraphiQL, introspection (hardening) ---
    # "development" (the default: conveniences on, said once at start) or "production"
    # (refuses a missing or weak OMS_SECRET_KEY; GraphiQL and introspection off unless enabled).
    env: str = "development"
    # None: on in development, off in production.
    graphiql: bool | None = None
    introspection: bool | None = None

    # --- Query cost (hardening: validation linear in the document) ---
    # Fields a document may select once its fragments are expanded (counted without expanding).
    max_query_selections: int = 5000
    # Pairs of fields sharing a response name (and of fragments spread side by side) that
    # validation compares; that comparison is quadratic, so the pairs are bounded.
    max_query_field_pairs: int = 2000
    # Length of a GraphQL document (the query text; variables are not counted). Parsing
    # is linear but runs in Python at ~0.3 ms per KB: a document is refused past this.
    max_query_bytes: int = 100_000
    # Nesting of JSON bodies and variables (lists and objects).
    max_json_depth: int = 64

    # --- Websocket and slow clients (hardening) ---
    max_ws_message_bytes: int = 1_000_000
    ws_init_timeout_seconds: float = 10.0
    # A client must send its request headers within this, and each body chunk within
    # request_body_timeout_seconds of the previous one.
    request_header_timeout_seconds: float = 10.0
    request_body_timeout_seconds: float = 30.0
    # On SIGTERM, running requests get this long before the process stops.
    shutdown_timeout_seconds: float = 10.0

    # --- Sessions and rate limits (hardening) ---
    # Shared state of several processes (rate-limit counters); in-memory when unset.
    redis_url: str | None = None
    # Password hashing and verification run in this many threads, off the event loop.
    password_hash_threads: int = 2
    # Rate limits (oms/ratelimit.py; docs/deploy.md "Sessions and rate limits"). Each rule
    # is "<count>/<period>" in the `limits` notation ("10/15 minutes", "100/hour"), or
    # "off". Sign-in failures (a wrong password at login or changePassword) are counted
    # per email and client address, per email, and per client address; a blocked
    # account is refused even with the right password.
    rate_limits: bool = True
    rate_limit_login_account_address: str = "10/15 minutes"
    rate_limit_login_account: str = "100/hour"
    rate_limit_login_address: str = "100/hour"
    # Accounts created from one client address (every attempt counts).
    rate_limit_register_address: str = "20/hour"
    # Unknown order tokens, access keys, download and invite links from one address.
    rate_limit_token_address: str = "100/10 minutes"
    # requestPasswordReset calls (every one counts) per email address and per client address.
    rate_limit_password_reset_account: str = "5/hour"
    rate_limit_password_reset_address: str = "30/hour"
    # Redis keys start with this (several shops may share one Redis).
    rate_limit_key_prefix: str = "oms-rl"

    # --- Database timeouts (hardening) ---
    db_connect_timeout_seconds: float = 5.0
    # A statement (or a wait for a pooled connection) that takes longer fails.
    db_command_timeout_seconds: float = 15.0

    # --- Logs and browsers (hardening) ---
    log_level: str = "info"
    # "text" (one line per event, for people) or "json" (one object per line, for collectors).
    log_format: str = "text"
    # Exact origins (scheme://host[:port]) allowed by browsers, comma-separated; none by default.
    cors_origins: str = ""

    # --- Email (the guest order link now; every notification with the notifications work) ---
    mail_from: str = "oms <oms@localhost>"
    # Where mail goes when OMS_SMTP_URL is not set (a maildir: one file per message).
    mail_dir: str = "maildir"
    # The storefront's page of one order, "{token}" replaced by the order token; mails to
    # guests link there. Unset: the mail gives the token itself.
    storefront_order_url: str | None = None
    # The storefront's password reset page, "{token}" replaced by the reset token (e.g.
    # https://shop.example/account/reset?token={token}). Unset: the mail gives the token.
    password_reset_url: str | None = None
    # A reset link works this long (and once).
    password_reset_ttl_seconds: int = 3600

    # --- Transactional email (oms/notifications; docs/deploy.md "Email") ---
    # Staff alerts (payments to review, failed refunds and deliveries, mails that died) go
    # here; unset: no staff mail (the timeline still says it).
    staff_email: str | None = None
    # A folder of Jinja2 templates that override the built-in ones by name (email/<message>.html).
    templates_dir: str | None = None
    store_name: str = "oms"
    # The store's postal address, printed at the foot of every mail (lines separated by ", ").
    store_address: str = ""
    store_logo_url: str | None = None
    # Where customers write to; unset: OMS_MAIL_FROM's address.
    support_email: str | None = None
    # Amounts and dates in mails: a Babel locale ("en_US", "de_DE", "fr") and a time zone.
    locale: str = "en_US"
    timezone: str = "UTC"

    # --- Outbound webhooks (oms/webhooks; docs/deploy.md "Webhooks") ---
    # Let webhook endpoints reach loopback, private, link-local and metadata addresses
    # (a receiver on this machine or the LAN; tests). Off: only public addresses.
    webhooks_allow_private: bool = False

    # --- Live order updates (Subscription.orderUpdated; oms/live) ---
    # How changes reach the API processes: "auto" (Redis when OMS_REDIS_URL is set, else
    # PostgreSQL LISTEN/NOTIFY on PostgreSQL, else in-process), "memory", "postgres", "redis".
    live_broker: str = "auto"
    # Live subscriptions one websocket may hold open at once.
    live_max_subscriptions_per_connection: int = 20

    # --- Retention (oms/retention.py; docs/deploy.md "Retention") ---
    # A periodic job deletes, in batches of retention_batch_size rows, what is older than
    # these many days; 0 keeps it forever. Finished (DONE) jobs:
    retention_jobs_days: int = 14
    # Dead jobs and dead outgoing webhook deliveries (the dead letters staff may retry):
    retention_dead_days: int = 90
    # Incoming Stripe webhook event records and succeeded outgoing deliveries (0, or at
    # least 7: Stripe retries an event for up to 3 days and the record is what dedupes it).
    retention_webhooks_days: int = 30
    retention_batch_size: int = 1000
    retention_every_seconds: int = 3600
    # --- Taxes (oms/taxes; README "Taxes") ---
    # Prices are entered including tax (EU VAT style: the tax is part of the price) or
    # excluding it (US style: tax is added on top at checkout).
    prices_include_tax: bool = False
    # Where tax is due when an order has neither a shipping nor a billing address
    # (ISO 3166-1 alpha-2 country, optional region); empty: such orders are not taxed.
    tax_country: str = ""
    tax_region: str = ""
    # How shipping is taxed: "highest" (at the highest rate of the shipped lines),
    # "pro_rata" (split between the shipped lines' rates by their amounts) or "none".
    tax_shipping: str = "highest"
    # --- Product images (oms/catalog/images.py; README "Edit the catalog") ---
    # Stored under OMS_MEDIA_ROOT/images, served at /media/images/. Largest image accepted
    # (upload or URL), and its largest width x height in pixels (decompression bombs).
    max_image_bytes: int = 20_000_000
    max_image_pixels: int = 40_000_000
    # Let an image URL reach loopback, private and link-local addresses (tests, a LAN
    # server). Off: only public addresses, like webhooks.
    image_fetch_allow_private: bool = False
    # --- Storefront clients (oms/graphql/persisted.py, httpcache.py; README "Storefront") ---
    # Automatic persisted queries (Apollo/urql): documents kept per process, an LRU bounded
    # by count and by bytes.
    persisted_queries: bool = True
    persisted_query_cache_entries: int = 1000
    persisted_query_cache_bytes: int = 5_000_000
    # GET queries of the public catalog (products, product, productTypes) by anonymous
    # viewers get `Cache-Control: public, max-age=<this>` and an ETag; 0: off.
    catalog_cache_seconds: int = 0
    # GraphQL HTTP responses at least this long are gzip-compressed when the client
    # accepts it; 0: off.
    gzip_min_bytes: int = 1000

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        """Build settings from ``OMS_*`` variables; unknown ones are ignored."""
        env = os.environ if environ is None else environ
        values: dict[str, object] = {}
        for field in dataclasses.fields(cls):
            raw = env.get(f"OMS_{field.name.upper()}")
            if raw is None or raw == "":
                continue
            values[field.name] = _parse(field.type, raw, field.name)
        settings = cls(**values)  # type: ignore[arg-type]
        currency = settings.currency.strip().upper()
        if len(currency) != 3 or not currency.isalpha():
            raise ValueError(f"OMS_CURRENCY: {settings.currency!r} is not an ISO 4217 code")
        settings = dataclasses.replace(settings, currency=currency)
        # Imported here: oms.validation imports this module.
        from oms.settings_check import check_settings

        check_settings(settings)
        return settings

    @property
    def is_postgres(self) -> bool:
        return self.database_url.startswith(("postgres://", "postgresql://", "asyncpg://"))

    @property
    def dialect(self) -> str:
        return "postgres" if self.is_postgres else "sqlite"

    @property
    def is_production(self) -> bool:
        return self.env == "production"

    @property
    def graphiql_enabled(self) -> bool:
        return self.graphiql if self.graphiql is not None else not self.is_production

    @property
    def introspection_enabled(self) -> bool:
        return self.introspection if self.introspection is not None else not self.is_production

    @property
    def cors_origin_list(self) -> list[str]:
        return [origin.strip().rstrip("/") for origin in self.cors_origins.split(",") if origin.strip()]

    @property
    def stripe_enabled(self) -> bool:
        return bool(self.stripe_api_key)


def _parse(type_name: object, raw: str, name: str) -> object:
    type_text = str(type_name)
    try:
        if type_text.startswith("int"):
            return int(raw)
        if type_text.startswith("float"):
            return float(raw)
        if type_text.startswith("bool"):
            if raw.lower() in ("1", "true", "yes", "on"):
                return True
            if raw.lower() in ("0", "false", "no", "off"):
                return False
            raise ValueError(raw)
        if type_text.startswith("Decimal"):
            return Decimal(raw)
    except ValueError as exc:
        raise ValueError(f"OMS_{name.upper()}: cannot read {raw!r} as {type_text}") from exc
    return raw
