"""Subscriptions: activated on payment, renewed every period.

What this plugin does, hook by hook:

- ``oms_product_types``: the ``subscription`` type; variant attributes: ``interval``
  (day, week, month, year), ``interval_count``, ``trial_days``, ``grace_days``. The first
  payment saves the payment method for renewals (``saves_payment_method``).
- ``oms_validate_line``: one subscription per line.
- ``oms_deliver``: a paid line starts a SubscriptionContract (ACTIVE); a paid renewal order
  extends its contract. Delivered at once.
- ``oms_settings``: ``OMS_SUBSCRIPTION_COOLING_OFF_DAYS`` (14): the return window.
- ``oms_return_policy``: a subscription may be returned within its cooling-off period
  from activation; a renewal never (cancel the subscription instead).
- ``oms_reverse``: a canceled or returned line ends its contract at once (its entitlement
  says inactive; an unpaid renewal order is canceled by the ``subscription.cancel_renewal``
  job); a canceled renewal order ends the contract at its period end.
- ``oms_periodic_jobs``: the lifecycle (renewal orders, off-session charges, PAST_DUE,
  cancellation); see ``oms_subscription.lifecycle``.
- ``oms_routes``: ``GET /entitlements/{accessKey}``.
- ``oms_graphql_types`` / ``oms_graphql_fields``: ``SubscriptionActivation`` details,
  ``me { subscriptions }``, ``cancelSubscription``, ``entitlement`` (staff).
"""

from __future__ import annotations

from oms.api import (
    ErrorCode,
    FieldError,
    PeriodicJob,
    PluginHost,
    ProductType,
    SettingsDeclaration,
    gateway_for,
    hookimpl,
)
from oms_subscription import services
from oms_subscription.graphql import (
    SubscriptionActivation,
    SubscriptionMutation,
    SubscriptionQuery,
    SubscriptionsOfMe,
)
from oms_subscription.lifecycle import run_lifecycle
from oms_subscription.periods import INTERVALS
from oms_subscription.routes import entitlement_routes

TYPE_NAME = services.TYPE_NAME
LIFECYCLE_EVERY_SECONDS = 300

ATTRIBUTES_SCHEMA = {
    "type": "object",
    "properties": {
        "interval": {"enum": list(INTERVALS)},
        "interval_count": {"type": "integer", "minimum": 1, "maximum": 36},
        "trial_days": {"type": "integer", "minimum": 0, "maximum": 365},
        "grace_days": {"type": "integer", "minimum": 0, "maximum": 90},
    },
    "required": ["interval"],
    "additionalProperties": False,
}

SUBSCRIPTION = ProductType(
    name=TYPE_NAME,
    attributes_schema=ATTRIBUTES_SCHEMA,
    public_attributes=("interval", "interval_count", "trial_days", "grace_days"),
    description="A plan activated on payment and renewed every period.",
    saves_payment_method=True,
)


@hookimpl
def oms_settings() -> SettingsDeclaration:
    return services.SETTINGS


@hookimpl
def oms_product_types() -> list[ProductType]:
    return [SUBSCRIPTION]


@hookimpl
def oms_models() -> list[str]:
    return ["oms_subscription.models"]


@hookimpl
def oms_migrations() -> str:
    return "oms_subscription"  # oms_subscription/migrations/


@hookimpl
def oms_validate_line(product_type, variant, quantity: int, options):
    if quantity != 1:
        return [FieldError(ErrorCode.INVALID, "One subscription per line.", ["quantity"])]
    return None


@hookimpl
async def oms_deliver(order, lines) -> None:
    await services.activate(order, lines)


@hookimpl
async def oms_reverse(order, lines, reason, quantities) -> None:
    await services.reverse(order, lines, reason, quantities)


@hookimpl
async def oms_return_policy(order, line, quantity: int, plugins: PluginHost) -> str | None:
    days = plugins.settings_for(services.SETTINGS_PREFIX)["cooling_off_days"]
    return await services.return_policy(order, line, cooling_off_days=days)


@hookimpl
def oms_job_handlers(plugins: PluginHost):
    async def cancel_renewal(payload: dict) -> None:
        # Idempotent: a renewal order paid or canceled meanwhile is left alone.
        await services.cancel_renewal_if_unpaid(
            payload["order_id"], plugins=plugins, actor=services.ACTOR, reason="The subscription ended."
        )

    return {services.CANCEL_RENEWAL_JOB: cancel_renewal}


@hookimpl
def oms_periodic_jobs(settings, plugins) -> list[PeriodicJob]:
    async def lifecycle() -> None:
        # One gateway client for the whole pass, however many renewals it charges.
        gateway = gateway_for(settings)
        try:
            await run_lifecycle(settings=settings, plugins=plugins, gateway=gateway)
        finally:
            await gateway.aclose()

    return [PeriodicJob(name="subscription.lifecycle", every_seconds=LIFECYCLE_EVERY_SECONDS, run=lifecycle)]


@hookimpl
def oms_routes(settings):
    return entitlement_routes()


@hookimpl
def oms_graphql_types() -> list[type]:
    return [SubscriptionActivation]


@hookimpl
def oms_graphql_fields():
    return {"Query": [SubscriptionQuery], "Mutation": [SubscriptionMutation], "Me": [SubscriptionsOfMe]}
