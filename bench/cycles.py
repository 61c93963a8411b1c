"""Objects each kind of request leaves in reference cycles (issue 15, "cycles").

    .venv/bin/python bench/cycles.py                      # 3 requests of each kind
    .venv/bin/python bench/cycles.py --repeat 5 --top 25 --cycle DataLoader --cycle OrderLine

Reference counting frees a request's objects when the request ends, unless they are in a
reference cycle: those wait for the collector, which ``oms serve`` runs seldom
(oms.serving.tune_gc), so they are what its memory creeps with (docs/performance.md,
"gcmem"). This probe counts them. It creates a scratch PostgreSQL database on the server of
``--database-url`` (default env OMS_TEST_DATABASE_URL, else postgres://postgres@127.0.0.1:5432/postgres),
seeds ``--orders`` orders with ``oms.bulkseed``, and calls the ASGI app directly (no HTTP client,
whose own objects would count too). For each kind of request (the mix bench/serve_memory.py
sends: placeOrder as a guest, markOrderPaid as staff, the staff orders page of 100 orders with
lines, a product page), after ``--warmup`` requests, ``--repeat`` times::

    gc.collect(); gc.set_debug(gc.DEBUG_SAVEALL); <one request>; gc.collect()

and counts what the collection found unreachable (kept in ``gc.garbage`` by DEBUG_SAVEALL)
by type. The collector is disabled around each request so that nothing is collected early.
It prints the mean per request and kind, then the top types. ``--cycle TYPE`` prints,
for one garbage object of that type in the last probe of each kind, a shortest reference
cycle through it (when it is in one), to find where the cycle is made. ``--orders 0``: no seeded orders (the page
is then empty, the other kinds still run).
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import gc
import json
import os
import random
import secrets
import sys
import tempfile
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # for bench.* when run as a script

from bench.common import MARK_PAID  # noqa: E402
from bench.orders_list import drop_database, scratch_database  # noqa: E402
from bench.peer_oms import STAFF_LIST  # noqa: E402
from bench.place_orders import ADDRESS, PLACE_ORDER  # noqa: E402
from bench.serve_memory import PRODUCT_PAGE  # noqa: E402

DEFAULT_PG = "postgres://postgres@127.0.0.1:5432/postgres"


async def asgi_graphql(app: Any, query: str, variables: dict | None = None, token: str | None = None) -> dict:
    """One POST /graphql straight into the ASGI app; the response's JSON (raises on errors)."""
    body = json.dumps({"query": query, "variables": variables or {}}).encode()
    headers = [(b"host", b"bench.test"), (b"content-type", b"application/json"),
               (b"content-length", str(len(body)).encode())]
    if token:
        headers.append((b"authorization", f"Bearer {token}".encode()))
    scope = {
        "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "POST",
        "scheme": "http", "path": "/graphql", "raw_path": b"/graphql", "root_path": "",
        "query_string": b"", "headers": headers, "client": ("127.0.0.1", 50000),
        "server": ("bench.test", 80), "app": app,
    }
    sent = False
    chunks: list[bytes] = []
    status = 0

    async def receive() -> dict:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return {"type": "http.disconnect"}

    async def send(message: dict) -> None:
        nonlocal status
        if message["type"] == "http.response.start":
            status = message["status"]
        elif message["type"] == "http.response.body":
            chunks.append(message.get("body", b""))

    await app(scope, receive, send)
    result = json.loads(b"".join(chunks))
    if status != 200 or result.get("errors"):
        raise RuntimeError(f"GraphQL failed ({status}): {result}")
    return result["data"]


async def probe(request: Callable[[], Awaitable[Any]]) -> list[Any]:
    """The objects one ``request()`` left in reference cycles."""
    gc.collect()
    gc.garbage.clear()
    gc.disable()
    gc.set_debug(gc.DEBUG_SAVEALL)
    try:
        await request()
        await asyncio.sleep(0)  # let callbacks the request scheduled run
        gc.collect()
        found = list(gc.garbage)
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
        gc.enable()
    return found


def type_name(obj: Any) -> str:
    return type(obj).__name__


def describe(obj: Any) -> str:
    if callable(obj) and hasattr(obj, "__qualname__"):
        code = getattr(obj, "__code__", None)
        where = f" {code.co_filename.removeprefix(str(ROOT) + '/')}:{code.co_firstlineno}" if code else ""
        return f"{type_name(obj)} {obj.__qualname__}{where}"
    if type(obj).__name__ == "frame":
        return f"frame {obj.f_code.co_qualname} {obj.f_code.co_filename}:{obj.f_lineno}"
    if type(obj).__name__ == "cell":
        return "cell"
    text = repr(obj)
    return f"{type_name(obj)} {text[:100]}"


def show_cycle(garbage: list[Any], wanted: str, quiet: bool = False) -> None:
    """A shortest reference cycle through one garbage object of type ``wanted``."""
    by_id = {id(obj): obj for obj in garbage}
    target = next((obj for obj in garbage if type_name(obj) == wanted), None)
    if target is None:
        print(f"    (no {wanted} in the garbage)")
        return
    parents: dict[int, int] = {}
    frontier = [target]
    while frontier:
        following = []
        for obj in frontier:
            for ref in gc.get_referents(obj):
                if ref is target:
                    path = [obj]
                    while path[-1] is not target:
                        path.append(by_id[parents[id(path[-1])]])
                    if not quiet:
                        print(f"    a cycle through {wanted}:")
                    for step in reversed(path):
                        print(f"      -> {describe(step)}")
                    return
                if id(ref) in by_id and id(ref) not in parents:
                    parents[id(ref)] = id(obj)
                    following.append(ref)
        frontier = following
    print(f"    (the {wanted} is in no cycle: garbage only because a cycle refers to it)")


def cycles_of(garbage: list[Any]) -> list[list[Any]]:
    """The reference cycles among ``garbage``: its strongly connected components of more
    than one object (or of one that refers to itself), by Tarjan's algorithm, iterative."""
    by_id = {id(obj): obj for obj in garbage}
    edges = {key: [id(ref) for ref in gc.get_referents(obj) if id(ref) in by_id] for key, obj in by_id.items()}
    index: dict[int, int] = {}
    low: dict[int, int] = {}
    stack: list[int] = []
    on_stack: set[int] = set()
    found: list[list[Any]] = []
    for root in by_id:
        if root in index:
            continue
        work = [(root, 0)]
        while work:
            node, i = work.pop()
            if i == 0:
                index[node] = low[node] = len(index)
                stack.append(node)
                on_stack.add(node)
            for j in range(i, len(edges[node])):
                nxt = edges[node][j]
                if nxt not in index:
                    work.append((node, j + 1))
                    work.append((nxt, 0))
                    break
                if nxt in on_stack:
                    low[node] = min(low[node], index[nxt])
            else:
                if low[node] == index[node]:
                    component = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.append(member)
                        if member == node:
                            break
                    if len(component) > 1 or node in edges[node]:
                        found.append([by_id[key] for key in component])
                if work:
                    parent = work[-1][0]
                    low[parent] = min(low[parent], low[node])
    return found


def show_cycles(garbage: list[Any]) -> None:
    """Each cycle: its size, its types, and a shortest loop through its first object."""
    for component in sorted(cycles_of(garbage), key=len, reverse=True):
        types = collections.Counter(type_name(obj) for obj in component)
        print(f"    cycle of {len(component)}: " + ", ".join(f"{name} {n}" for name, n in types.most_common(8)))
        show_cycle(component, type_name(component[0]), quiet=True)


async def bench(args: argparse.Namespace) -> None:
    from oms.accounts import services as accounts
    from oms.accounts.permissions import Viewer
    from oms.app import create_app
    from oms.bulkseed import ensure_catalog, seed_orders
    from oms.catalog.models import Product, Variant
    from oms.config import Settings
    from oms.migrate import apply_all_migrations

    url = await scratch_database(args.database_url, args.db_name)
    try:
        with tempfile.TemporaryDirectory() as tmp:
            settings = Settings(
                database_url=url, secret_key=secrets.token_urlsafe(48), media_root=str(Path(tmp) / "media"),
                mail_dir=str(Path(tmp) / "maildir"), seed_demo=False, run_worker=False, rate_limits=False,
                public_url="http://bench.test", log_level="warning",
            )
            await apply_all_migrations(settings)
            app = create_app(settings)
            async with app.router.lifespan_context(app):
                if args.orders:
                    await seed_orders(args.orders, plugins=app.state.plugins, settings=settings, seed=1)
                else:
                    await ensure_catalog(plugins=app.state.plugins, settings=settings)
                staff = await accounts.create_staff(
                    email=f"bench-{secrets.token_hex(4)}@example.com", password=secrets.token_urlsafe(16),
                    superuser=True,
                )
                token = await accounts.issue_token(Viewer(staff=staff), secret=settings.secret_key, ttl_seconds=3600)
                physical = Variant.filter(archived_at=None, product__product_type="physical")
                skus = [v.sku for v in await physical.order_by("id").limit(50)]
                slugs = [p.slug for p in await Product.all().order_by("id").limit(50)]
                placed: list[str] = []
                seq = iter(range(10**9))

                async def place_order() -> None:
                    n = next(seq)
                    first, second = random.sample(skus, 2)
                    data = await asgi_graphql(app, PLACE_ORDER, {"input": {
                        "lines": [{"sku": first, "quantity": 1}, {"sku": second, "quantity": 2}],
                        "email": f"c-{n}@bench.test", "shippingAddress": ADDRESS, "shippingMethod": "standard",
                        "idempotencyKey": f"cycles-{secrets.token_hex(4)}-{n}",
                    }})
                    payload = data["placeOrder"]
                    if payload["userErrors"]:
                        raise RuntimeError(payload["userErrors"])
                    placed.append(payload["order"]["id"])

                async def mark_paid() -> None:
                    if not placed:
                        await place_order()
                    data = await asgi_graphql(app, MARK_PAID, {"id": placed.pop()}, token)
                    if data["markOrderPaid"]["userErrors"]:
                        raise RuntimeError(data["markOrderPaid"]["userErrors"])

                async def orders_page() -> None:
                    await asgi_graphql(app, STAFF_LIST, {}, token)

                async def product_page() -> None:
                    await asgi_graphql(app, PRODUCT_PAGE, {"slug": random.choice(slugs)})

                kinds: dict[str, Callable[[], Awaitable[None]]] = {
                    "placeOrder": place_order, "markOrderPaid": mark_paid,
                    "orders page": orders_page, "product page": product_page,
                }
                print(f"objects left in reference cycles per request ({args.orders} orders seeded, "
                      f"mean of {args.repeat} after {args.warmup} warm-up; load {os.getloadavg()[0]:.2f})")
                for kind, request in kinds.items():
                    for _ in range(args.warmup):
                        if kind == "markOrderPaid":
                            await place_order()
                        await request()
                    totals: collections.Counter[str] = collections.Counter()
                    garbage: list[Any] = []
                    for _ in range(args.repeat):
                        if kind == "markOrderPaid":
                            await place_order()
                        garbage = await probe(request)
                        totals.update(type_name(obj) for obj in garbage)
                    count = sum(totals.values()) / args.repeat
                    top = ", ".join(f"{name} {n / args.repeat:g}" for name, n in totals.most_common(args.top))
                    print(f"  {kind:14} {count:7.1f}  {top}")
                    if args.cycles:
                        show_cycles(garbage)
                    for wanted in args.cycle:
                        show_cycle(garbage, wanted)
                    del garbage
    finally:
        await drop_database(args.database_url, args.db_name)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", default=os.environ.get("OMS_TEST_DATABASE_URL", DEFAULT_PG))
    parser.add_argument("--db-name", default="oms_bench_cycles")
    parser.add_argument("--orders", type=int, default=300, help="orders to seed")
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--top", type=int, default=12, help="types to list per kind")
    parser.add_argument("--cycle", action="append", default=[], metavar="TYPE",
                        help="print a shortest cycle through one garbage object of TYPE (repeatable)")
    parser.add_argument("--cycles", action="store_true",
                        help="print each reference cycle of the last probe of each kind (its types, one loop)")
    asyncio.run(bench(parser.parse_args(argv)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
