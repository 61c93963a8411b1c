"""The timeline event types an endpoint may subscribe to (docs/plugin_hooks.md lists
who writes them); "*" subscribes to every event, those of plugins included."""

from __future__ import annotations

ALL_EVENTS = "*"

KNOWN_EVENT_TYPES = frozenset(
    {
        # Orders and payments.
        "order.placed",
        "order.paid",
        "order.canceled",
        "order.expired",
        "order.completed",
        "order.partially_fulfilled",
        "order.lines_canceled",
        "payment.failed",
        "payment.needs_review",
        "payment.mismatch",
        # Fulfillment.
        "shipment.created",
        "shipment.label_created",
        "shipment.delivered",
        "download.granted",
        "download.used",
        "download.revoked",
        "delivery.started",
        "delivery.failed",
        # Subscriptions and bookings.
        "subscription.activated",
        "subscription.renewed",
        "subscription.renewal_created",
        "subscription.renewal_failed",
        "subscription.past_due",
        "subscription.canceled",
        "subscription.cancel_scheduled",
        "booking.held",
        "booking.confirmed",
        "booking.rescheduled",
        "booking.reminder",
        "booking.canceled",
        "booking.completed",
        "booking.no_show",
        # Returns and refunds.
        "return.requested",
        "return.approved",
        "return.rejected",
        "return.received",
        "refund.requested",
        "refund.succeeded",
        "refund.failed",
        # Notifications.
        "email.sent",
        "email.failed",
        "email.uncertain",
    }
)


def unknown_event_types(events: list[str]) -> list[str]:
    return [event for event in events if event != ALL_EVENTS and event not in KNOWN_EVENT_TYPES]
