"""Retention purge benchmark: how long the daily purge holds the UI thread, against one save.

Run: `QT_QPA_PLATFORM=offscreen .venv/bin/python bench/purge.py [--responses N]`.
Fills a real SQLite store with N responses (a year of a busy lobby is ~20,000), a third of them
acknowledged long ago and with sealed contact details, then times the purge that removes them and
an ordinary visitor's save in the same run. Prints both and their ratio. The purge runs on the UI
thread only between visitors; the goal is that it stays under 1 s (a tap is not delayed by it
because nobody is at the kiosk), i.e. well under ~100 saves.
"""

from __future__ import annotations

import argparse
import contextlib
import sqlite3
import statistics
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))  # the checkout, also when the package is not installed

from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey  # noqa: E402

from kiosk.core.records import Answer, ResponseDraft  # noqa: E402
from kiosk.privacy.sealing import seal  # noqa: E402
from kiosk.storage import Repository, open_database  # noqa: E402
from kiosk.storage.abuse import AbuseRules  # noqa: E402

T0 = datetime(2025, 1, 1, tzinfo=UTC)


def draft(at: datetime, contact: bytes | None) -> ResponseDraft:
    return ResponseDraft(
        id=str(uuid.uuid4()),
        form_id="open-opinion",
        form_version=1,
        form_hash="ab" * 32,
        content_version="c0ffee",
        language="ko",
        status="complete",
        started_at=at - timedelta(minutes=3),
        submitted_at=at,
        answers=(Answer("topic", "peace"), Answer("opinion", f"의견 {uuid.uuid4()} " * 8)),
        text_limits=(("opinion", 1000),),
        contact_ciphertext=contact,
    )


def stamp(moment: datetime) -> str:
    return moment.isoformat(timespec="microseconds")


def fill(path: Path, count: int, blob: bytes) -> list[str]:
    """Write count responses in one transaction (as the repository lays them out); a third old,
    acknowledged and with a sealed contact. Returns the ids of that third."""
    old_ids = []
    responses, answers, outbox, contacts = [], [], [], []
    acknowledged = stamp(T0 + timedelta(days=1))
    for index in range(count):
        rid, at = str(uuid.uuid4()), stamp(T0 + timedelta(minutes=20 * index))
        old = index % 3 == 0
        responses.append(
            (rid, "open-opinion", 1, "ab" * 32, "c0ffee", "ko", "complete", at, at, "d")
        )
        answers.append((rid, "topic", 0, '"peace"'))
        answers.append((rid, "opinion", 1, f'"의견 {uuid.uuid4()} "' * 8))
        outbox.append(
            (rid, "sent" if old else "queued", 0, None, None, acknowledged if old else at)
        )
        if old:
            contacts.append((rid, blob, at))
            old_ids.append(rid)
    with contextlib.closing(sqlite3.connect(path)) as connection, connection:
        # Columns named: later migrations add columns (receipt, next_attempt_at, ...).
        connection.executemany(
            "INSERT INTO responses (id, form_id, form_version, form_hash, content_version,"
            " language, status, started_at, submitted_at, device_id)"
            f" VALUES ({','.join('?' * 10)})",
            responses,
        )
        connection.executemany(
            "INSERT INTO answers (response_id, question_id, position, value_json) VALUES (?,?,?,?)",
            answers,
        )
        connection.executemany(
            "INSERT INTO outbox (response_id, state, attempts, batch_id, last_error, updated_at)"
            " VALUES (?,?,?,?,?,?)",
            outbox,
        )
        connection.executemany(
            "INSERT INTO contacts (response_id, ciphertext, created_at) VALUES (?,?,?)", contacts
        )
    return old_ids


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--responses", type=int, default=20_000)
    args = parser.parse_args()
    key = X25519PrivateKey.generate().public_key()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "kiosk.sqlite3"
        database = open_database(path)
        clock_now = [T0]
        repository = Repository(database, lambda: clock_now[0], AbuseRules(0, 0, 1000, 1000.0))
        old_ids = fill(path, args.responses, seal(key, b'{"email": "x@example.com"}'))
        saves = []
        clock_now[0] = T0 + timedelta(days=900)
        for _ in range(20):
            started = time.perf_counter()
            repository.save_response(draft(clock_now[0], None))
            saves.append(time.perf_counter() - started)
        save_s = statistics.median(saves)
        started = time.perf_counter()
        report = repository.purge(contact_days=365, sent_days=90)
        purge_s = time.perf_counter() - started
        database.close()
    print(f"store: {args.responses} responses, {len(old_ids)} acknowledged with sealed contacts")
    print(f"purge removed {report.contacts} contact(s) and {report.responses} response(s)")
    print(f"purge:            {purge_s * 1000:8.1f} ms")
    print(f"one save (median): {save_s * 1000:7.1f} ms")
    print(f"per removed response: {purge_s / max(report.responses, 1) * 1000:.3f} ms")
    print(f"ratio purge / save: {purge_s / save_s:.0f}")


if __name__ == "__main__":
    main()
