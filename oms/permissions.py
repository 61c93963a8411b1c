"""The core's staff permission names. A foundation module: the plugin host checks that
plugins' own permissions (``oms_permissions``) do not reuse them, without importing
accounts; :mod:`oms.accounts.permissions` re-exports :class:`Permission` with the viewer."""

from __future__ import annotations

import enum


class Permission(str, enum.Enum):
    """The core's permissions. Plugins declare their own, namespaced, as plain strings
    (``oms_permissions``, e.g. ``TICKETS_CHECK_IN``): staff rows store both kinds by name."""

    MANAGE_ORDERS = "MANAGE_ORDERS"
    MANAGE_CATALOG = "MANAGE_CATALOG"
    MANAGE_FULFILLMENT = "MANAGE_FULFILLMENT"
    MANAGE_RETURNS = "MANAGE_RETURNS"
    MANAGE_PAYMENTS = "MANAGE_PAYMENTS"
    MANAGE_JOBS = "MANAGE_JOBS"
    MANAGE_WEBHOOKS = "MANAGE_WEBHOOKS"
    VIEW_REPORTS = "VIEW_REPORTS"
    # Create staff accounts, set their permissions (only those the granter holds), deactivate them.
    MANAGE_STAFF = "MANAGE_STAFF"
