"""A test-only plugin with job handlers whose effect can be counted.

Registered in-process through ``oms_extra_plugins``, and in ``oms worker`` processes with
``--plugin tests.job_plugin`` (the repository root on PYTHONPATH). The handlers write
rows to ``job_effect``, a table the test creates (:data:`CREATE_EFFECT_TABLE`), so a
test can see how many times an effect committed.
"""

from __future__ import annotations

import asyncio
import os
from pathlib import Path
from typing import Any

from tortoise.transactions import in_transaction

from oms import hookimpl
from oms.sql import fetch

CREATE_EFFECT_TABLE = "CREATE TABLE job_effect (marker VARCHAR(200) NOT NULL, pid INTEGER NOT NULL)"
EFFECTS_OF = "SELECT pid FROM job_effect WHERE marker = ?"


async def noop(payload: dict[str, Any]) -> None:
    """Nothing: measures the queue itself."""


async def write_row(payload: dict[str, Any]) -> None:
    """One row in its own transaction."""
    await fetch(
        "INSERT INTO job_effect (marker, pid) VALUES (:marker, :pid)",
        marker=payload["marker"], pid=os.getpid(),
    )


async def slow_write_row(payload: dict[str, Any]) -> None:
    """Write the row, touch ``started_file``, then wait while ``hold_file`` exists before
    committing: a worker killed while it waits leaves no row (it never commits)."""
    async with in_transaction():
        await write_row(payload)
        Path(payload["started_file"]).write_text(str(os.getpid()))
        while Path(payload["hold_file"]).exists():
            await asyncio.sleep(0.05)


async def fail(payload: dict[str, Any]) -> None:
    raise RuntimeError(payload.get("message", "this job always fails"))


@hookimpl
def oms_job_handlers():
    return {
        "test.noop": noop,
        "test.write_row": write_row,
        "test.slow_write_row": slow_write_row,
        "test.fail": fail,
    }
