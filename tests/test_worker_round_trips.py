"""What the worker sends to PostgreSQL for an order's jobs (issue 15): a claim in three
round trips, DONE in one, no lone statement wrapped in BEGIN/COMMIT, no savepoint to enqueue
a mail, and the mail an ``order.event`` job queues run in the same batch."""

from __future__ import annotations

import uuid

import pytest

from oms.notifications.models import SentEmail, SentEmailStatus
from oms.testing import make_product, run_jobs, test_database_url
from tests.conftest import ADDRESS
from tests.test_round_trips import PLACE, sent

pytestmark = pytest.mark.skipif(test_database_url() is None, reason="round trips to PostgreSQL only")

CLAIM = "UPDATE job SET status = 'RUNNING'"


async def test_a_placed_orders_jobs_take_two_batches_without_needless_transactions(oms_app, oms_graphql):
    await make_product(oms_app, product_type="physical", sku="MUG", attributes={"weight_grams": 300}, stock=5)
    await run_jobs(oms_app)
    variables = {"input": {
        "lines": [{"sku": "MUG", "quantity": 1}], "email": "ada@example.com",
        "shippingAddress": ADDRESS, "shippingMethod": "standard", "idempotencyKey": uuid.uuid4().hex,
    }}
    assert (await oms_graphql.query(PLACE, variables))["placeOrder"]["userErrors"] == []
    with sent() as statements:
        # order.placed's event job and its mail (run as written), then email.sent's event job.
        assert await run_jobs(oms_app) == 3
    flat = [" ".join(s.split()) for s in statements if "periodic_schedule" not in s]  # not the order's
    claims = [s for s in flat if s.startswith(CLAIM)]
    assert len(claims) == 3  # two batches and the empty claim that ends run_jobs
    assert not [s for s in flat if "SAVEPOINT" in s]
    assert flat.count("BEGIN;") == 1  # the mail's SENT row and its timeline event, together
    assert [s for s in flat if s.startswith("BEGIN; SET LOCAL")] == [_GUARD] * 3  # the claims
    done = [s for s in flat if "SET status = 'DONE'" in s]
    assert len(done) == 2 and all(s.startswith("SET LOCAL enable_bitmapscan = off; UPDATE job") for s in done)
    assert len(flat) <= 23 + 3, flat
    assert [row.status for row in await SentEmail.all()] == [SentEmailStatus.SENT]


_GUARD = "BEGIN; SET LOCAL plan_cache_mode = force_custom_plan; SET LOCAL enable_bitmapscan = off"
