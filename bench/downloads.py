"""Benchmark GET /downloads/{token}: a 1 GiB file streamed by a real uvicorn, against a
plain read of the same file in the same run, and the server's memory while it streams.

    .venv/bin/python bench/downloads.py                      # 1 GiB, SQLite, ~1 min
    .venv/bin/python bench/downloads.py --size-mb 64 --repeat 1
    .venv/bin/python bench/downloads.py --database-url postgres://postgres@127.0.0.1:5432/postgres

Setup (not timed): a file of ``--size-mb`` MiB of random bytes (``os.urandom``, written
and fsynced: no sparse file, no writeback during the timing) under a temporary
OMS_MEDIA_ROOT; a fresh database (a temporary SQLite file, or with ``--database-url`` a
new PostgreSQL database on that server, dropped at the end), migrated, with a staff
account (``oms create-staff``). Then ONE server process, ``uvicorn --factory
oms.app:create_app`` (tests/live_server.py; one process, no worker children, the job
worker in-process as in ``oms serve``), and through its GraphQL: a digital product whose
``file`` is that file, a guest order for it, ``markOrderPaid`` as staff; the job worker
delivers the line and the order's ``downloads { url }`` gives the signed URL.

Timed, ``--repeat`` times, alternating, with the file in the page cache (it is read once
first, untimed; 24 GB of RAM here, so it stays there):
- baseline: ``open(path, "rb")`` and ``read(1 MiB)`` until the end, in this process;
- download: ``httpx.Client.stream("GET", url)``, ``iter_raw()`` counting the bytes, the
  total checked against the file size and Content-Length. A thread samples the server
  process's VmRSS (/proc/<pid>/status) every 50 ms: growth = peak during the download
  minus the value just before it.
Printed: MB/s of each (MB = 10^6 bytes), the download/baseline ratio of the medians
(target >= 0.5), the largest RSS growth of all downloads (target < 50 MB), CPU seconds of
this process (the client) and of the server during each download. Then a Range request of
the last 100 MiB (``Range: bytes=N-``): status 206, time, bytes compared with the file.
Every GET counts against the grant's limit (set to 100), so the check at the end is that
the grant counted exactly the requests made. ``--curl`` adds a ``curl -o /dev/null``
download of the same URL (a client costing far less CPU than httpx), and ``--cold`` one
more plain read and download each with the file first evicted from the page cache
(``posix_fadvise(DONTNEED)``), for comparison; neither is the target's figure.
See docs/performance.md ("Downloads").
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import datetime as dt
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # for tests.live_server when run as a script

import httpx  # noqa: E402

from oms.testing import create_postgres_database, drop_postgres_database  # noqa: E402
from tests.live_server import STAFF_EMAIL, STAFF_PASSWORD, create_staff, live_server, migrate, sql_rows  # noqa: E402
from bench.common import CREATE_PRODUCT, LOGIN, MARK_PAID, gql, ok  # noqa: E402

MiB = 1024 * 1024
MB = 1_000_000
SKU = "BENCH-DOWNLOAD"
RELATIVE = "bench/bench-download.bin"  # under OMS_MEDIA_ROOT
THROUGHPUT_TARGET = 0.5  # download / plain read
RSS_TARGET_MB = 50
RANGE_MIB = 100

PLACE_ORDER = """mutation($input: PlaceOrderInput!) {
  placeOrder(input: $input) { order { id } orderToken userErrors { field code message } } }"""
DOWNLOADS = """query($t: String) { order(token: $t) { status fulfillments { details {
  ... on DigitalDelivery { downloads { url downloadsRemaining } } } } } }"""


# -- setup ----------------------------------------------------------------------------------------


def write_file(path: Path, size_mib: int) -> None:
    """Random bytes, so nothing on the way (disk, page cache, TCP) can shortcut them."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "wb") as out:
        for _ in range(size_mib):
            out.write(os.urandom(MiB))
        out.flush()
        os.fsync(out.fileno())


async def download_path(server_url: str) -> str:
    """Create the product, buy it as a guest, have staff mark it paid, and wait for the
    server's job worker to deliver it: the path of the signed download URL."""
    async with httpx.AsyncClient(base_url=server_url, timeout=60) as http:
        staff = (await gql(http, LOGIN, {"e": STAFF_EMAIL, "p": STAFF_PASSWORD}))["login"]["token"]
        ok((await gql(http, CREATE_PRODUCT, {"input": {
            "name": "Bench download", "productType": "digital", "variants": [{
                "sku": SKU, "price": "9.99", "attributes": {
                    "file": RELATIVE, "file_name": "bench-download.bin",
                    "content_type": "application/octet-stream", "download_limit": 100}}]}},
            staff))["createProduct"], "createProduct")
        placed = ok((await gql(http, PLACE_ORDER, {"input": {
            "lines": [{"sku": SKU, "quantity": 1}], "email": "buyer@example.com",
            "idempotencyKey": f"bench-downloads-{uuid.uuid4().hex}"}}))["placeOrder"], "placeOrder")
        ok((await gql(http, MARK_PAID, {"id": placed["order"]["id"]}, staff))["markOrderPaid"], "markOrderPaid")
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            order = (await gql(http, DOWNLOADS, {"t": placed["orderToken"]}))["order"]
            for fulfillment in order["fulfillments"]:
                for grant in (fulfillment["details"] or {}).get("downloads") or []:
                    return urlsplit(grant["url"]).path
            await asyncio.sleep(0.2)
    raise RuntimeError("the job worker did not deliver the order within 30 s")


# -- measuring ------------------------------------------------------------------------------------


def rss_bytes(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    raise RuntimeError(f"no VmRSS for pid {pid}")


def cpu_seconds(pid: int) -> float:
    """User + system CPU of a process, all its threads."""
    raw = Path(f"/proc/{pid}/stat").read_text()
    fields = raw[raw.rindex(")") + 2:].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        found += [int(c) for c in (task / "children").read_text().split()]
    return found


class RssSampler:
    """VmRSS of ``pid`` every ``interval`` seconds in a thread, while in the ``with``."""

    def __init__(self, pid: int, interval: float = 0.05):
        self.pid, self.interval = pid, interval
        self.before = self.peak = 0
        self.samples = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            self.peak = max(self.peak, rss_bytes(self.pid))
            self.samples += 1

    def __enter__(self) -> RssSampler:
        self.before = self.peak = rss_bytes(self.pid)
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, rss_bytes(self.pid))

    @property
    def growth(self) -> int:
        return self.peak - self.before


def plain_read(path: Path) -> tuple[float, int]:
    began = time.perf_counter()
    total = 0
    with open(path, "rb") as source:
        while chunk := source.read(MiB):
            total += len(chunk)
    return time.perf_counter() - began, total


def download(url: str, server_pid: int, size: int) -> dict:
    with httpx.Client(timeout=600) as http:
        http.get(url.rsplit("/downloads/", 1)[0] + "/healthz")  # connect before the clock starts
        with RssSampler(server_pid) as rss:
            cpu_app, cpu_client = cpu_seconds(server_pid), time.process_time()
            began = time.perf_counter()
            total = 0
            with http.stream("GET", url) as response:
                if response.status_code != 200:
                    raise RuntimeError(f"GET /downloads: HTTP {response.status_code}: {response.read()[:200]!r}")
                length = int(response.headers["content-length"])
                for chunk in response.iter_raw():
                    total += len(chunk)
            seconds = time.perf_counter() - began
            cpu_app, cpu_client = cpu_seconds(server_pid) - cpu_app, time.process_time() - cpu_client
    if total != size or length != size:
        raise RuntimeError(f"downloaded {total} bytes (Content-Length {length}), the file has {size}")
    return {"seconds": seconds, "rss": rss, "cpu_app": cpu_app, "cpu_client": cpu_client}


def range_request(url: str, path: Path, size: int, tail: int) -> tuple[int, float, bool]:
    with httpx.Client(timeout=600) as http:
        http.get(url.rsplit("/downloads/", 1)[0] + "/healthz")
        began = time.perf_counter()
        body = bytearray()
        with http.stream("GET", url, headers={"Range": f"bytes={size - tail}-"}) as response:
            for chunk in response.iter_raw():
                body += chunk
        seconds = time.perf_counter() - began
    with open(path, "rb") as source:
        source.seek(size - tail)
        same = source.read() == body
    return response.status_code, seconds, same


def curl(url: str, server_pid: int, size: int) -> tuple[float, float]:
    """Seconds (curl's own time_total) and server CPU seconds of one curl download."""
    cpu_app = cpu_seconds(server_pid)
    done = subprocess.run(["curl", "-sS", "-o", "/dev/null", "-w", "%{time_total} %{size_download}", url],
                          capture_output=True, text=True, check=True)
    seconds, total = done.stdout.split()
    if int(total) != size:
        raise RuntimeError(f"curl downloaded {total} bytes, the file has {size}")
    return float(seconds), cpu_seconds(server_pid) - cpu_app


def evict(path: Path) -> None:
    """Drop the (clean) file's pages from the page cache; no root needed."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
    finally:
        os.close(fd)


def rate(size: int, seconds: float) -> float:
    return size / MB / seconds


# -- the run --------------------------------------------------------------------------------------


@contextlib.asynccontextmanager
async def database(base: str | None, folder: Path):
    if base is None:
        yield f"sqlite://{folder / 'oms-bench.sqlite3'}"
        return
    url = await create_postgres_database(base)
    try:
        yield url
    finally:
        await drop_postgres_database(base, url)


async def bench(args: argparse.Namespace) -> int:
    size = args.size_mb * MiB
    tail = min(RANGE_MIB * MiB, size // 2)
    folder = Path(tempfile.mkdtemp(prefix="oms-bench-downloads-", dir=args.tmp_dir))
    media = folder / "media"
    path = media / RELATIVE
    failed = False
    try:
        began = time.monotonic()
        write_file(path, args.size_mb)
        print(f"{dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC; {os.cpu_count()} CPUs, load average"
              f" {' '.join(f'{x:.1f}' for x in os.getloadavg())}; file {args.size_mb} MiB of random bytes"
              f" ({time.monotonic() - began:.1f} s to write and fsync), {folder}", flush=True)
        async with database(args.database_url, folder) as url:
            await migrate(url)
            await asyncio.to_thread(create_staff, url)
            async with live_server(url, env={"OMS_MEDIA_ROOT": str(media)}, log_dir=folder) as server:
                pid = server.process.pid
                target = server.url + await download_path(server.url)
                kids = children(pid)
                print(f"server: uvicorn pid {pid} ({'SQLite' if args.database_url is None else 'PostgreSQL'},"
                      f" job worker in-process), child processes: {kids or 'none'}; RSS"
                      f" {rss_bytes(pid) / MB:.1f} MB after setup", flush=True)
                if kids:
                    print("  WARNING: the server has child processes; only the parent's RSS is sampled")
                seconds, _ = await asyncio.to_thread(plain_read, path)
                print(f"page cache warmed: file read once untimed ({rate(size, seconds):.0f} MB/s)."
                      " Every figure below is with the file in the page cache.", flush=True)

                reads: list[float] = []
                downloads: list[dict] = []
                for run in range(1, args.repeat + 1):
                    seconds, total = await asyncio.to_thread(plain_read, path)
                    assert total == size
                    reads.append(seconds)
                    got = await asyncio.to_thread(download, target, pid, size)
                    downloads.append(got)
                    rss = got["rss"]
                    print(f"run {run}: plain read {rate(size, seconds):7.0f} MB/s ({seconds:.2f} s) |"
                          f" download {rate(size, got['seconds']):6.0f} MB/s ({got['seconds']:.2f} s),"
                          f" server RSS {rss.before / MB:.1f} -> peak {rss.peak / MB:.1f} MB"
                          f" (+{rss.growth / MB:.1f}, {rss.samples} samples), CPU s: server"
                          f" {got['cpu_app']:.2f}, client {got['cpu_client']:.2f}", flush=True)

                status, seconds, same = await asyncio.to_thread(range_request, target, path, size, tail)
                range_ok = status == 206 and same
                failed |= not range_ok
                print(f"range: last {tail // MiB} MiB (bytes={size - tail}-): HTTP {status},"
                      f" {seconds * 1000:.0f} ms ({rate(tail, seconds):.0f} MB/s),"
                      f" bytes {'identical to the file' if same else 'DIFFERENT from the file'}", flush=True)
                requests = args.repeat + 1
                if args.curl and shutil.which("curl"):
                    seconds, cpu_app = await asyncio.to_thread(curl, target, pid, size)
                    requests += 1
                    print(f"curl -o /dev/null (warm): {rate(size, seconds):.0f} MB/s ({seconds:.2f} s),"
                          f" CPU s: server {cpu_app:.2f}", flush=True)
                if args.cold:
                    evict(path)
                    seconds, _ = await asyncio.to_thread(plain_read, path)
                    evict(path)
                    got = await asyncio.to_thread(download, target, pid, size)
                    requests += 1
                    print(f"cold cache (posix_fadvise DONTNEED before each; not the target's figure):"
                          f" plain read {rate(size, seconds):.0f} MB/s | download"
                          f" {rate(size, got['seconds']):.0f} MB/s, ratio {seconds / got['seconds']:.2f},"
                          f" server RSS +{got['rss'].growth / MB:.1f} MB", flush=True)

                (count,), = await sql_rows(url, "SELECT download_count FROM digital_download_grant")
                if count != requests:
                    failed = True
                    print(f"grant: FAILED: download_count {count}, {requests} GET requests made")
                else:
                    print(f"grant: download_count {count} = the {requests} GET requests made")
                logged = [line for line in server.log().splitlines() if line.strip()]
                if logged:
                    print(f"server log: {len(logged)} lines:\n  " + "\n  ".join(logged[:5]))
                    failed |= "Traceback" in server.log()
    finally:
        shutil.rmtree(folder, ignore_errors=True)

    read_mbs = statistics.median(rate(size, s) for s in reads)
    down_mbs = statistics.median(rate(size, d["seconds"]) for d in downloads)
    ratio = down_mbs / read_mbs
    growth = max(d["rss"].growth for d in downloads) / MB
    met_rate, met_rss = ratio >= THROUGHPUT_TARGET, growth < RSS_TARGET_MB
    runs = f"{args.repeat} run{'s' if args.repeat > 1 else ''}"
    print(f"\nSummary ({args.size_mb} MiB, {runs}, medians, page cache warm)")
    print(f"  plain read (baseline)  {read_mbs:8.0f} MB/s")
    print(f"  GET /downloads         {down_mbs:8.0f} MB/s   ratio {ratio:.2f}"
          f"   (target >= {THROUGHPUT_TARGET}: {'PASS' if met_rate else 'FAIL'})")
    print(f"  server RSS growth      {growth:8.1f} MB     (largest of the runs; target < {RSS_TARGET_MB} MB:"
          f" {'PASS' if met_rss else 'FAIL'})")
    print(f"  range (last {tail // MiB} MiB)    {'206, bytes match' if range_ok else 'FAILED'}")
    return 1 if failed else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--size-mb", type=int, default=1024, help="file size in MiB (default 1024: 1 GiB)")
    parser.add_argument("--repeat", type=int, default=3, help="plain read + download pairs (default 3)")
    parser.add_argument("--database-url", default=None,
                        help="a PostgreSQL server URL (a fresh database is created next to it and dropped);"
                             " default: a temporary SQLite file")
    parser.add_argument("--tmp-dir", default=None, help="where to put the file and the database (default: $TMPDIR)")
    parser.add_argument("--curl", action="store_true", help="also download once with curl -o /dev/null")
    parser.add_argument("--cold", action="store_true",
                        help="also one plain read and one download with the file evicted from the page cache")
    args = parser.parse_args(argv)
    if args.size_mb < 2 or args.repeat < 1:
        parser.error("--size-mb must be at least 2 and --repeat at least 1")
    if args.database_url is not None and not args.database_url.startswith(("postgres://", "postgresql://")):
        parser.error("--database-url must be a PostgreSQL URL (SQLite is the default)")
    return asyncio.run(bench(args))


if __name__ == "__main__":
    sys.exit(main())
