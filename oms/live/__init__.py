"""Live order updates: who listens for changes of which order (:mod:`oms.live.hub`), how a
change reaches every process (:mod:`oms.live.brokers`: in-process, PostgreSQL
LISTEN/NOTIFY, Redis pub/sub) and how a change is announced (:mod:`oms.live.publish`,
called by the order timeline's ``record_event``).

A message carries only an order id; subscribers re-read the order, so a message may be
repeated or coalesced without harm, and only the order's latest state is ever pushed.
"""
