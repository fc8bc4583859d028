"""Answers outside the protocol (a 404 page, a redirect, a gateway error) keep the queue intact;
413 splits batches; a 400 bisects down to the responses it refuses; staff can requeue."""

from __future__ import annotations

import gzip
import json
import threading
import time
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from kiosk.storage import open_database
from kiosk.storage.bulk import save_many, synthetic_drafts
from kiosk.storage.outbox import Outbox
from kiosk_hub.reference.server import ReferenceBackend

from .conftest import TOKEN, EngineFactory
from .test_crash_and_cli import run_cli, write_config

# (status, headers, body) for a batch of responses; None: accept every response.
Answer = tuple[int, dict[str, str], bytes] | None
Rule = Callable[[list[dict[str, Any]]], Answer]

PROXY_404 = b"<!DOCTYPE html><html><body><h1>404 Not Found</h1>nginx</body></html>"


class ScriptedServer:
    """A stdlib HTTP server on loopback that answers batches by a rule (the wrong servers and
    strict servers of these tests); it records the size of every batch it was sent."""

    def __init__(self, rule: Rule) -> None:
        self.rule = rule
        self.batches: list[int] = []
        self.heartbeats: list[dict[str, Any]] = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *_args: object) -> None:
                pass

            def do_GET(self) -> None:
                self._send(404, {"Content-Type": "text/html"}, PROXY_404)

            def do_POST(self) -> None:
                raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                if self.headers.get("Content-Encoding") == "gzip":
                    raw = gzip.decompress(raw)
                document = json.loads(raw)
                if self.path.endswith("/heartbeat"):
                    outer.heartbeats.append(document)
                    self._send(204, {}, b"")
                    return
                responses = document["responses"]
                outer.batches.append(len(responses))
                answer = outer.rule(responses)
                if answer is None:
                    verdicts = [
                        {"response_id": r["id"], "verdict": "accepted", "reason": None}
                        for r in responses
                    ]
                    body = json.dumps({"batch_id": document["batch_id"], "verdicts": verdicts})
                    answer = (200, {"Content-Type": "application/json"}, body.encode())
                self._send(*answer)

            def _send(self, status: int, headers: dict[str, str], body: bytes) -> None:
                self.send_response(status)
                for key, value in headers.items():
                    self.send_header(key, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()


@pytest.fixture
def scripted() -> Iterator[Callable[[Rule], ScriptedServer]]:
    servers: list[ScriptedServer] = []

    def make(rule: Rule) -> ScriptedServer:
        servers.append(ScriptedServer(rule))
        return servers[-1]

    yield make
    for server in servers:
        server.stop()


def problem(status: int, detail: str, **extra: Any) -> Answer:
    body = {"type": "about:blank", "title": detail, "status": status, "detail": detail, **extra}
    return status, {"Content-Type": "application/problem+json"}, json.dumps(body).encode()


def store_with(tmp_path: Path, count: int, seed: int = 5) -> Path:
    (tmp_path / "kiosk").mkdir(exist_ok=True)
    database = open_database(tmp_path / "kiosk" / "kiosk.sqlite3")
    save_many(database, synthetic_drafts(count, seed=seed))
    database.close()
    return tmp_path / "kiosk" / "kiosk.sqlite3"


def enroll(tmp_path: Path, url: str, capsys: Any, monkeypatch: Any) -> str:
    config = str(write_config(tmp_path, url))
    code, _, err = run_cli(capsys, monkeypatch, "enroll", "--backend", url, "--config", config,
                           stdin=TOKEN)  # fmt: skip
    assert code == 0, err
    return config


def test_a_404_proxy_page_quarantines_nothing_and_sync_once_fails_then_staff_see_why(
    tmp_path: Path,
    scripted: Callable[[Rule], ScriptedServer],
    backend: ReferenceBackend,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    store_with(tmp_path, 555)
    proxy = scripted(lambda _batch: (404, {"Content-Type": "text/html"}, PROXY_404))
    config = enroll(tmp_path, proxy.url, capsys, monkeypatch)

    code, out, _ = run_cli(capsys, monkeypatch, "sync", "--once", "--max-failures", "3",
                           "--config", config)  # fmt: skip

    summary = json.loads(out)
    assert code == 1 and summary["state"] == "incomplete"
    assert (summary["quarantined"], summary["remaining"], summary["sent"]) == (0, 555, 0)
    assert "HTML page" in summary["server_problem"]
    assert proxy.heartbeats and "HTML page" in proxy.heartbeats[-1]["sync_problem"]
    code, out, _ = run_cli(capsys, monkeypatch, "status", "--config", config)
    sync = json.loads(out)["sync"]
    assert sync["queued"] == 555 and sync["quarantined"] == 0
    assert "HTML page" in sync["server_problem"]

    # The right server comes back: everything goes, once, and the problem is cleared.
    config = enroll(tmp_path, backend.url, capsys, monkeypatch)
    code, out, _ = run_cli(capsys, monkeypatch, "sync", "--once", "--config", config)
    summary = json.loads(out)
    assert code == 0 and (summary["state"], summary["sent"]) == ("done", 555)
    assert summary["server_problem"] is None
    assert backend.store.report()["distinct_response_ids"] == 555


@pytest.mark.parametrize(
    ("status", "headers", "body", "says"),
    [
        (405, {"Content-Type": "application/json"}, b'{"error": "method"}', "HTTP 405"),
        (502, {"Content-Type": "text/plain"}, b"bad gateway", "gateway"),
        (504, {}, b"", "gateway"),
        (200, {"Content-Type": "text/html"}, b"<html>captive portal login</html>", "HTML page"),
        (400, {"Content-Type": "text/html"}, b"<html>Bad Request</html>", "HTML page"),
    ],
)
def test_answers_outside_the_protocol_keep_every_response_queued(
    tmp_path: Path,
    scripted: Callable[[Rule], ScriptedServer],
    make_engine: EngineFactory,
    status: int,
    headers: dict[str, str],
    body: bytes,
    says: str,
) -> None:
    database = open_database(store_with(tmp_path, 30))
    server = scripted(lambda _batch: (status, headers, body))
    engine = make_engine(database, batch=10)
    engine.client = type(engine.client)(server.url, database.device_id, TOKEN, 2.0, 5.0)

    report = engine.run_pass(time.sleep, max_failures=3)

    assert (report.quarantined, report.remaining, report.sent) == (0, 30, 0)
    assert report.server_problem is not None and says in report.server_problem
    assert engine.status("waiting", "").server_problem == report.server_problem
    database.close()


def test_a_307_redirect_is_not_followed_to_another_host(
    tmp_path: Path,
    scripted: Callable[[Rule], ScriptedServer],
    backend: ReferenceBackend,
    make_engine: EngineFactory,
) -> None:
    database = open_database(store_with(tmp_path, 12))
    elsewhere = backend.url.replace("127.0.0.1", "localhost")
    redirect = scripted(lambda _b: (307, {"Location": elsewhere + "/v1/devices/x/batches"}, b""))
    engine = make_engine(database, batch=10)
    engine.client = type(engine.client)(redirect.url, database.device_id, TOKEN, 2.0, 5.0)

    report = engine.run_pass(time.sleep, max_failures=2)

    assert (report.sent, report.quarantined, report.remaining) == (0, 0, 12)
    assert report.server_problem is not None and "redirect not followed" in report.server_problem
    assert backend.store.report()["batch_deliveries"] == 0  # nothing reached the other host
    database.close()


def test_413_splits_batches_until_they_pass_and_quarantines_nothing(
    tmp_path: Path, scripted: Callable[[Rule], ScriptedServer], make_engine: EngineFactory
) -> None:
    database = open_database(store_with(tmp_path, 100))
    server = scripted(lambda batch: problem(413, "too large") if len(batch) > 12 else None)
    engine = make_engine(database, batch=100)
    engine.client = type(engine.client)(server.url, database.device_id, TOKEN, 2.0, 5.0)

    report = engine.run_pass(time.sleep)

    assert (report.sent, report.quarantined, report.remaining) == (100, 0, 0)
    assert server.batches[:4] == [100, 50, 25, 13] and max(server.batches[4:]) <= 12
    database.close()


def test_a_400_bisects_down_to_the_one_bad_response_and_quarantines_only_it(
    tmp_path: Path, scripted: Callable[[Rule], ScriptedServer], make_engine: EngineFactory
) -> None:
    database = open_database(store_with(tmp_path, 64))
    ids = [o.id for o in Outbox(database).candidates(64)]
    poison = ids[37]
    server = scripted(
        lambda batch: problem(400, "bad answers") if any(r["id"] == poison for r in batch) else None
    )
    engine = make_engine(database, batch=64)
    engine.client = type(engine.client)(server.url, database.device_id, TOKEN, 2.0, 5.0)

    report = engine.run_pass(time.sleep)

    outbox = Outbox(database)
    assert (report.sent, report.quarantined, report.remaining) == (63, 1, 0)
    assert [q.response_id for q in outbox.quarantined()] == [poison]
    assert "bad answers" in outbox.quarantined()[0].reason
    assert len(server.batches) <= 2 * 7 + 2  # halving: a few requests per level, not one each
    database.close()


def test_a_400_naming_responses_quarantines_exactly_those(
    tmp_path: Path, scripted: Callable[[Rule], ScriptedServer], make_engine: EngineFactory
) -> None:
    database = open_database(store_with(tmp_path, 40))
    ids = [o.id for o in Outbox(database).candidates(40)]
    named = {ids[3], ids[17]}

    def rule(batch: list[dict[str, Any]]) -> Answer:
        bad = [r["id"] for r in batch if r["id"] in named]
        return problem(400, "invalid responses", response_ids=bad) if bad else None

    server = scripted(rule)
    engine = make_engine(database, batch=40)
    engine.client = type(engine.client)(server.url, database.device_id, TOKEN, 2.0, 5.0)

    report = engine.run_pass(time.sleep)

    assert (report.sent, report.quarantined, report.remaining) == (38, 2, 0)
    assert {q.response_id for q in Outbox(database).quarantined()} == named
    database.close()


def test_a_server_refusing_everything_strands_at_most_one_batch_per_pass_then_staff_requeue(
    tmp_path: Path,
    scripted: Callable[[Rule], ScriptedServer],
    backend: ReferenceBackend,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    store_with(tmp_path, 50)
    strict = scripted(lambda _batch: problem(400, "schema_version: expected 9"))
    config = enroll(tmp_path, strict.url, capsys, monkeypatch)

    code, out, _ = run_cli(capsys, monkeypatch, "sync", "--once", "--max-failures", "2",
                           "--config", config)  # fmt: skip

    summary = json.loads(out)
    assert code == 1 and summary["state"] == "quarantined"
    assert summary["quarantined"] == summary["quarantined_this_pass"] == 1
    assert summary["remaining"] == 49
    assert "second batch refused" in summary["server_problem"]

    code, out, _ = run_cli(capsys, monkeypatch, "sync", "--requeue", "--config", config)
    assert code == 0 and json.loads(out) == {"requeued": 1}
    config = enroll(tmp_path, backend.url, capsys, monkeypatch)
    code, out, _ = run_cli(capsys, monkeypatch, "sync", "--once", "--config", config)
    summary = json.loads(out)
    assert code == 0 and (summary["sent"], summary["quarantined"]) == (50, 0)


def test_the_staff_dashboard_names_the_server_problem() -> None:
    from kiosk.staff.dashboard import sync_facts
    from kiosk.sync.engine import SyncStatus

    problem_text = "HTTP 404: an HTML page, not a protocol answer"
    facts = sync_facts(SyncStatus("waiting", "", queued=5, server_problem=problem_text), [])
    assert facts.problem == problem_text and facts.queued == 5
    assert sync_facts(SyncStatus("idle", ""), []).problem == ""
