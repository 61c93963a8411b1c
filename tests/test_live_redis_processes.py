"""Live updates across processes through the real Redis (``OMS_REDIS_URL``, by default the
one at 127.0.0.1:6379; skipped when none answers, as the rate-limit tests are): an order
change announced in one process wakes a subscriber in another.

The announcing process is a real one (``python -c``), set up as ``oms worker`` sets up its
live service (``running_live(settings, listen=False)``: it publishes, never listens), and
announces with ``order_changed`` as a committed change does (autocommit: at once)."""

from __future__ import annotations

import os
import random
import subprocess
import sys

import pytest

from oms.config import Settings
from oms.live.publish import current_broker, running_live

REDIS_URL = os.environ.get("OMS_REDIS_URL") or "redis://127.0.0.1:6379/0"

ANNOUNCE = """
import asyncio, sys
from oms.config import Settings
from oms.live.publish import current_broker, order_changed, running_live

async def main(url, order_id):
    async with running_live(Settings(redis_url=url), listen=False):
        assert current_broker().name == "redis"
        await order_changed(order_id)
    # Leaving running_live stopped the broker after its pending announcements went out.

asyncio.run(main(sys.argv[1], int(sys.argv[2])))
"""


def _redis_answers() -> bool:
    import redis

    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1, socket_timeout=1)
    try:
        return bool(client.ping())
    except redis.RedisError:
        return False
    finally:
        client.close()


needs_redis = pytest.mark.skipif(not _redis_answers(), reason=f"no Redis answers at {REDIS_URL}")


def _announce_in_another_process(order_id: int) -> None:
    done = subprocess.run(
        [sys.executable, "-c", ANNOUNCE, REDIS_URL, str(order_id)], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr


@needs_redis
async def test_an_order_change_in_one_process_wakes_a_subscriber_in_another():
    # Ids far above any test database's, so another test sharing this Redis (the channel
    # is one for all) cannot wake these subscribers by chance.
    order_id = random.randrange(10**12, 2 * 10**12)
    async with running_live(Settings(redis_url=REDIS_URL)) as hub:
        broker = current_broker()
        assert broker is not None and broker.name == "redis"
        assert broker.connected.is_set(), "the listener did not subscribe"
        with hub.subscribe(order_id) as subscriber, hub.subscribe(order_id + 1) as other:
            _announce_in_another_process(order_id)
            assert await subscriber.next_change(timeout=10)
            # Only the order that changed: the other subscriber hears nothing.
            assert not await other.next_change(timeout=0.5)
