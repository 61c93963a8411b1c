"""The typed values plugins and the core exchange through hooks.

Plugins receive domain objects (Tortoise models and these dataclasses), never Strawberry
types or an HTTP request.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Awaitable, Callable, Mapping, Sequence
from decimal import Decimal
from typing import Any

from oms.money import Money


@dataclasses.dataclass(frozen=True)
class ProductType:
    """A product type a plugin owns and delivers.

    :param name: the open string stored on products, e.g. ``"physical"``.
    :param requires_shipping: lines of this type need a shipping address and method.
    :param tracks_stock: placing an order reserves units of stock.
    :param options_schema: JSON schema of a cart line's ``options`` (None: no options allowed).
    :param attributes_schema: JSON schema of a variant's ``attributes``.
    :param public_attributes: attribute keys shown to the public; the rest are staff-only.
    :param description: one line for ``oms plugins`` and GraphiQL.
    :param saves_payment_method: lines of this type are charged again later without the
        customer (renewals): the first payment saves the payment method for off-session
        use (Stripe: ``setup_future_usage`` on a Stripe Customer).
    :param tax_class: the tax class of its products unless a product or variant says
        otherwise (``"standard"``; e.g. ``"digital"``, ``"services"``): which tax rate applies.
    """

    name: str
    requires_shipping: bool = False
    tracks_stock: bool = False
    options_schema: Mapping[str, Any] | None = None
    attributes_schema: Mapping[str, Any] | None = None
    public_attributes: Sequence[str] = ()
    description: str = ""
    saves_payment_method: bool = False
    tax_class: str = "standard"


@dataclasses.dataclass(frozen=True)
class CartLine:
    """A priced cart line: prices come from the database, never from the client."""

    sku: str
    name: str
    quantity: int
    product_type: str
    unit_price: Money
    attributes: Mapping[str, Any]
    options: Mapping[str, Any] | None

    @property
    def total(self) -> Money:
        return self.unit_price * self.quantity


@dataclasses.dataclass(frozen=True)
class Cart:
    """What the shipping hook sees of a cart being priced or placed."""

    currency: str
    lines: Sequence[CartLine]
    subtotal: Money
    requires_shipping: bool
    shipping_address: Mapping[str, Any] | None = None

    def lines_of_types(self, names: set[str]) -> list[CartLine]:
        return [line for line in self.lines if line.product_type in names]


@dataclasses.dataclass(frozen=True)
class ShippingMethodOffer:
    """A way to ship a cart, with its price for that cart."""

    code: str
    name: str
    price: Money


@dataclasses.dataclass(frozen=True)
class PeriodicJob:
    """A job the worker runs every ``every_seconds``, once per period across all workers.

    ``run`` is called with no arguments and may be async.
    """

    name: str
    every_seconds: int
    run: Callable[[], Awaitable[None] | None]


@dataclasses.dataclass(frozen=True)
class Parcel:
    """What a carrier needs to ship one parcel of an order.

    :param reference: oms's id for the shipment, stable across retries (use it as the
        carrier's idempotency key).
    :param order_number: the order's human number.
    :param ship_from: the sender's address (keys ``name``, ``line1``, ``line2``, ``city``,
        ``region``, ``postal_code``, ``country``, ``phone``).
    :param ship_to: the recipient's address, same keys.
    :param weight_grams: the parcel's weight from the variants' ``weight_grams``.
    :param items: ``(sku, name, quantity)`` of what is in it.
    :param tracking_number: what staff typed, if anything.
    """

    reference: str
    order_number: str
    ship_from: Mapping[str, Any]
    ship_to: Mapping[str, Any]
    weight_grams: int
    items: Sequence[tuple[str, str, int]]
    tracking_number: str | None = None


@dataclasses.dataclass(frozen=True)
class ShippingLabel:
    """A carrier's answer: the tracking number, and its label when it drew one (else oms
    draws its own label)."""

    tracking_number: str
    tracking_url: str | None = None
    label_pdf: bytes | None = None


class Carrier:
    """A way to get parcels to customers. Subclass it and return instances from
    ``oms_shipping_carriers``.

    ``code`` is what staff pass as ``createShipment(input: {carrier: ...})``.
    """

    code: str = ""
    name: str = ""

    async def create_label(self, parcel: Parcel) -> ShippingLabel:
        """Buy or record the label for ``parcel``. Raise
        :class:`oms.errors.DomainError` for a problem staff can fix (a missing tracking
        number, an address the carrier refuses): the shipment is not created."""
        raise NotImplementedError


@dataclasses.dataclass(frozen=True)
class PluginCommand:
    """A sub-command of ``oms``.

    :param name: ``oms <name>``.
    :param help: one line for ``oms --help``.
    :param add_arguments: ``(parser: argparse.ArgumentParser) -> None``.
    :param run: ``(args: argparse.Namespace, settings: oms.config.Settings) -> int`` (may
        be async); the database is connected when it runs. Returns the exit status; raise
        :class:`oms.errors.DomainError` to print its message and exit with status 2.
    """

    name: str
    help: str
    add_arguments: Callable[[Any], None]
    run: Callable[[Any, Any], Awaitable[int] | int]


#: How a :class:`PluginSetting`'s text is turned into its value: one of the types ``bool``,
#: ``int``, ``decimal.Decimal``, ``str``, the string ``"json"``, an :class:`enum.Enum`
#: subclass, or a parse function ``(text: str) -> value`` that raises ``ValueError`` with a
#: message saying what is expected.
SettingType = Any


@dataclasses.dataclass(frozen=True)
class PluginSetting:
    """One setting a plugin can be configured with, read from the environment at start.

    :param name: lowercase letters, digits and ``_`` (``"flat_rate"``); the variable is
        ``OMS_<PREFIX>_<NAME>`` in capitals (``OMS_PHYSICAL_FLAT_RATE``) and the value's key
        in :meth:`oms.plugins.PluginHost.settings_for` is ``name``.
    :param type: how the text is parsed: ``bool`` (``1/0``, ``true/false``, ``yes/no``,
        ``on/off``), ``int``, ``decimal.Decimal`` (finite), ``str`` (as given), ``"json"``
        (any JSON value), an :class:`enum.Enum` subclass (a member's value), or a function
        ``(text) -> value`` raising ``ValueError("what is expected")``.
    :param default: the value when the variable is not set (already a value, not text;
        ``None`` when there is none).
    :param help: one line saying what the setting does, for the docs and error messages.
    :param required: the variable must be set (then ``default`` is not used).
    """

    name: str
    type: SettingType
    default: Any = None
    help: str = ""
    required: bool = False


@dataclasses.dataclass(frozen=True)
class SettingsDeclaration:
    """What ``oms_settings`` returns: the plugin's settings under one prefix.

    :param prefix: lowercase letters, digits and ``_`` (``"physical"``): the variables are
        ``OMS_<PREFIX>_*`` and the values are found with ``plugins.settings_for(prefix)``.
        Unique across the installed plugins.
    :param settings: the :class:`PluginSetting` of each variable.
    """

    prefix: str
    settings: Sequence[PluginSetting]


@dataclasses.dataclass(frozen=True)
class EmailAttachment:
    """A file attached to an email, e.g. a calendar invite.

    :param filename: as the mail client shows it (``"booking.ics"``).
    :param content_type: ``"maintype/subtype"``, e.g. ``"text/calendar"``.
    :param data: the file's bytes.
    """

    filename: str
    content_type: str
    data: bytes


@dataclasses.dataclass(frozen=True)
class EmailContent:
    """What ``oms_email_content`` returns: a plugin's part of a transactional email.

    :param context: template variables added to the message's context (e.g. ``downloads``);
        keys of several plugins are merged, a later plugin's winning.
    :param attachments: files attached to the message.
    :param messages: only when the hook is asked about an event the core does not mail
        about (``message`` is None): the names of the plugin's own messages to send the
        customer about it (templates ``email/<name>.txt`` and ``.html`` in the plugin's
        ``templates`` folder).
    """

    context: Mapping[str, Any] = dataclasses.field(default_factory=dict)
    attachments: Sequence[EmailAttachment] = ()
    messages: Sequence[str] = ()


@dataclasses.dataclass(frozen=True)
class TaxableLine:
    """A priced cart line as taxes see it (``oms_calculate_taxes``).

    :param amount: what the customer pays for the line before tax is added: unit price x
        quantity less the line's share of the discounts (tax included when the store's
        prices include tax).
    """

    index: int
    sku: str
    product_type: str
    tax_class: str
    quantity: int
    amount: Money
    requires_shipping: bool


@dataclasses.dataclass(frozen=True)
class TaxRequest:
    """What is taxed: the lines, the shipping, where, and how prices are entered.

    :param country: ISO 3166-1 alpha-2 code of the tax address (the shipping address,
        else the billing address, else the store's ``OMS_TAX_COUNTRY``); ``None`` if unknown.
    :param region: the address's region (a US state), upper-cased, or ``None``.
    :param shipping: the shipping price less its discount, or ``None`` when none is chosen.
    """

    currency: str
    prices_include_tax: bool
    country: str | None
    region: str | None
    lines: Sequence[TaxableLine]
    shipping: Money | None


@dataclasses.dataclass(frozen=True)
class TaxCharge:
    """Tax on one taxable amount at one rate, rounded to the cent.

    :param taxable: the amount taxed (tax included in it when prices include tax).
    :param rate: percent, e.g. ``Decimal("20")``.
    :param name: shown in the tax summary, e.g. ``"VAT"``.
    """

    taxable: Money
    tax: Money
    rate: Decimal
    name: str
    tax_class: str | None = None


@dataclasses.dataclass(frozen=True)
class TaxResult:
    """Taxes of a cart: one charge per line (by ``TaxableLine.index``; a missing line is
    untaxed) and the shipping's charges (several when shipping is split between rates)."""

    lines: Mapping[int, TaxCharge]
    shipping: Sequence[TaxCharge] = ()
