"""Sync throughput: 10,000 responses to the reference backend through the kiosk's worker, against
a plain `requests` loop posting the same batches, in the same run.

Run: `QT_QPA_PLATFORM=offscreen .venv/bin/python bench/sync_throughput.py [--responses N]`.
Prints responses per second for both, their ratio (goal: kiosk / plain <= 1.3) and the sync
worker's peak memory (tracemalloc, in a separate pass so tracing does not slow the timed one).

Each side gets its own reference backend process with a fresh database, so both pay for inserts
(not the cheaper duplicate path) and the server does not share a GIL with the client. The plain
loop's bodies are built and gzipped before its clock starts: it measures HTTP plus the server only.
"""

from __future__ import annotations

import argparse
import gzip
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import tracemalloc
import uuid
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))  # the checkout, also when the package is not installed

TOKEN = "bench-token-0123456789abcdef"
GOAL = 1.3


def start_backend(directory: Path, name: str) -> tuple[subprocess.Popen[str], str]:
    # The token travels in the environment, never on the command line (the process list).
    process = subprocess.Popen(
        [sys.executable, "-m", "kiosk_hub", "reference-backend", "--port", "0", "--db",
         str(directory / f"{name}.sqlite3")],
        cwd=REPO, stdout=subprocess.PIPE, text=True,
        env={**os.environ, "KIOSK_REFERENCE_TOKEN": TOKEN},
    )  # fmt: skip
    assert process.stdout is not None
    return process, process.stdout.readline().split()[-1]


def make_store(path: Path, count: int) -> None:
    from kiosk.storage import open_database
    from kiosk.storage.bulk import save_many, synthetic_drafts

    path.parent.mkdir(parents=True, exist_ok=True)
    database = open_database(path)
    save_many(database, synthetic_drafts(count, seed=1))
    database.close()


def kiosk_pass(template: Path, work: Path, url: str, batch: int, trace: bool) -> tuple[float, int]:
    """The worker thread as the kiosk runs it; returns seconds until the queue is empty and the
    traced peak (0 when not tracing)."""
    from kiosk.config.settings import KioskConfig
    from kiosk.storage import open_database
    from kiosk.sync.credentials import MemoryKeyring, store_token
    from kiosk.sync.engine import SyncStatus
    from kiosk.sync.setup import plan_sync
    from kiosk.sync.worker import SyncWorker

    data = work / "kiosk"
    data.mkdir(parents=True)
    shutil.copy(template, data / "kiosk.sqlite3")
    config = KioskConfig().with_data_dir(data)
    config = config.model_copy(
        update={
            "sync": config.sync.model_copy(
                update={"backend_url": url, "batch_max_count": batch, "interval_s": 60.0}
            )
        }
    )
    keyring = MemoryKeyring()
    store_token(keyring, url, TOKEN)
    database = open_database(config.db_path)
    plan = plan_sync(config, database, keyring)
    database.close()
    done = threading.Event()

    def on_status(status: SyncStatus) -> None:
        if status.state == "idle" and status.queued == status.sending == 0 and status.sent:
            done.set()

    worker = SyncWorker(config, plan, on_status, lambda _pack: None)
    if trace:
        tracemalloc.start()
    started = time.perf_counter()
    worker.start()
    done.wait(600)
    elapsed = time.perf_counter() - started
    peak = tracemalloc.get_traced_memory()[1] if trace else 0
    if trace:
        tracemalloc.stop()
    worker.stop()
    return elapsed, peak


def plain_bodies(template: Path, batch: int) -> tuple[str, list[bytes]]:
    """The same batches the kiosk sends, built and gzipped ahead of the plain loop's clock."""
    from kiosk.protocol.payload import batch_body
    from kiosk.storage import open_database
    from kiosk.storage.outbox import Outbox

    copy = template.with_name("plain-source.sqlite3")
    shutil.copy(template, copy)
    database = open_database(copy)
    responses = Outbox(database).candidates(10**9)
    device_id = database.device_id
    database.close()
    return device_id, [
        gzip.compress(
            batch_body(str(uuid.uuid4()), [r.document for r in responses[i : i + batch]]),
            compresslevel=1,
        )
        for i in range(0, len(responses), batch)
    ]


def plain_pass(device_id: str, bodies: list[bytes], url: str) -> float:
    import requests

    headers = {
        "Authorization": f"Bearer {TOKEN}",
        "Content-Type": "application/json",
        "Content-Encoding": "gzip",
    }
    endpoint = f"{url}/v1/devices/{device_id}/batches"
    verdicts: list[str] = []
    with requests.Session() as http:
        started = time.perf_counter()
        for body in bodies:
            answer = http.post(endpoint, data=body, headers=headers, timeout=(5, 30))
            answer.raise_for_status()
            verdicts.extend(v["verdict"] for v in answer.json()["verdicts"])
        elapsed = time.perf_counter() - started
    # The same work as the kiosk's: every response stored, none refused.
    assert set(verdicts) == {"accepted"}, set(verdicts)
    return elapsed


def _runs(seconds: list[float]) -> str:
    return ", ".join(f"{s:.2f}" for s in seconds) + " s"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--responses", type=int, default=10_000)
    parser.add_argument("--batch", type=int, default=200, help="the config's batch_max_count")
    parser.add_argument("--rounds", type=int, default=3, help="alternating rounds; best is kept")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="sync-bench-"))
    processes: list[subprocess.Popen[str]] = []

    def fresh_backend(name: str) -> str:
        process, url = start_backend(work, name)
        processes.append(process)
        return url

    try:
        template = work / "template" / "kiosk.sqlite3"
        make_store(template, args.responses)
        device_id, bodies = plain_bodies(template, args.batch)
        plain_runs, kiosk_runs = [], []
        for round_ in range(args.rounds):  # alternate, so a busy moment hits both alike
            plain_runs.append(plain_pass(device_id, bodies, fresh_backend(f"plain-{round_}")))
            kiosk_runs.append(
                kiosk_pass(
                    template, work / f"timed-{round_}", fresh_backend(f"kiosk-{round_}"),
                    args.batch, trace=False,
                )[0]
            )  # fmt: skip
        from kiosk_hub.reference.store import read_report

        for round_ in range(args.rounds):  # both sides did the whole job
            for side in ("plain", "kiosk"):
                report = read_report(work / f"{side}-{round_}.sqlite3")
                assert report["distinct_response_ids"] == args.responses, (side, report)
        _, peak = kiosk_pass(template, work / "traced", fresh_backend("memory"), args.batch, True)

        n = args.responses
        plain_s, kiosk_s = min(plain_runs), min(kiosk_runs)
        ratio = kiosk_s / plain_s
        print(f"responses: {n} in batches of {args.batch}, reference backend over loopback")
        print(f"best of {args.rounds} alternating rounds (all: plain {_runs(plain_runs)};"
              f" kiosk {_runs(kiosk_runs)})")  # fmt: skip
        print(f"plain requests loop : {n / plain_s:8.0f} responses/s ({plain_s:.2f} s)")
        print(f"kiosk sync worker   : {n / kiosk_s:8.0f} responses/s ({kiosk_s:.2f} s)")
        verdict = "OK" if ratio <= GOAL else "ABOVE GOAL"
        print(f"ratio kiosk / plain : {ratio:.2f}  (best of each; goal <= {GOAL}: {verdict})")
        paired = sorted(k / p for k, p in zip(kiosk_runs, plain_runs, strict=True))
        print(f"ratio per round     : {', '.join(f'{r:.2f}' for r in paired)}"
              f" (median {statistics.median(paired):.2f})")  # fmt: skip
        print(f"worker peak memory  : {peak / 1e6:.1f} MB (tracemalloc, separate pass)")
    finally:
        for process in processes:
            process.terminate()
            process.wait(10)
            if process.stdout is not None:
                process.stdout.close()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
