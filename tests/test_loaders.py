"""oms/graphql/loaders.py: load_each answers as DataLoader.load_many does."""

from __future__ import annotations

import asyncio
import gc
from typing import Any

import pytest
from strawberry.dataloader import DataLoader

from oms.graphql.loaders import load_each


def _loader(batches: list[list[int]], fail: bool = False) -> DataLoader[int, Any]:
    async def load(keys: list[int]) -> list[Any]:
        batches.append(list(keys))
        if fail:
            raise LookupError(f"no rows for {keys}")
        return [ValueError(f"bad {key}") if key < 0 else key * 10 for key in keys]

    return DataLoader(load)


async def test_the_same_values_and_batches_as_load_many():
    answers = []
    for load in (lambda loader, keys: loader.load_many(keys), load_each):
        batches: list[list[int]] = []
        loader = _loader(batches)
        first = await loader.load(2)  # cached before: not asked again
        answers.append((first, await load(loader, [1, 2, 3, 1]), batches))
    assert answers[0] == answers[1] == (20, [10, 20, 30, 10], [[2], [1, 3]])
    assert await load_each(_loader([]), []) == []


@pytest.mark.parametrize("fail", [False, True], ids=["one-key", "whole-batch"])
async def test_the_same_failure_as_load_many_and_none_left_unretrieved(fail):
    unretrieved: list[Any] = []
    loop = asyncio.get_running_loop()
    loop.set_exception_handler(lambda _loop, context: unretrieved.append(context["message"]))
    try:
        raised = []
        for load in (lambda loader, keys: loader.load_many(keys), load_each):
            with pytest.raises(Exception) as caught:
                await load(_loader([], fail=fail), [1, -2, 3, -4])
            raised.append((type(caught.value), str(caught.value)))
            del caught
            gc.collect()
        expected = (LookupError, "no rows for [1, -2, 3, -4]") if fail else (ValueError, "bad -2")
        assert raised == [expected, expected]
        await asyncio.sleep(0)
        gc.collect()
        assert unretrieved == []
    finally:
        loop.set_exception_handler(None)
