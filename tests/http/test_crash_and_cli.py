"""The command line against a real reference backend: enroll, sync --once, status, report, SIGKILL."""

from __future__ import annotations

import contextlib
import io
import json
import os
import signal
import sqlite3
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from kiosk.cli.main import main
from kiosk.storage import open_database
from kiosk.storage.bulk import save_many, synthetic_drafts
from kiosk.storage.outbox import Outbox
from kiosk_hub.cli import main as hub_main
from kiosk_hub.reference.server import Faults, ReferenceBackend
from tests.conftest import REPO

from .conftest import TOKEN

ENV = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}


def kiosk(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "kiosk", *args],
        cwd=REPO,
        env=ENV,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
    )


def write_config(tmp_path: Path, url: str | None, **sync: object) -> Path:
    lines = ["[device]", f'data_dir = "{tmp_path / "kiosk"}"', "[sync]"]
    if url:
        lines.append(f'backend_url = "{url}"')
    settings = {"backoff_base_s": 0.05, "backoff_cap_s": 0.2, "connect_timeout_s": 1.0, **sync}
    lines += [f"{key} = {value!r}" for key, value in settings.items()]
    path = tmp_path / "kiosk.toml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def seed(tmp_path: Path, count: int) -> None:
    (tmp_path / "kiosk").mkdir(exist_ok=True)
    database = open_database(tmp_path / "kiosk" / "kiosk.sqlite3")
    save_many(database, synthetic_drafts(count, seed=count))
    database.close()


def files_containing(root: Path, needle: bytes, skip: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file() and p != skip and needle in p.read_bytes()]


def run_cli(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, *args: str, stdin: str = ""
) -> tuple[int, str, str]:
    """`kiosk ARGS` in this process (what the console script runs), with its exit code and output.

    `kiosk reference-backend` runs `kiosk-hub reference-backend` as a child; here its main runs."""
    monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    code = hub_main(list(args)) if args[:1] == ("reference-backend",) else main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_enroll_sync_once_status_and_report_without_the_token_leaking(
    tmp_path: Path,
    backend: ReferenceBackend,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    seed(tmp_path, 120)
    url = backend.url
    config = str(write_config(tmp_path, None))
    outputs: list[str] = []

    def cli(*args: str, stdin: str = "") -> tuple[int, str, str]:
        code, out, err = run_cli(capsys, monkeypatch, *args, stdin=stdin)
        outputs.extend((out, err))
        return code, out, err

    code, out, _ = cli("status", "--config", config)
    before = json.loads(out)["sync"]
    assert before["configured"] is False and "no backend URL" in before["off_reason"]
    assert before["queued"] == 120

    code, _, err = cli("enroll", "--backend", url, "--config", config, stdin="short\n")
    assert code == 2 and "16 or more characters" in err
    code, out, err = cli("enroll", "--backend", url, "--config", config, stdin=TOKEN + "\n")
    assert code == 0, err
    keyring_file = tmp_path / "kiosk" / "credentials" / "keyring.json"
    assert stat.S_IMODE(keyring_file.stat().st_mode) == 0o600
    assert stat.S_IMODE(keyring_file.parent.stat().st_mode) == 0o700

    code, out, err = cli("sync", "--once", "--config", config)
    assert code == 0, err
    summary = json.loads(out)
    assert (summary["state"], summary["sent"], summary["remaining"]) == ("done", 120, 0)
    assert summary["heartbeat"] == "acknowledged"

    code, out, _ = cli("status", "--config", config)
    after = json.loads(out)["sync"]
    assert after["configured"] is True and after["backend_url"] == url
    assert (after["queued"], after["sent"], after["quarantined"]) == (0, 120, 0)
    assert after["oldest_unsent_age_s"] is None and after["last_success_at"]

    code, out, _ = cli("reference-backend", "report", "--db", str(backend.store.path))
    report = json.loads(out)
    assert report["distinct_response_ids"] == report["responses_stored"] == 120
    assert report["heartbeats"] == 1 and report["last_heartbeat"]["queue_depth"] == 0

    assert all(TOKEN not in text for text in outputs)
    # Only the keyring file holds it (mode 0600); no log, database, pack or report does.
    assert files_containing(tmp_path, TOKEN.encode(), skip=keyring_file) == []
    assert TOKEN.encode() in keyring_file.read_bytes()


def test_sync_once_with_the_backend_down_exits_non_zero_with_a_summary(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    seed(tmp_path, 10)
    down = "http://127.0.0.1:9"  # the discard port: nothing listens
    config = str(write_config(tmp_path, down))
    assert run_cli(capsys, monkeypatch, "enroll", "--backend", down, "--config", config,
                   stdin=TOKEN)[0] == 0  # fmt: skip
    code, out, _ = run_cli(capsys, monkeypatch, "sync", "--once", "--max-failures", "2",
                           "--config", config)  # fmt: skip
    assert code == 1
    summary = json.loads(out)
    assert (summary["state"], summary["remaining"], summary["failures"]) == ("incomplete", 10, 2)
    assert "connection failed" in summary["last_error"]


@pytest.mark.slow
def test_a_sigkilled_sync_loses_nothing_and_duplicates_nothing(
    tmp_path: Path,
    backend: ReferenceBackend,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    seed(tmp_path, 1000)
    backend.faults = Faults(latency_s=0.3)
    config = str(write_config(tmp_path, backend.url, batch_max_count=100))
    enrolled = run_cli(capsys, monkeypatch, "enroll", "--backend", backend.url, "--config", config,
                       stdin=TOKEN)  # fmt: skip
    assert enrolled[0] == 0
    # A separate process, so it can be killed like a kiosk losing power.
    first = subprocess.Popen(
        [sys.executable, "-m", "kiosk", "sync", "--once", "--config", config],
        cwd=REPO, env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    store = tmp_path / "kiosk" / "kiosk.sqlite3"

    def states() -> dict[str, int]:
        # Read-only, alongside the writer (WAL).
        with contextlib.closing(sqlite3.connect(f"file:{store}?mode=ro", uri=True)) as peek:
            return dict(peek.execute("SELECT state, count(*) FROM outbox GROUP BY state"))

    # Kill it once three batches are settled and the fourth is on the wire (the server holds
    # each request 300 ms, so "sending" seen here means mid-request).
    deadline = time.monotonic() + 30
    while not (states().get("sent", 0) >= 300 and states().get("sending", 0) == 100):
        assert time.monotonic() < deadline and first.poll() is None
        time.sleep(0.01)
    first.send_signal(signal.SIGKILL)
    assert first.wait(timeout=10) == -signal.SIGKILL

    database = open_database(tmp_path / "kiosk" / "kiosk.sqlite3")
    try:
        outbox = Outbox(database)
        interrupted = outbox.open_batch()
        summary = outbox.summary()
    finally:
        database.close()
    assert interrupted is not None and summary.sending == len(interrupted.responses) == 100
    assert 300 <= summary.sent < 1000

    backend.faults = Faults()
    again = kiosk("sync", "--once", "--config", config)
    assert again.returncode == 0, again.stderr
    report = backend.store.report()
    assert report["distinct_response_ids"] == report["responses_stored"] == 1000
    assert report["batches_received"] == 10
    assert report["duplicate_deliveries_absorbed"] >= 0
    database = open_database(tmp_path / "kiosk" / "kiosk.sqlite3")
    try:
        assert Outbox(database).summary().sent == 1000
    finally:
        database.close()
    # The restart resent the interrupted batch under its own id.
    with backend.store._lock:
        ids = {row[0] for row in backend.store._db.execute("SELECT batch_id FROM deliveries")}
    assert interrupted.id in ids
