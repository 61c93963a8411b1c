"""Every oms hook: the plugin author's contract.

A plugin is a module or object with functions marked ``@oms.hookimpl`` whose names match
the specs below; it registers under the ``oms`` entry-point group of its distribution::

    [project.entry-points.oms]
    tickets = "oms_tickets.plugin"

Any hook may be ``async def``: the host awaits what an implementation returns when it is
awaitable. A plugin implements only the hooks it needs and may accept fewer parameters
than the spec lists.

Hooks marked *owner only* are called on the one plugin that declared the product type in
question, not on every plugin.

Hooks with a ``plugins`` parameter receive the :class:`oms.plugins.PluginHost`: a hookimpl
that asks for it reads its own settings with ``plugins.settings_for(prefix)`` (see
``oms_settings``). The host passes it itself; code calling a hook goes through the host's
``call_all`` / ``call_owner`` / ``collect``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pluggy

if TYPE_CHECKING:
    from collections.abc import Mapping

    from starlette.routing import BaseRoute

    from oms.catalog.models import Variant
    from oms.config import Settings
    from oms.errors import FieldError, PluginErrorCode
    from oms.orders.models import Order, OrderEvent, OrderLine
    from oms.payments.gateway import Gateway
    from oms.plugin_types import (
        Carrier,
        Cart,
        EmailContent,
        PeriodicJob,
        PluginCommand,
        ProductType,
        SettingsDeclaration,
        ShippingMethodOffer,
        TaxRequest,
        TaxResult,
    )
    from oms.plugins import PluginHost

hookspec = pluggy.HookspecMarker("oms")
hookimpl = pluggy.HookimplMarker("oms")


# ---------------------------------------------------------------------------
# Start-up: what a plugin brings
# ---------------------------------------------------------------------------


@hookspec
def oms_settings() -> SettingsDeclaration | None:
    """Declare the settings this plugin reads from the environment.

    Called once when the plugin host starts (``oms serve``, ``oms worker``, every ``oms``
    command, ``create_app``), before any other hook. Each
    :class:`oms.plugin_types.PluginSetting` is read from ``OMS_<PREFIX>_<NAME>``, parsed
    by its ``type`` and checked then: a variable that is required and missing, or does
    not parse, stops the start with a one-line
    :class:`oms.plugins.PluginConfigError` naming the variable and what it expects. The
    values are then fixed for the life of the process.

    :return: a :class:`oms.plugin_types.SettingsDeclaration` (``prefix`` and
        ``settings``), or ``None``. Each plugin declares its own prefix; a prefix declared
        by two plugins is a start-up error naming both. The values are read with
        ``plugins.settings_for(prefix)``: a mapping of setting name to parsed value.
    """


@hookspec
def oms_product_types() -> list[ProductType]:
    """Declare the product types this plugin owns and delivers.

    Called once when the plugin host starts.

    :return: a list of :class:`oms.plugin_types.ProductType`. Results of all plugins are
        combined; a type declared by two plugins is a start-up error naming both.
    """


@hookspec
def oms_models() -> list[str]:
    """Name the modules holding this plugin's Tortoise models (e.g. its detail rows).

    Called once when the ORM is configured; the models join the ``models`` app, so they
    may reference core models (``"models.Order"``); their tables come from the plugin's own
    migrations (``oms_migrations``).

    :return: a list of dotted module paths. Results of all plugins are combined.
    """


@hookspec
def oms_routes(settings: Settings, plugins: PluginHost) -> list[BaseRoute]:
    """Add HTTP routes (a download endpoint, a carrier callback...).

    Called once when the app is created.

    :param settings: the running :class:`oms.config.Settings`.
    :param plugins: the :class:`oms.plugins.PluginHost` (``plugins.settings_for(prefix)``).
    :return: a list of Starlette routes. Results of all plugins are combined.
    """


@hookspec
def oms_graphql_types() -> list[type]:
    """Contribute Strawberry types that are members of the ``FulfillmentDetails`` union.

    Called once when the schema is built. This is the only hook that deals in GraphQL
    types: a plugin describes how its delivery detail looks to API clients.

    :return: a list of Strawberry object types. Each has a ``from_fulfillments``
        classmethod or async classmethod ``(fulfillments: list) -> list[instance | None]``
        (one answer per fulfillment, in order; called once per request with every
        fulfillment still undescribed, so one query serves a page of orders), or the
        per-row ``from_fulfillment(fulfillment) -> instance | None`` (one call per
        fulfillment). Results of all plugins are combined.
    """


@hookspec
def oms_graphql_fields() -> Mapping[str, list[type]]:
    """Add fields to the root types (a plugin's own queries and mutations:
    ``createShipment``, ``availableSlots``...) and to the core types ``Me``, ``Order``,
    ``OrderLine``, ``Product`` and ``Variant`` (seats left on a variant, bookings of an
    order).

    Called once when the schema is built.

    :return: a mapping ``{"Query": [...], "Mutation": [...], "Subscription": [...], "Me": [...],
        "Order": [...], "OrderLine": [...], "Product": [...], "Variant": [...]}`` of Strawberry
        object types (``Subscription`` fields are async generators)
        whose fields join that type. On a core type a resolver's ``self`` is the core
        object: ``Me`` has ``self.viewer`` (an :class:`oms.accounts.permissions.Viewer`),
        the others ``self.model`` (the Tortoise row). Batch with
        ``info.context.loaders.batched(load)`` (one DataLoader per request per ``load``
        function). Resolvers get the usual ``info``:
        ``info.context.viewer`` (who asks), ``info.context.plugins``, ``.settings``. Mutations
        return a payload with ``userErrors`` (see ``oms.graphql.common``). A field name
        already taken, or another key, is a start-up error. Results of all plugins are
        combined.
    """


@hookspec
def oms_cli_commands() -> list[PluginCommand]:
    """Add sub-commands to the ``oms`` command line (``oms add-file SKU PATH``).

    Called when ``oms`` starts.

    :return: a list of :class:`oms.plugin_types.PluginCommand`; names must be unique and
        must not shadow a built-in command. Results of all plugins are combined.
    """


@hookspec
def oms_periodic_jobs(settings: Settings, plugins: PluginHost) -> list[PeriodicJob]:
    """Declare jobs to run on a schedule (renewals, reminders, clean-ups).

    Called once when a worker starts.

    :param settings: the running :class:`oms.config.Settings`.
    :param plugins: the :class:`oms.plugins.PluginHost` (to call other hooks).

    :return: a list of :class:`oms.plugin_types.PeriodicJob`. Results are combined; names
        must be unique across plugins.
    """


@hookspec
def oms_job_handlers(settings: Settings, plugins: PluginHost, gateway: Gateway | None) -> Mapping[str, Any]:
    """Handle outbox job kinds this plugin enqueues itself.

    Called once when a worker starts.

    :param settings: the running :class:`oms.config.Settings`.
    :param plugins: the :class:`oms.plugins.PluginHost`.
    :param gateway: the worker's :class:`oms.payments.gateway.Gateway`, or None (then open
        one for the call with ``oms.payments.gateway.gateway_for(settings)`` and close it).

    :return: a mapping of job ``kind`` to a callable ``(payload: dict) -> None`` (may be
        async). Results are merged; a kind claimed twice is a start-up error.
    """


@hookspec
def oms_dead_job_handlers(settings: Settings, plugins: PluginHost) -> Mapping[str, Any]:
    """Be told when a job kind this plugin handles gives up for good (DEAD after its
    retries), e.g. to put the failure on an order's timeline.

    Called once when a worker starts.

    :return: a mapping of job ``kind`` to a callable ``(payload: dict, last_error: str) ->
        None`` (may be async). Results are merged; a kind claimed twice is a start-up error.
    """


@hookspec
def oms_permissions() -> list[str]:
    """Declare this plugin's staff permissions, e.g. ``["TICKETS_CHECK_IN"]``.

    Called at start-up. Names are upper snake case and begin with the plugin's namespace
    and an underscore (``TICKETS_``); a name the core or another plugin declares is a
    start-up error naming both. ``oms create-staff --permission TICKETS_CHECK_IN`` grants
    one; a resolver checks it with ``info.context.require_permission("TICKETS_CHECK_IN")``
    (a superuser holds every permission).

    :return: a list of permission names. Results of all plugins are combined.
    """


@hookspec
def oms_error_codes() -> list[PluginErrorCode]:
    """Declare this plugin's error codes, e.g. ``[PluginErrorCode("TICKETS_SOLD_OUT")]``.

    Called when the schema is built: the GraphQL ``ErrorCode`` enum holds the core's codes
    and then every plugin's. The plugin raises ``DomainError.of(SOLD_OUT, "...")`` and the
    client reads ``userErrors { code }`` (or ``extensions.code``) as ``TICKETS_SOLD_OUT``.
    Names follow the rules of ``oms_permissions``; a clash is a start-up error.

    :return: a list of :class:`oms.errors.PluginErrorCode`. Results of all plugins are
        combined.
    """


@hookspec
def oms_migrations() -> str | None:
    """Name the package whose ``migrations`` folder holds this plugin's migrations.

    Every plugin that declares models (``oms_models``) must implement it: ``oms migrate``
    applies the core's history, then each plugin's (a plugin whose models reference another
    plugin's comes after it), each recorded under its own key (the package name) in the
    ``aerich`` table; ``oms serve`` and ``oms worker`` refuse to start while a history is
    behind. Write the files with ``python -m oms.migrate make NAME --plugin <name>``; they
    live in ``<package>/migrations/{sqlite,postgres}/<package>/`` and must ship as package
    data. See docs/writing_plugins.md.

    :return: a top-level package name, e.g. ``"oms_tickets"``; None for no migrations.
    """


# ---------------------------------------------------------------------------
# Catalog and cart: validation and prices
# ---------------------------------------------------------------------------


@hookspec(firstresult=True)
def oms_validate_variant(
    product_type: str, sku: str, attributes: dict[str, Any], plugins: PluginHost
) -> list[FieldError] | None:
    """Check a variant's ``attributes`` beyond its JSON schema. *Owner only.*

    Called by ``createProduct`` after the attributes passed the type's
    ``attributes_schema``.

    :param product_type: the type's name.
    :param sku: the variant's sku.
    :param attributes: the attributes as given (already schema-valid).
    :param plugins: the :class:`oms.plugins.PluginHost` (``plugins.settings_for(prefix)``).
    :return: a list of :class:`oms.errors.FieldError` (field paths relative to the
        attributes), or ``None`` / ``[]`` when they are fine.
    """


@hookspec(firstresult=True)
def oms_validate_line(
    product_type: str, variant: Variant, quantity: int, options: dict[str, Any] | None, plugins: PluginHost
) -> list[FieldError] | None:
    """Check a cart line beyond the type's ``options_schema``. *Owner only.*

    Called by ``priceCart`` and ``placeOrder`` for each line after its options passed the
    schema, before anything is written (e.g. a slot must be in the future).

    :param product_type: the line's type.
    :param variant: the :class:`oms.catalog.models.Variant` being bought.
    :param quantity: units requested (already checked to be positive).
    :param options: the line's options (schema-valid), or ``None``.
    :param plugins: the :class:`oms.plugins.PluginHost` (``plugins.settings_for(prefix)``).
    :return: a list of :class:`oms.errors.FieldError` with paths relative to the line
        (``["options", "slot"]``, ``["quantity"]``; the host prefixes ``["lines", i]``), or
        ``None`` / ``[]`` when the line is fine.
    """


@hookspec
def oms_shipping_methods(cart: Cart, plugins: PluginHost) -> list[ShippingMethodOffer]:
    """Offer ways to ship a cart that requires shipping.

    Called by ``priceCart`` and ``placeOrder`` only when some line's type requires
    shipping.

    :param cart: the priced :class:`oms.plugin_types.Cart`.
    :param plugins: the :class:`oms.plugins.PluginHost` (``plugins.settings_for(prefix)``).
    :return: a list of :class:`oms.plugin_types.ShippingMethodOffer` priced for this cart
        (an empty list when the plugin cannot ship it). Results of all plugins are
        combined; of two offers with one code, the first in call order wins (pluggy's
        order: the plugin registered last first; ``tryfirst``/``trylast`` move a plugin).
    """


@hookspec(firstresult=True)
def oms_calculate_taxes(request: TaxRequest, plugins: PluginHost) -> TaxResult | None:
    """Compute a cart's taxes instead of the built-in table of rates (an external tax
    service: Avalara, TaxJar, Stripe Tax...).

    Called by ``priceCart`` and ``placeOrder`` once per cart, after lines, shipping and
    discounts are priced. The first plugin answering something other than ``None`` wins;
    when every plugin answers ``None`` (or none implements it) the built-in table of
    ``createTaxRate`` rates is used. An async hookimpl counts as an answer: return
    ``None`` synchronously to defer to the table.

    :param request: the :class:`oms.plugin_types.TaxRequest`: the lines' amounts (after
        discounts), the shipping, the tax address's country and region, and whether the
        store's prices include tax.
    :param plugins: the :class:`oms.plugins.PluginHost` (``plugins.settings_for(prefix)``).
    :return: a :class:`oms.plugin_types.TaxResult` (one :class:`~oms.plugin_types.TaxCharge`
        per taxed line, by ``TaxableLine.index``, and the shipping's charges), or ``None``.
        Amounts are in the request's currency, rounded to the cent; they are stored on the
        order as given. Raise :class:`oms.errors.DomainError` to refuse the cart (the
        errors are shown with the quote's).
    """


@hookspec
def oms_shipping_carriers(plugins: PluginHost) -> list[Carrier]:
    """Offer carriers that ship parcels: buy a label and a tracking number from a carrier's
    API, or take the number staff typed (the built-in ``manual`` carrier).

    Called by the physical plugin when staff create a shipment (``createShipment`` with a
    ``carrier`` code).

    :param plugins: the :class:`oms.plugins.PluginHost` (``plugins.settings_for(prefix)``).
    :return: a list of :class:`oms.plugin_types.Carrier`. Results of all plugins are
        combined; of two carriers with one code, the first in call order wins (pluggy's
        order: the plugin registered last first), so a plugin can replace a built-in one.
    """


# ---------------------------------------------------------------------------
# Delivery and its reversal
# ---------------------------------------------------------------------------


@hookspec(firstresult=True)
def oms_hold(order: Order, lines: list[OrderLine], plugins: PluginHost) -> None:
    """Hold what the lines need while the order awaits payment (a time slot), like stock
    is reserved. *Owner only.*

    Called by ``placeOrder`` inside the transaction that writes the order, after its lines
    (they have ids). Released through ``oms_reverse`` when the order is canceled or
    expires. Enforce exclusivity in the database (a unique constraint), not only in
    Python: concurrent orders run this at the same time.

    :param order: the :class:`oms.orders.models.Order` being written.
    :param lines: its :class:`oms.orders.models.OrderLine` rows of this plugin's type.
    :param plugins: the :class:`oms.plugins.PluginHost` (``plugins.settings_for(prefix)``).
    :return: ``None``. Raise :class:`oms.errors.DomainError` (e.g. ``SLOT_UNAVAILABLE``
        with a field path like ``["lines", 0, "options", "slot"]``) to refuse the order:
        nothing of it is written.
    """


@hookspec(firstresult=True)
def oms_deliver(order: Order, lines: list[OrderLine], plugins: PluginHost) -> None:
    """Deliver the paid lines of one product type. *Owner only.*

    Called by the delivery job after payment, once per product type in the order. It may
    run more than once for the same order and type (a retry after a crash), so it must be
    idempotent: look for the delivery you already made before making another.

    :param order: the paid :class:`oms.orders.models.Order`.
    :param lines: its :class:`oms.orders.models.OrderLine` rows of this plugin's type.
    :param plugins: the :class:`oms.plugins.PluginHost` (``plugins.settings_for(prefix)``).
    :return: ``None``. Raise to have the job retried with backoff.
    """


@hookspec(firstresult=True)
def oms_reverse(
    order: Order, lines: list[OrderLine], reason: str, quantities: dict[int, int], plugins: PluginHost
) -> None:
    """Undo delivery of some lines of one type: revoke downloads, end a subscription, free
    a booking. *Owner only.*

    Called when lines are canceled (wholly or some of their units), expire, or are
    returned. Called also for lines never delivered, which the plugin then ignores; must be
    idempotent. Called in the transaction of the cancellation or return: raise
    :class:`oms.errors.DomainError` to refuse it (nothing is written).

    :param order: the :class:`oms.orders.models.Order`.
    :param lines: the lines (of this plugin's type) being reversed.
    :param reason: ``"canceled"``, ``"expired"`` or ``"returned"``.
    :param quantities: units reversed now, by line id (a partial cancellation or a return
        of some units; every unit of the line when the whole order ends).
    :param plugins: the :class:`oms.plugins.PluginHost` (``plugins.settings_for(prefix)``).
    :return: ``None``.
    """


@hookspec(firstresult=True)
def oms_return_policy(order: Order, line: OrderLine, quantity: int, plugins: PluginHost) -> str | None:
    """May ``quantity`` delivered units of ``line`` be returned now? *Owner only.*

    Called by ``requestReturn`` (customer, guest or staff) for each line asked for, in its
    transaction, before anything is written. A type whose plugin does not implement it
    lets every delivered unit be returned.

    :param order: the :class:`oms.orders.models.Order` (paid, with delivered units).
    :param line: the :class:`oms.orders.models.OrderLine` of this plugin's type.
    :param quantity: the units asked for, never more than not yet returned and delivered
        (or, for a type that does not ship, in a fulfillment: a booked session).
    :param plugins: the :class:`oms.plugins.PluginHost` (``plugins.settings_for(prefix)``).
    :return: ``None`` to allow the return, or the reason it is refused, for the customer
        ("Returns are accepted within 30 days of delivery."): the request is refused with
        ``RETURN_NOT_ALLOWED`` and that message.
    """


# ---------------------------------------------------------------------------
# Observation
# ---------------------------------------------------------------------------


@hookspec
def oms_order_event(order: Order, event: OrderEvent, plugins: PluginHost) -> None:
    """Observe an entry of an order's timeline (send an email, call a webhook...).

    Called on every plugin, after the change that wrote the event has committed, from
    the outbox job of that event: at least once, so an observer with outside effects
    should be idempotent per ``event.id``.

    :param order: the :class:`oms.orders.models.Order` as it is now.
    :param event: the :class:`oms.orders.models.OrderEvent` (``type``, ``data``...).
    :param plugins: the :class:`oms.plugins.PluginHost` (``plugins.settings_for(prefix)``).
    :return: ``None``. Raise to have the notification retried.
    """


@hookspec
def oms_email_content(
    order: Order, event: OrderEvent, message: str | None, settings: Settings, plugins: PluginHost
) -> EmailContent | None:
    """Add to a transactional email (template context, attachments), or mail about this
    plugin's own timeline events.

    Called on every plugin by the ``notification.email`` job that renders ``message`` (a
    worker, never a request), and, with ``message=None``, for each committed timeline
    event the core sends no customer mail about.

    :param order: the :class:`oms.orders.models.Order` as it is now.
    :param event: the :class:`oms.orders.models.OrderEvent` the mail is about.
    :param message: the message's name (``"download_ready"``, ``"booking_confirmed"``...),
        or None when asked whether the plugin mails about ``event`` itself.
    :param settings: the running :class:`oms.config.Settings` (links: ``public_url``).
    :param plugins: the :class:`oms.plugins.PluginHost` (``plugins.settings_for(prefix)``).
    :return: an :class:`oms.plugin_types.EmailContent` or None. Contexts are merged and
        attachments combined; with ``message=None``, its ``messages`` name the plugin's own
        messages (templates in its ``templates/email/`` folder) to send the customer.
    """
