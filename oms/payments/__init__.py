"""Payments: gateway sessions, refunds and verified webhooks.

``oms.payments.gateway`` is the typed boundary to payment providers (Stripe, or the
``manual`` gateway when Stripe is not configured). Nothing outside that module imports
``stripe``: the rest of oms works with its dataclasses and its two exception types.
"""
