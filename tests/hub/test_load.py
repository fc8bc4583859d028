"""Load under faults: 22 kiosks upload at once to a real uvicorn on loopback while the hub drops
connections (before and after committing), answers 503 and 429, and two kiosks are SIGKILLed in
the middle of a batch and started again. Every response ends stored exactly once."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select

from kiosk.storage import Database, open_database
from kiosk.storage.bulk import save_many, synthetic_drafts
from kiosk.storage.outbox import Outbox
from kiosk.sync.client import BackendClient
from kiosk.sync.engine import Limits, SyncEngine
from kiosk_hub import devices
from kiosk_hub.db.models import DeliveryRow
from kiosk_hub.reference.server import Faults
from tests.hub.fixtures import running_hub

REPO = Path(__file__).resolve().parents[2]
THREADED_KIOSKS = 20
KILLED_KIOSKS = 2
PER_KIOSK = 150


def kiosk_store(root: Path, index: int) -> Database:
    (root / f"kiosk-{index}").mkdir()
    database = open_database(root / f"kiosk-{index}" / "kiosk.sqlite3")
    save_many(database, synthetic_drafts(PER_KIOSK, seed=100 + index))
    return database


@pytest.mark.slow
def test_twenty_kiosks_under_faults_store_every_response_exactly_once(
    tmp_path: Path, served_content: Path
) -> None:
    with running_hub(served_content, token=None) as hub:
        stores = [kiosk_store(tmp_path, i) for i in range(THREADED_KIOSKS + KILLED_KIOSKS)]
        tokens: list[str] = []
        with hub.store.sessions() as session:
            tokens = [devices.issue_token(session, f"kiosk-{i}") for i in range(len(stores))]
            session.commit()
        hub.faults = Faults(
            error_share=0.1,
            throttle_share=0.05,
            retry_after_s=0,
            drop_before_share=0.1,
            drop_after_share=0.1,
            latency_s=0.02,
            seed=13,
        )

        # Two kiosks run as `kiosk sync --once` processes and are killed mid-batch.
        configs = []
        for i in range(THREADED_KIOSKS, len(stores)):
            stores[i].close()
            config = tmp_path / f"kiosk-{i}.toml"
            config.write_text(
                f'[device]\ndata_dir = "{tmp_path / f"kiosk-{i}"}"\n'
                f"[sync]\nbatch_max_count = 10\nbackoff_base_s = 0.02\nbackoff_cap_s = 0.1\n",
                encoding="utf-8",
            )
            enrolled = subprocess.run(
                [sys.executable, "-m", "kiosk", "enroll", "--backend", hub.url,
                 "--config", str(config)],
                input=tokens[i] + "\n", capture_output=True, text=True, cwd=REPO, timeout=120,
            )  # fmt: skip
            assert enrolled.returncode == 0, enrolled.stderr
            configs.append(config)
        victims = [
            subprocess.Popen(
                [sys.executable, "-m", "kiosk", "sync", "--once", "--config", str(config)],
                cwd=REPO,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
            )
            for config in configs
        ]

        reports: list[object] = [None] * THREADED_KIOSKS
        errors: list[BaseException] = []

        def upload(index: int) -> None:
            try:
                database = stores[index]
                client = BackendClient(hub.url, database.device_id, tokens[index], 5.0, 30.0)
                engine = SyncEngine(
                    Outbox(database),
                    client,
                    Limits(random.Random(index).choice((10, 25, 50)), 5_000_000, 0.01, 0.1),
                    random.Random(index).random,
                )
                reports[index] = engine.run_pass(time.sleep, max_failures=200)
                engine.close()
            except BaseException as exc:  # surfaced below, in the test's thread
                errors.append(exc)

        threads = [threading.Thread(target=upload, args=(i,)) for i in range(THREADED_KIOSKS)]
        for thread in threads:
            thread.start()

        # Kill each process kiosk once the hub has seen a delivery of it: mid-run, mid-batch.
        victim_ids = [
            open_database_id(tmp_path / f"kiosk-{i}") for i in range(THREADED_KIOSKS, len(stores))
        ]
        deadline = time.monotonic() + 120
        killed = 0
        for process, device_id in zip(victims, victim_ids, strict=True):
            while process.poll() is None and time.monotonic() < deadline:
                with hub.store.sessions() as session:
                    seen = session.scalar(
                        select(func.count()).where(DeliveryRow.device_id == device_id)
                    )
                if seen:
                    process.send_signal(signal.SIGKILL)
                    killed += 1
                    break
                time.sleep(0.02)
            process.wait(timeout=60)
        for thread in threads:
            thread.join(timeout=180)
        assert not errors, errors
        assert killed == KILLED_KIOSKS

        hub.faults = Faults()  # the killed kiosks restart on a calm network
        for config in configs:
            again = subprocess.run(
                [sys.executable, "-m", "kiosk", "sync", "--once", "--config", str(config)],
                capture_output=True, text=True, cwd=REPO, timeout=120,
                env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
            )  # fmt: skip
            assert again.returncode == 0, again.stderr
            assert json.loads(again.stdout)["remaining"] == 0

        total = PER_KIOSK * len(stores)
        report = hub.store.report()
        for index in range(THREADED_KIOSKS):
            summary = Outbox(stores[index]).summary()
            assert (summary.sent, summary.unsent, summary.quarantined) == (PER_KIOSK, 0, 0)
            stores[index].close()
        assert report["responses_stored"] == report["distinct_response_ids"] == total
        assert report["conflicts"] == report["rejected"] == 0
        assert report["duplicate_deliveries_absorbed"] > 0  # drops after commit were absorbed
        print(
            f"\nload: {len(stores)} kiosks, {total} responses, {report['batch_deliveries']} "
            f"deliveries of {report['batches_received']} batches, "
            f"{report['duplicate_deliveries_absorbed']} duplicates absorbed, {killed} kills, "
            f"stored {report['responses_stored']} distinct {report['distinct_response_ids']}"
        )


def open_database_id(directory: Path) -> str:
    database = open_database(directory / "kiosk.sqlite3")
    try:
        return database.device_id
    finally:
        database.close()
