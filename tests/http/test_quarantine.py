"""Conflicts and rejections end in `quarantined` with the reason; everything else keeps flowing."""

from __future__ import annotations

import dataclasses
import time
from datetime import timedelta
from pathlib import Path

from kiosk.cli.sync import status_section
from kiosk.config.settings import KioskConfig
from kiosk.core.records import Answer
from kiosk.storage import Repository, open_database
from kiosk.storage.bulk import save_many, synthetic_drafts
from kiosk.storage.outbox import Outbox
from kiosk_hub.reference.server import Faults, ReferenceBackend

from .conftest import EngineFactory

OTHER_TOKEN = "tok-other-device-5d1e9b7c"


def test_conflict_and_rejection_are_quarantined_with_the_reason_and_the_rest_is_sent(
    tmp_path: Path, backend: ReferenceBackend, make_engine: EngineFactory, config: KioskConfig
) -> None:
    drafts = synthetic_drafts(300, seed=21)
    clash, bad = drafts[10], drafts[200]
    # Another device already delivered other content under the id of `clash`: a real conflict.
    (tmp_path / "other").mkdir()
    other = open_database(tmp_path / "other" / "kiosk.sqlite3")
    save_many(other, [dataclasses.replace(clash, answers=(Answer("satisfaction", 1),))])
    backend.tokens.allow(OTHER_TOKEN, other.device_id)  # one token per device
    assert make_engine(other, token=OTHER_TOKEN).run_pass(time.sleep).sent == 1
    other.close()
    # And one response the server must reject: submitted before it was started.
    broken = dataclasses.replace(bad, started_at=bad.submitted_at + timedelta(minutes=5))
    config.data_dir.mkdir(parents=True)
    database = open_database(config.db_path)
    save_many(database, [*drafts[:200], broken, *drafts[201:]])

    report = make_engine(database, batch=50).run_pass(time.sleep)

    outbox = Outbox(database)
    summary = outbox.summary()
    assert (summary.sent, summary.quarantined, summary.unsent) == (298, 2, 0)
    assert report.remaining == 0 and report.quarantined == 2
    reasons = {q.response_id: q.reason for q in outbox.quarantined()}
    assert reasons[clash.id].startswith("conflict: the server holds other content")
    assert reasons[broken.id] == "rejected: submitted_at: earlier than started_at"
    # Kept, never deleted, and shown to staff by `kiosk status`.
    repository = Repository(database)
    kept = repository.response(clash.id)
    assert kept is not None and kept.sync_state == "quarantined"
    assert kept.answers == clash.answers
    section = status_section(config, database)
    assert {(q["response_id"], q["reason"]) for q in section["quarantined_responses"]} == set(
        reasons.items()
    )
    server = backend.store.report()
    assert (server["conflicts"], server["rejected"]) == (1, 1)
    assert server["distinct_response_ids"] == server["responses_stored"] == 299  # 298 + other's
    database.close()


def test_a_forced_conflict_quarantines_only_its_response(
    tmp_path: Path, backend: ReferenceBackend, make_engine: EngineFactory
) -> None:
    database = open_database(tmp_path / "kiosk.sqlite3")
    save_many(database, synthetic_drafts(1000, seed=4))
    backend.faults = Faults(conflict_share=0.02, error_share=0.1, seed=8)
    report = make_engine(database, batch=100).run_pass(time.sleep, max_failures=50)
    summary = Outbox(database).summary()
    server = backend.store.report()
    assert summary.quarantined == server["conflicts"] > 0
    assert summary.sent == server["distinct_response_ids"] == 1000 - summary.quarantined
    assert report.remaining == 0
    database.close()
