"""Payments: gateway sessions, refunds and verified webhooks.

``oms.payments.gateway`` is the typed boundary to payment providers (Stripe, or the
``manual`` gateway when Stripe is not configured). Nothing outside that module (and
``stripe_http``, the library's HTTP client) imports ``stripe``: the rest of oms works with
its dataclasses and its exception types. ``services`` owns the business (sessions, saved
payment methods and off-session charges, webhooks); ``recording`` applies a success or a
failure to an order.
"""
