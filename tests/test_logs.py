"""Logs: one structured line per request and per job, request ids, formats, redaction."""

from __future__ import annotations

import asyncio
import json
import logging
import re
import subprocess
import sys
import time
from urllib.parse import urlsplit, urlunsplit

import httpx
import pytest
from starlette.applications import Starlette
from starlette.requests import ClientDisconnect, Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from oms.jobs.models import Job
from oms.jobs.registry import JobRegistry
from oms.jobs.services import enqueue, utcnow
from oms.jobs.worker import Worker
from oms.logs import JsonFormatter, RequestLog, TextFormatter, redact
from tests.live_server import _stop, free_port, server_env

LOGIN = ('mutation Login($e: String!, $p: String!) { login(email: $e, password: $p) { token userErrors { code } } }')


def request_records(caplog) -> list[dict]:
    return [r.fields for r in caplog.records if r.name == "oms.http" and r.getMessage() == "request"]


async def test_each_request_is_one_line_with_its_id_operation_status_and_duration(oms_http, caplog):
    with caplog.at_level(logging.INFO, logger="oms.http"):
        response = await oms_http.post(
            "/graphql", json={"query": "query Shop { products(first: 1) { totalCount } }"},
            headers={"X-Request-ID": "abc-123"},
        )
        other = await oms_http.post(
            "/graphql", json={"query": "{ products(first: 1) { totalCount } }", "operationName": None},
            headers={"X-Request-ID": b"bad id\r <script>\xe9"},
        )
        missing = await oms_http.get("/nowhere")
    assert response.headers["x-request-id"] == "abc-123"
    assert re.fullmatch(r"[0-9a-f]{32}", other.headers["x-request-id"])  # insane ids are replaced
    lines = request_records(caplog)
    assert len(lines) == 3
    first, second, third = lines
    assert first["request_id"] == "abc-123" and first["method"] == "POST" and first["path"] == "/graphql"
    assert first["operation"] == "Shop" and first["status"] == 200 and first["outcome"] == "ok"
    assert isinstance(first["duration_ms"], float) and first["duration_ms"] >= 0
    assert second["request_id"] == other.headers["x-request-id"] and second["operation"] is None
    assert third["status"] == 404 and third["outcome"] == "client_error" and missing.status_code == 404


async def test_the_request_id_is_on_request_state_and_a_disconnect_is_one_quiet_line(caplog):
    seen = []

    async def echo(request: Request) -> JSONResponse:
        seen.append(request.state.request_id)
        return JSONResponse({})

    async def gone(request: Request) -> JSONResponse:
        raise ClientDisconnect()

    app = RequestLog(Starlette(routes=[Route("/echo", echo), Route("/gone", gone)]))
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as client:
        with caplog.at_level(logging.INFO):
            response = await client.get("/echo", headers={"X-Request-ID": "req-7"})
            await client.get("/gone")  # nobody reads this answer: the client is gone
    assert seen == ["req-7"] and response.headers["x-request-id"] == "req-7"
    lines = request_records(caplog)
    assert [line["outcome"] for line in lines] == ["ok", "client_disconnected"]
    assert not any(r.exc_info for r in caplog.records)


def test_secrets_are_redacted_from_formatted_lines():
    record = logging.LogRecord(
        "x", logging.INFO, __file__, 1,
        'login(email: "a@b.c", password: "hunter2") {"newPassword": "n3w", "orderToken":"tok-1"} '
        "Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl "
        "postgres://oms:s3cr3t@db:5432/oms currentPassword=old token=$t",
        None, None,
    )
    for formatter in (TextFormatter(), JsonFormatter()):
        line = formatter.format(record)
        for secret in ("hunter2", "n3w", "tok-1", "eyJhbGciOiJIUzI1NiJ9", "s3cr3t", "old"):
            assert secret not in line, (secret, line)
        assert "a@b.c" in line and "$t" in line
    assert json.loads(JsonFormatter().format(record))["logger"] == "x"
    assert redact('{"password":"x\\"y"}') == '{"password":"***"}'


def test_the_quick_path_of_redact_skips_only_lines_without_a_secret():
    # redact() returns an ASCII line without a trigger word as it is (no regular
    # expressions): every secret name and every pattern must have its trigger, in any case.
    from oms.logs import _SECRET_NAMES, _TRIGGERS

    line = "request request_id=abc method=POST path=/graphql operation=Orders status=200"
    assert redact(line) is line
    for name in _SECRET_NAMES.split("|"):
        assert any(trigger in name.lower() for trigger in _TRIGGERS), name
        assert redact(f"{name.upper()}=hunter2") == f"{name.upper()}=***"
    assert redact("Bearer abc") == "Bearer ***" and "abc" not in redact("AUTHORIZATION: BEARER abc")
    assert redact("x eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl") == "x ***"
    assert redact("redis://u:pw@cache:6379") == "redis://u:***@cache:6379"
    assert redact("ſecret=hunter2 ünïcode") == "ſecret=*** ünïcode"  # not ASCII: every pass


def test_control_characters_a_client_sent_are_escaped_in_text_lines():
    # uvicorn percent-decodes the path: /x%0D%00%1B[2J arrives as CR, NUL and a terminal escape.
    path = "/downloads/a\r\x00\x1b[2J\u2028"  # no space, quote or '=' to get it quoted
    record = logging.LogRecord("oms.http", logging.INFO, __file__, 1, "request", None, None)
    record.fields = {"path": path, "status": 404}
    line = TextFormatter().format(record)
    assert line.isprintable(), repr(line)  # one line: no CR, LF, NUL, escape or separator
    assert json.loads(line.split("path=", 1)[1].rsplit(" status=", 1)[0]) == path
    assert line.endswith(" status=404")


async def test_debug_logs_graphql_bodies_without_passwords(oms_http, caplog):
    formatter = TextFormatter()
    with caplog.at_level(logging.DEBUG, logger="oms.http"):
        await oms_http.post("/graphql", json={"query": LOGIN, "variables": {"e": "a@b.c", "p": "hunter2-secret"}})
        await oms_http.post("/graphql", json={
            "query": 'mutation { login(email: "a@b.c", password: "inline-secret") { token } }'})
    bodies = [formatter.format(r) for r in caplog.records if r.getMessage().startswith("graphql body")]
    assert len(bodies) == 2 and "Login" in bodies[0]
    assert not any("hunter2-secret" in b or "inline-secret" in b for b in bodies), bodies
    assert [r.fields["operation"] for r in caplog.records if r.getMessage() == "request"] == ["Login", None]


async def test_each_job_is_one_line_with_kind_attempt_outcome_and_duration(oms_app, caplog):
    async def ok(payload):
        return None

    async def broken(payload):
        raise RuntimeError("boom")

    await enqueue("test.ok", {})
    await enqueue("test.broken", {}, max_attempts=1)
    worker = Worker(JobRegistry(handlers={"test.ok": ok, "test.broken": broken}, periodic=[]),
                    clock=lambda: utcnow())
    with caplog.at_level(logging.INFO, logger="oms.jobs"):
        await worker.run_once()
    lines = {r.fields["kind"]: r.fields for r in caplog.records if getattr(r, "fields", None)}
    ids = {job.kind: job.id for job in await Job.all()}
    assert lines["test.ok"]["outcome"] == "done" and lines["test.ok"]["job_id"] == ids["test.ok"]
    assert lines["test.ok"]["attempt"] == 1 and lines["test.ok"]["duration_ms"] >= 0
    assert lines["test.broken"]["outcome"] == "dead"


def _with_password(url: str) -> str:
    """PostgreSQL URLs get a password (trust auth ignores it), so masking can be checked."""
    if not url.startswith("postgres"):
        return url
    parts = urlsplit(url)
    user, _, host = parts.netloc.rpartition("@")
    return urlunsplit(parts._replace(netloc=f"{user or 'postgres'}:hunter2pw@{host}"))


async def test_serve_logs_json_lines_with_timestamps_and_masks_the_database_password(oms_database_url, tmp_path):
    url = _with_password(oms_database_url)
    port = free_port()
    log_path = tmp_path / "serve.log"
    env = server_env(url, {"OMS_LOG_FORMAT": "json", "OMS_LOG_LEVEL": "info"})
    with open(log_path, "w") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "oms.cli", "serve", "--port", str(port), "--log-level", "debug"],
            env=env, stdout=log, stderr=subprocess.STDOUT, cwd=tmp_path, start_new_session=True,
        )
    try:
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=5) as client:
            deadline = time.monotonic() + 60
            while True:
                assert process.poll() is None, log_path.read_text()
                try:
                    if (await client.get("/healthz")).status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                assert time.monotonic() < deadline, log_path.read_text()
                await asyncio.sleep(0.2)
            await client.post("/graphql", json={"query": LOGIN, "variables": {"e": "x@y.z", "p": "pw-in-variables"}})
            # A document that fails validation, its password written inline.
            await client.post("/graphql", json={
                "query": 'mutation { login(email: "x@y.z", password: "pw-inline-1", bogus: 1) { token } }'})
            await client.post("/graphql", json={
                "query": 'mutation { login(email: "x@y.z", password: "pw-inline-2") { tokn } }'})
            await asyncio.sleep(0.3)
    finally:
        await asyncio.to_thread(_stop, process)
    output = log_path.read_text()
    for secret in ("hunter2pw", "pw-in-variables", "pw-inline-1", "pw-inline-2"):
        assert secret not in output, secret
    entries = [json.loads(line) for line in output.splitlines() if line.startswith("{")]
    requests = [e for e in entries if e["message"] == "request" and e.get("path") == "/graphql"]
    assert requests and requests[0]["operation"] == "Login" and requests[0]["status"] == 200
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", requests[0]["time"])
    assert any(e["message"].startswith("graphql body") for e in entries)  # --log-level debug
    assert any("development mode" in e["message"] for e in entries)
    startup = [e for e in entries if e["message"].startswith("oms on ")]
    assert len(startup) == 1 and f"127.0.0.1:{port}/graphql" in startup[0]["message"]
