"""`kiosk-hub` from an IT person's shell: migrate, issue-token, serve, report; a real kiosk syncs."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from kiosk.storage import open_database
from kiosk.storage.bulk import save_many, synthetic_drafts
from kiosk_hub.reference.store import BackendStore
from kiosk_hub.settings import DATABASE_URL_ENV

REPO = Path(__file__).resolve().parents[2]


def hub_cli(
    *args: str, url: str | None = None, stdin: str | None = None
) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != DATABASE_URL_ENV}
    if url is not None:
        env[DATABASE_URL_ENV] = url
    return subprocess.run(
        [sys.executable, "-m", "kiosk_hub", *args],
        cwd=REPO, env=env, input=stdin, capture_output=True, text=True, timeout=120,
    )  # fmt: skip


def kiosk_cli(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "kiosk", *args],
        cwd=REPO, env={**os.environ, "QT_QPA_PLATFORM": "offscreen"}, input=stdin,
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def served(database_url: str, served_content: Path) -> Iterator[str]:
    """`kiosk-hub serve` as its own process on a free port; its base URL."""
    port = free_port()
    assert hub_cli("migrate", "--database-url", database_url).returncode == 0
    process = subprocess.Popen(
        [sys.executable, "-m", "kiosk_hub", "serve", "--database-url", database_url,
         "--port", str(port), "--content", str(served_content)],
        cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            requests.get(url + "/v1/devices/x/content", timeout=1)
            break
        except requests.ConnectionError:
            assert process.poll() is None, process.stderr.read() if process.stderr else ""
            assert time.monotonic() < deadline, "kiosk-hub serve did not come up"
            time.sleep(0.1)
    yield url
    process.terminate()
    _, errors = process.communicate(timeout=15)
    assert "Traceback" not in errors


def write_config(tmp_path: Path) -> Path:
    path = tmp_path / "kiosk.toml"
    path.write_text(
        f'[device]\ndata_dir = "{tmp_path / "kiosk"}"\n'
        "[sync]\nbackoff_base_s = 0.05\nbackoff_cap_s = 0.2\nconnect_timeout_s = 2.0\n",
        encoding="utf-8",
    )
    return path


def test_a_kiosk_enrolled_with_an_issued_token_syncs_to_the_hub_unchanged(
    tmp_path: Path, database_url: str, served: str
) -> None:
    (tmp_path / "kiosk").mkdir()
    database = open_database(tmp_path / "kiosk" / "kiosk.sqlite3")
    save_many(database, synthetic_drafts(150, seed=5))
    database.close()
    issued = hub_cli("issue-token", "--device", "lobby-1", url=database_url)
    assert issued.returncode == 0, issued.stderr
    token = issued.stdout.strip()
    assert issued.stdout == token + "\n" and len(token) >= 32  # the token, and nothing else

    config = str(write_config(tmp_path))
    enrolled = kiosk_cli("enroll", "--backend", served, "--config", config, stdin=token + "\n")
    assert enrolled.returncode == 0, enrolled.stderr
    synced = kiosk_cli("sync", "--once", "--config", config)
    assert synced.returncode == 0, synced.stderr
    summary = json.loads(synced.stdout)
    assert (summary["state"], summary["sent"], summary["remaining"]) == ("done", 150, 0)
    assert summary["heartbeat"] == "acknowledged"

    reported = hub_cli("report", url=database_url)
    assert reported.returncode == 0, reported.stderr
    report = json.loads(reported.stdout)
    reference = BackendStore(tmp_path / "reference.sqlite3")
    try:
        reference_keys = set(reference.report())
    finally:
        reference.close()
    assert reference_keys <= set(report)
    assert report["responses_stored"] == report["distinct_response_ids"] == 150
    assert report["heartbeats"] == 1 and report["last_heartbeat"]["queue_depth"] == 0
    listed = json.loads(hub_cli("devices", url=database_url).stdout)
    assert [(d["name"], d["queue_depth"]) for d in listed] == [("lobby-1", 0)]
    assert listed[0]["last_upload_at"] and listed[0]["app_version"]

    # Revoked: the kiosk is blocked (nothing quarantined), and says to enrol again.
    revoked = hub_cli("revoke-token", "--device", "lobby-1", url=database_url)
    assert revoked.returncode == 0, revoked.stderr
    save_database = open_database(tmp_path / "kiosk" / "kiosk.sqlite3")
    save_many(save_database, synthetic_drafts(3, seed=6))
    save_database.close()
    blocked = kiosk_cli("sync", "--once", "--max-failures", "1", "--config", config)
    assert "revoked" in blocked.stdout + blocked.stderr
    status = json.loads(kiosk_cli("status", "--config", config).stdout)["sync"]
    assert (status["quarantined"], status["queued"]) == (0, 3)
    for text in (synced.stdout, synced.stderr, reported.stdout, blocked.stdout, blocked.stderr):
        assert token not in text


def test_commands_name_what_is_missing_or_wrong(tmp_path: Path, database_url: str) -> None:
    nothing = hub_cli("report")
    assert nothing.returncode == 2 and DATABASE_URL_ENV in nothing.stderr
    wrong = hub_cli("report", "--database-url", "sqlite:///x.db")
    assert wrong.returncode == 2 and "expected postgresql://" in wrong.stderr
    unmigrated = hub_cli("report", url=database_url.replace("/hub_", "/nope_"))
    assert unmigrated.returncode == 1 and "database:" in unmigrated.stderr
    assert hub_cli("migrate", url=database_url).returncode == 0  # already at head: a no-op
    weak = hub_cli("create-user", "--name", "kim", url=database_url, stdin="short\n")
    assert weak.returncode == 2 and "at least 12 characters" in weak.stderr
    made = hub_cli(
        "create-user", "--name", "kim", url=database_url, stdin="correct horse battery\n"
    )
    assert made.returncode == 0, made.stderr
    again = hub_cli(
        "create-user", "--name", "kim", url=database_url, stdin="correct horse battery\n"
    )
    assert again.returncode == 2 and "exists already" in again.stderr
    assert hub_cli("revoke-token", "--device", "nobody", url=database_url).returncode == 1


def test_alerts_command_checks_and_lists_open_alerts(database_url: str) -> None:
    from kiosk_hub import devices
    from kiosk_hub.db import make_engine, session_factory

    engine = make_engine(database_url, pool_size=1)
    with session_factory(engine)() as session:
        token = devices.issue_token(session, "paris")
        devices.authenticate(session, f"Bearer {token}", "dev-paris")
        devices.record_heartbeat(
            session, "dev-paris", {"queue_depth": 3, "oldest_unsent_age_s": 9000}
        )
        session.commit()
    engine.dispose()
    assert json.loads(hub_cli("alerts", url=database_url).stdout) == []
    checked = hub_cli("alerts", "--check", url=database_url)
    assert checked.returncode == 0, checked.stderr
    [alert] = json.loads(checked.stdout)
    assert (alert["device_id"], alert["kind"], alert["mailed_at"]) == (
        "dev-paris",
        "queue_ageing",
        None,
    )
    no_recipient = hub_cli("alerts", "--smtp-host", "127.0.0.1", url=database_url)
    assert no_recipient.returncode == 2 and "--mail-to" in no_recipient.stderr
