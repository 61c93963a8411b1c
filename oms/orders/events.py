"""The order timeline: every change to an order writes one event, and a job that tells
the observers (plugins' ``oms_order_event``) once the change has committed."""

from __future__ import annotations

from typing import Any

from tortoise.backends.base.client import TransactionalDBClient
from tortoise.connection import get_connection
from tortoise.expressions import RawSQL

from oms import sql
from oms.clock import utcnow
from oms.jobs.services import DEFAULT_MAX_ATTEMPTS, RunsHere, enqueue, runs_here
from oms.live import publish as live
from oms.live.brokers import CHANNEL
from oms.oncommit import collecting, on_commit
from oms.orders.models import EVENT_READS_ALONG, Order, OrderEvent

ORDER_EVENT_JOB = "order.event"

# record_event on PostgreSQL, one round trip: the event, its ``order.event`` job (the
# payload the ORM path writes) and, unless the live broker publishes after commit, the
# live notification (PostgreSQL delivers it at COMMIT, never on rollback). EVENT_CTES is
# also spliced into placement's single INSERT (oms/orders/placement.py); it expects
# :order_id, :event_type, :message, :actor, :data (JSON text or NULL), :now, :job_kind
# and :max_attempts.
_EVENT_CTES = """
new_event AS (
    INSERT INTO order_event (order_id, type, message, actor, data, created_at)
    {source}
    RETURNING id
),
new_event_job AS (
    INSERT INTO job (kind, payload, status, attempts, max_attempts, run_at, created_at, updated_at,
                     locked_by, locked_until)
    SELECT :job_kind, jsonb_build_object('order_id', CAST(:order_id AS integer), 'event_id', new_event.id,
                                         'type', CAST(:event_type AS text)),
           CAST(:job_status AS text), CAST(:job_attempts AS integer), :max_attempts, :now, :now, :now,
           CAST(:locked_by AS text), CAST(:locked_until AS timestamptz)
    FROM new_event
    RETURNING id
)"""
EVENT_CTES = _EVENT_CTES.format(
    source="VALUES (CAST(:order_id AS integer), CAST(:event_type AS text), :message, :actor, CAST(:data AS jsonb),"
    " :now)"
)


def gated_event_ctes(gate: str) -> str:
    """:data:`EVENT_CTES` writing the event (and its job) only when the CTE named ``gate``,
    earlier in the same ``WITH``, returned a row (see :func:`record_event_if`)."""
    return _EVENT_CTES.format(
        source="SELECT CAST(:order_id AS integer), CAST(:event_type AS text), CAST(:message AS text),\n"
        f"           CAST(:actor AS text), CAST(:data AS jsonb), CAST(:now AS timestamptz)\n"
        f"    WHERE EXISTS (SELECT 1 FROM {gate})"
    )


# Delivered at COMMIT to every listening process, never for a rollback.
NOTIFY_ORDER = "pg_notify(:channel, CAST(CAST(:order_id AS integer) AS text))"
_JOB_ID = "(SELECT id FROM new_event_job) AS job_id"
_RECORD = f"WITH {EVENT_CTES.strip()}\nSELECT new_event.id, {_JOB_ID} FROM new_event"
_RECORD_AND_NOTIFY = f"WITH {EVENT_CTES.strip()}\nSELECT new_event.id, {_JOB_ID}, {NOTIFY_ORDER} FROM new_event"

# Timeline entries for staff only: they speak of reviews, failures and internals.
STAFF_ONLY_EVENT_TYPES = frozenset(
    {"payment.mismatch", "payment.needs_review", "delivery.started", "delivery.failed", "order.expiry_failed"}
)


def customer_view(event: OrderEvent, order: Order) -> OrderEvent | None:
    """The event as a customer or guest may see it, or None: staff-only types are left
    out; what staff did is shown as done by "store", without its data (a bank reference)."""
    if event.type in STAFF_ONLY_EVENT_TYPES or (event.data or {}).get("staff_only"):
        return None
    actor, data = event.actor, event.data
    if actor and "@" in actor and actor != order.email:
        actor, data = "store", None
    return OrderEvent(
        id=event.id,
        order_id=event.order_id,
        type=event.type,
        message=event.message,
        actor=actor,
        data=data,
        created_at=event.created_at,
    )


async def record_event(
    order: Order,
    type: str,
    message: str,
    *,
    actor: str | None,
    data: dict[str, Any] | None = None,
    staff_only: bool = False,
) -> OrderEvent:
    """Write a timeline event and its notification job; call inside the change's transaction.

    ``staff_only`` keeps it out of the customer's view of the timeline (a plugin's note
    for staff, e.g. a renewal that could not be placed)."""
    if staff_only:
        data = {**(data or {}), "staff_only": True}
    if get_connection("default").capabilities.dialect == "postgres":
        return await _record_in_one_statement(order.id, type, message, actor=actor, data=data)
    event = await OrderEvent.create(order=order, type=type, message=message, actor=actor, data=data)
    await enqueue(ORDER_EVENT_JOB, {"order_id": order.id, "event_id": event.id, "type": type})
    # Live subscribers (Subscription.orderUpdated, every process) hear of it after commit.
    await live.order_changed(order.id)
    return event


def event_params(order_id: int, type: str, message: str, actor: str | None, data: dict[str, Any] | None) -> dict:
    """The parameters :data:`EVENT_CTES` expects, ``now`` included."""
    return {
        "order_id": order_id,
        "event_type": type,
        "message": message,
        "actor": actor,
        # Encoded as OrderEvent.create would (the field's own encoder).
        "data": OrderEvent._meta.fields_map["data"].to_db_value(data, OrderEvent),
        "now": utcnow(),
        "job_kind": ORDER_EVENT_JOB,
        "max_attempts": DEFAULT_MAX_ATTEMPTS,
        # The job QUEUED; see _claimed_here for a job written claimed by a worker.
        "job_status": "QUEUED",
        "job_attempts": 0,
        "locked_by": None,
        "locked_until": None,
    }


def _claimed_here(params: dict[str, Any]) -> RunsHere | None:
    """Inside a worker's handler (:data:`oms.jobs.services.runs_here`) the ``order.event``
    job is written RUNNING with that worker's lease and first attempt, and handed to it
    once it is committed (:func:`oms.oncommit.on_commit`: never when the transaction rolls
    back), so it runs in the same batch instead of waiting for the next claim. If the
    worker dies first, the lease expires and any worker claims it, as for every claimed
    job; one written in a savepoint that rolls back is never adopted (oms.oncommit). Not in
    a transaction opened other than through oms (no commit to wait for)."""
    here = runs_here.get()
    if here is None or not here.handles(ORDER_EVENT_JOB):
        return None
    if isinstance(get_connection("default"), TransactionalDBClient) and not collecting():
        return None
    params.update(job_status="RUNNING", job_attempts=1, locked_by=here.worker_id, locked_until=here.lease_until())
    return here


def notifies_in_sql() -> bool:
    """Whether the live notification goes in the transaction's SQL (``pg_notify``), as
    :func:`oms.live.publish.order_changed` does on PostgreSQL unless the broker publishes
    after commit."""
    broker = live.current_broker()
    return broker is None or not broker.publishes_after_commit


async def record_event_along(
    order: Order,
    type: str,
    message: str,
    *,
    actor: str | None,
    data: dict[str, Any] | None = None,
    staff_only: bool = False,
    along: str,
    **along_params: Any,
) -> OrderEvent:
    """:func:`record_event` on PostgreSQL with one more change in the same statement:
    ``along`` is a data-modifying CTE (``name AS (UPDATE …)``, its values ``:name``
    parameters given as ``along_params``; ``:now`` is the event's time), so the change and the event are written
    together or not at all, in one round trip and without a transaction of their own.
    SQLite: run the change inside a transaction, then :func:`record_event`."""
    if staff_only:
        data = {**(data or {}), "staff_only": True}
    return await _record_in_one_statement(order.id, type, message, actor=actor, data=data, along=along, **along_params)


async def record_event_if(
    order_id: int,
    type: str,
    message: str,
    *,
    actor: str | None,
    data: dict[str, Any] | None = None,
    before: str,
    gate: str,
    columns: str,
    source: str,
    **params: Any,
) -> tuple[list[dict[str, Any]], OrderEvent | None]:
    """PostgreSQL, one statement: the CTEs ``before`` (one of them named ``gate``), then the
    event and its job (written as :func:`record_event` writes them, live notification and
    adoption included) only when ``gate`` returned a row, then ``SELECT columns FROM
    source`` (``source`` may end with an ``ORDER BY``). ``params`` are the values of
    ``before``'s and ``columns``' parameters (``:now`` is the event's time). Returns the
    SELECT's rows and the event, or None when none was written. For a change that may find
    nothing to do and whose event must then not be written
    (oms.fulfillment.services.deliver)."""
    values = event_params(order_id, type, message, actor, data)
    in_sql = notifies_in_sql()
    notify = ""
    if in_sql:
        values["channel"] = CHANNEL
        notify = f", (SELECT {NOTIFY_ORDER} FROM new_event) AS notified"
    here = _claimed_here(values)
    values.update(params)
    statement = (
        f"WITH {before.strip()},\n{gated_event_ctes(gate).strip()}\n"
        f"SELECT {columns}, (SELECT id FROM new_event) AS new_event_id, (SELECT id FROM new_event_job) AS new_job_id"
        f"{notify}\nFROM {source}"
    )
    rows = await sql.fetch(statement, **values)
    row = rows[0] if rows else None
    if row is None or row["new_event_id"] is None:
        return rows, None
    if here is not None:
        job_id, payload = row["new_job_id"], {"order_id": order_id, "event_id": row["new_event_id"], "type": type}
        adopt = here.adopt
        on_commit(lambda: adopt(job_id, ORDER_EVENT_JOB, payload, DEFAULT_MAX_ATTEMPTS))
    if not in_sql:
        await live.order_changed(order_id)
    return rows, saved_event(row["new_event_id"], order_id, type, message, actor, data, values["now"])


async def _record_in_one_statement(
    order_id: int,
    type: str,
    message: str,
    *,
    actor: str | None,
    data: dict[str, Any] | None,
    along: str | None = None,
    **along_params: Any,
) -> OrderEvent:
    params = event_params(order_id, type, message, actor, data)
    in_sql = notifies_in_sql()
    if in_sql:
        params["channel"] = CHANNEL
    here = _claimed_here(params)
    statement = _RECORD_AND_NOTIFY if in_sql else _RECORD
    if along:
        # A data-modifying CTE runs whether or not the query reads it.
        statement = f"WITH {along.strip()},{statement.removeprefix('WITH')}"
        params.update(along_params)
    rows = await sql.fetch(statement, **params)
    if here is not None:
        job_id, payload = rows[0]["job_id"], {"order_id": order_id, "event_id": rows[0]["id"], "type": type}
        adopt = here.adopt
        on_commit(lambda: adopt(job_id, ORDER_EVENT_JOB, payload, DEFAULT_MAX_ATTEMPTS))
    if not in_sql:
        await live.order_changed(order_id)
    return saved_event(rows[0]["id"], order_id, type, message, actor, data, params["now"])


def saved_event(
    event_id: int, order_id: int, type: str, message: str, actor: str | None, data: dict[str, Any] | None, now
) -> OrderEvent:
    """The OrderEvent just written by :data:`EVENT_CTES`, as ``OrderEvent.create`` returns it."""
    event = OrderEvent(
        id=event_id, order_id=order_id, type=type, message=message, actor=actor, data=data, created_at=now
    )
    event._saved_in_db = True
    return event


async def event_and_order(event_id: int, *, reads_along: bool = False) -> tuple[OrderEvent, Order] | None:
    """A committed timeline event and its order, read in one statement (a join); None
    when the event is gone. ``reads_along``: with the observers' EVENT_READS_ALONG on
    PostgreSQL, in the same statement."""
    query = OrderEvent.filter(id=event_id).select_related("order")
    if reads_along and EVENT_READS_ALONG and get_connection("default").capabilities.dialect == "postgres":
        query = query.annotate(**{name: RawSQL(expression) for name, expression in EVENT_READS_ALONG.items()})
    event = await query.first()
    if event is None:
        return None
    return event, event.order


async def notify_observers(event_id: int, *, plugins) -> None:
    """Tell every plugin's ``oms_order_event`` about a committed timeline event (the
    ``order.event`` job). At least once: observers with outside effects dedupe by event id."""
    found = await event_and_order(event_id, reads_along=True)
    if found is None:
        return
    event, order = found
    await plugins.call_all("oms_order_event", order=order, event=event)
