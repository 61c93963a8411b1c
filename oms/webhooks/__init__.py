"""Signed outbound webhooks: staff's endpoints receive the order timeline's events.

Models (:mod:`.models`), the endpoint services (:mod:`.services`), signing (:mod:`.signing`,
the Standard Webhooks scheme), the SSRF guard (:mod:`.guard`), one delivery attempt
(:mod:`.delivery`) and the core plugin that turns committed timeline events into
deliveries (:mod:`.jobs`).
"""
