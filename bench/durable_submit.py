"""Durable submit benchmark: a visitor's response saved through the repository (its own SQLite
transaction, WAL, synchronous=FULL: on disk before the thank-you screen) against a raw sqlite3
insert+commit of exactly the same rows (the response, its answers, its outbox entry) with the
same pragmas, in the same run and on the same disk.

Run: `.venv/bin/python bench/durable_submit.py [--responses N] [--fail-above-goal]`.
Prints the median and p95 of both, and the ratios; the goal is at most 3x the raw insert (median).
With --fail-above-goal it exits 1 when the median ratio is above the goal.
"""

from __future__ import annotations

import argparse
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))  # the checkout, also when the package is not installed

from _measure import percentile  # noqa: E402  (bench/ is the script's own directory)

GOAL = 3.0
TABLES = ("responses", "answers", "outbox", "flags")  # what a submit writes (flags: abuse rules)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--responses", type=int, default=500)
    parser.add_argument(
        "--dir", type=Path, help="where the two store files go (default: a temp dir)"
    )
    parser.add_argument(
        "--fail-above-goal", action="store_true", help=f"exit 1 when the ratio is above {GOAL}x"
    )
    args = parser.parse_args()

    from kiosk.storage import Repository, open_database
    from kiosk.storage.bulk import synthetic_drafts

    with tempfile.TemporaryDirectory(dir=args.dir) as scratch:
        directory = Path(scratch)
        for name in ("rows", "repo", "raw"):
            (directory / name).mkdir()
        drafts = synthetic_drafts(args.responses, seed=3)

        # The rows a submit writes, made once (untimed) by the repository itself, so the raw
        # inserts write exactly the same rows.
        database = open_database(directory / "rows" / "kiosk.sqlite3")
        ungated = Repository(database)
        for draft in drafts:
            ungated.save_response(draft)
        database.close()
        source = sqlite3.connect(directory / "rows" / "kiosk.sqlite3")
        rows = {
            table: {
                draft.id: source.execute(
                    f"SELECT * FROM {table} WHERE {'id' if table == 'responses' else 'response_id'}"
                    " = ?",
                    (draft.id,),
                ).fetchall()
                for draft in drafts
            }
            for table in TABLES
        }
        source.close()

        database = open_database(directory / "repo" / "kiosk.sqlite3")
        repository = Repository(database)
        open_database(directory / "raw" / "kiosk.sqlite3").close()  # the schema, migrated
        raw = sqlite3.connect(directory / "raw" / "kiosk.sqlite3", isolation_level=None)
        raw.execute("PRAGMA journal_mode=WAL")
        raw.execute("PRAGMA synchronous=FULL")
        raw.execute("PRAGMA foreign_keys=ON")
        columns = {
            table: len(raw.execute(f"SELECT * FROM {table} LIMIT 0").description)
            for table in TABLES
        }
        statements = {
            table: f"INSERT INTO {table} VALUES ({', '.join('?' * columns[table])})"
            for table in TABLES
        }
        # Alternating, one draft through each in turn: the disk (shared with whatever else runs
        # on the machine) is the same for both sides.
        through_repository = []
        plain = []
        for draft in drafts:
            started = time.perf_counter()
            repository.save_response(draft)
            through_repository.append((time.perf_counter() - started) * 1000)
            started = time.perf_counter()
            raw.execute("BEGIN")
            for table in TABLES:
                raw.executemany(statements[table], rows[table][draft.id])
            raw.execute("COMMIT")
            plain.append((time.perf_counter() - started) * 1000)
        # The first of each warms pool and statement caches.
        through_repository, plain = through_repository[1:], plain[1:]
        database.close()
        count = raw.execute("SELECT count(*) FROM responses").fetchone()[0]
        raw.close()
    assert count == args.responses

    print(f"durable submit, one response a transaction ({len(plain)} each, WAL, synchronous=FULL):")
    print(
        f"  through the repository  median {statistics.median(through_repository):6.2f} ms"
        f"   p95 {percentile(through_repository, 0.95):6.2f} ms"
    )
    print(
        f"  raw sqlite3 insert+commit median {statistics.median(plain):6.2f} ms"
        f"   p95 {percentile(plain, 0.95):6.2f} ms"
    )
    ratio = statistics.median(through_repository) / statistics.median(plain)
    print(f"ratio repository / raw (median): {ratio:.2f}x (goal <= {GOAL:.0f}x)")
    print(f"ratio repository / raw (p95): "
          f"{percentile(through_repository, 0.95) / percentile(plain, 0.95):.2f}x")  # fmt: skip
    print(f"within goal: {'yes' if ratio <= GOAL else 'NO'}")
    if args.fail_above_goal and ratio > GOAL:
        sys.exit(1)


if __name__ == "__main__":
    main()
