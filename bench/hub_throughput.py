"""Hub ingest throughput: responses per second through `kiosk-hub serve` (HTTP, gzip JSON, auth,
checks, exactly-once insert, commit per batch) against a plain insert of the same rows into the
same table, in the same run, on the same throwaway PostgreSQL cluster.

Run: `.venv/bin/python bench/hub_throughput.py [--responses N] [--batch B] [--clients C]`.
Prints responses/s for the hub, for psycopg `COPY` and for `executemany`, and the ratios
(hub / COPY: what the protocol costs over the fastest way into the table).

The hub runs as its own process (one uvicorn worker), so it does not share a GIL with the
clients; the client bodies are built and gzipped before the clock starts.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import socket
import subprocess
import sys
import threading
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))


def documents(count: int, device: str) -> list[dict[str, object]]:
    start = datetime(2026, 11, 27, 3, 0, tzinfo=UTC)
    return [
        {
            "id": str(uuid.uuid4()),
            "form_id": "weekly-climate-diplomacy",
            "form_version": 1,
            "form_hash": "ab" * 32,
            "content_version": "bench",
            "language": "ko",
            "status": "complete",
            "started_at": (start + timedelta(seconds=i)).isoformat(timespec="microseconds"),
            "submitted_at": (start + timedelta(seconds=i + 40)).isoformat(timespec="microseconds"),
            "device_id": device,
            "answers": [
                {"question_id": "support_aid", "value": i % 5 + 1},
                {"question_id": "sources", "value": ["tv", "social"][: i % 2 + 1]},
                {"question_id": "comment", "value": "기후 외교에 대한 의견입니다 " * 3},
            ],
        }
        for i in range(count)
    ]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def hub_run(url: str, count: int, batch: int, clients: int, processes: int = 1) -> float:
    """Seconds for `clients` kiosks to upload `count` responses in batches of `batch`, spread
    over `processes` hub processes (as a load balancer would spread them)."""
    import requests

    from kiosk_hub import devices
    from kiosk_hub.db import make_engine, session_factory

    engine = make_engine(url, pool_size=1)
    tokens = []
    with session_factory(engine)() as session:
        tokens = [devices.issue_token(session, f"bench-{i}") for i in range(clients)]
        session.commit()
    engine.dispose()
    ports = [free_port() for _ in range(processes)]
    servers = [
        subprocess.Popen(
            [sys.executable, "-m", "kiosk_hub", "serve", "--database-url", url, "--port", str(p)],
            cwd=REPO,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for p in ports
    ]
    bases = [f"http://127.0.0.1:{p}" for p in ports]
    plans: list[list[tuple[str, str, bytes]]] = []
    for i in range(clients):
        device = f"bench-device-{i}"
        docs = documents(count // clients, device)
        bodies = []
        for at in range(0, len(docs), batch):
            batch_id = str(uuid.uuid4())
            body = {"batch_id": batch_id, "responses": docs[at : at + batch], "schema_version": 1}
            bodies.append((device, batch_id, gzip.compress(json.dumps(body).encode(), 1)))
        plans.append(bodies)
    deadline = time.monotonic() + 60
    for base in bases:
        while True:
            try:
                requests.get(base + "/v1/devices/x/content", timeout=1)
                break
            except requests.ConnectionError:
                if time.monotonic() > deadline:
                    raise SystemExit("kiosk-hub serve did not start") from None
                time.sleep(0.1)
    failures: list[str] = []

    def upload(index: int) -> None:
        base = bases[index % len(bases)]
        with requests.Session() as http:
            for device, _batch_id, body in plans[index]:
                answer = http.post(
                    f"{base}/v1/devices/{device}/batches",
                    data=body,
                    headers={
                        "Authorization": f"Bearer {tokens[index]}",
                        "Content-Type": "application/json",
                        "Content-Encoding": "gzip",
                    },
                    timeout=120,
                )
                verdicts = answer.json()["verdicts"] if answer.status_code == 200 else []
                if answer.status_code != 200 or {v["verdict"] for v in verdicts} != {"accepted"}:
                    failures.append(f"{answer.status_code} {answer.text[:200]}")

    threads = [threading.Thread(target=upload, args=(i,)) for i in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    for server in servers:
        server.terminate()
        server.wait(timeout=30)
    if failures:
        raise SystemExit(f"hub run failed: {failures[:3]}")
    return elapsed


def plain_rows(count: int) -> list[tuple[object, ...]]:
    from kiosk.protocol.payload import content_hash

    now = datetime.now(UTC)
    rows = []
    for document in documents(count, "plain-device"):
        rows.append(
            (
                document["id"], "plain-device", str(uuid.uuid4()), content_hash(document),
                document["form_id"], document["status"], False, json.dumps(document), now,
                datetime.fromisoformat(str(document["submitted_at"])),
            )
        )  # fmt: skip
    return rows


COLUMNS = (
    "id, device_id, batch_id, content_hash, form_id, status, simulated, document, received_at,"
    " submitted_at"
)


def copy_run(dsn: str, rows: list[tuple[object, ...]], batch: int) -> float:
    """COPY of the same rows, one transaction per batch (the hub commits per batch too)."""
    import psycopg

    with psycopg.connect(dsn) as connection:
        started = time.perf_counter()
        for at in range(0, len(rows), batch):
            with (
                connection.cursor() as cursor,
                cursor.copy(f"COPY responses ({COLUMNS}) FROM STDIN") as copy,
            ):
                for row in rows[at : at + batch]:
                    copy.write_row(row)
            connection.commit()
        return time.perf_counter() - started


def executemany_run(dsn: str, rows: list[tuple[object, ...]], batch: int) -> float:
    import psycopg

    marks = ", ".join(["%s"] * 10)
    with psycopg.connect(dsn) as connection:
        started = time.perf_counter()
        for at in range(0, len(rows), batch):
            with connection.cursor() as cursor:
                cursor.executemany(
                    f"INSERT INTO responses ({COLUMNS}) VALUES ({marks})", rows[at : at + batch]
                )
            connection.commit()
        return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--responses", type=int, default=20_000)
    parser.add_argument("--batch", type=int, default=500)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--processes", type=int, default=1, help="hub processes (1 or more)")
    args = parser.parse_args()

    from kiosk_hub.db import make_engine, migrate
    from kiosk_hub.throwaway_pg import ThrowawayCluster

    count = args.responses - args.responses % args.clients
    with ThrowawayCluster() as cluster:
        urls = {}
        for name in ("hub", "copy", "many"):
            database = cluster.create_database()
            engine = make_engine(cluster.url(database), pool_size=1)
            migrate(engine)
            engine.dispose()
            urls[name] = cluster.url(database)
        dsn = {k: v.replace("postgresql+psycopg://", "postgresql://") for k, v in urls.items()}
        hub_s = hub_run(urls["hub"], count, args.batch, args.clients, args.processes)
        rows = plain_rows(count)
        copy_s = copy_run(dsn["copy"], rows, args.batch)
        many_s = executemany_run(dsn["many"], rows, args.batch)
    rate = {name: count / seconds for name, seconds in
            (("hub", hub_s), ("copy", copy_s), ("executemany", many_s))}  # fmt: skip
    print(
        f"{count} responses, batches of {args.batch}, {args.clients} concurrent clients, "
        f"{args.processes} hub process(es), {os.cpu_count()} CPUs"
    )
    for name, value in rate.items():
        print(f"  {name:12s} {value:10.0f} responses/s")
    print(f"ratio hub/COPY: {rate['hub'] / rate['copy']:.2f}")
    print(f"ratio hub/executemany: {rate['hub'] / rate['executemany']:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
