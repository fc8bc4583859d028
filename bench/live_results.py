"""Live results benchmark: the thank-you screen's results query on a busy store, against the plain
per-form count the maintenance screen already runs.

Run: `QT_QPA_PLATFORM=offscreen .venv/bin/python bench/live_results.py [--responses N] [--runs N]`.
Prints medians of both and their ratio (goal: results under 50 ms at 1,000 responses, a busy week
at one kiosk, so the thank-you screen appears without a visible pause).
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))


def main() -> None:
    from kiosk.content import load_pack
    from kiosk.core.records import Answer, ResponseDraft
    from kiosk.storage import Repository, open_database
    from kiosk.visit.loop import FeedbackService

    parser = argparse.ArgumentParser()
    parser.add_argument("--responses", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    content = load_pack(REPO / "config" / "content", ("ko", "en"))
    form = content.form("weekly-climate-diplomacy")
    assert form is not None
    now = datetime(2026, 11, 27, 3, 0, tzinfo=UTC)
    pick = random.Random(7)
    with tempfile.TemporaryDirectory() as data_dir:
        database = open_database(Path(data_dir) / "bench.sqlite3")
        try:
            repository = Repository(database, lambda: now)
            with database.engine.begin() as connection:  # bulk pragmas off for the fill only
                connection.exec_driver_sql("PRAGMA synchronous=OFF")
            for _ in range(args.responses):
                answers = (
                    Answer("support_aid", pick.randint(1, 5)),
                    Answer("priority", pick.choice(["renewables", "finance", "technology"])),
                    Answer("sources", tuple(pick.sample(["tv", "social", "people"], 2))),
                    Answer("join_briefing", pick.random() < 0.6),
                    Answer("recommend", pick.randint(0, 10)),
                )
                repository.save_response(
                    ResponseDraft(
                        str(uuid.uuid4()),
                        form.id,
                        form.version,
                        form.definition_hash,
                        content.version,
                        "ko",
                        "complete",
                        now,
                        now,
                        answers,
                    )
                )
            service = FeedbackService(
                repository, Path(data_dir), lambda: now, "https://x/{code}", 20, timedelta(days=2)
            )

            def median_ms(task: object) -> float:
                times = []
                for _ in range(args.runs):
                    start = time.perf_counter()
                    task()  # type: ignore[operator]
                    times.append((time.perf_counter() - start) * 1000)
                return statistics.median(times)

            results = median_ms(lambda: service.results(form))
            baseline = median_ms(repository.counts)
            print(f"responses: {args.responses}")
            print(f"live results (tally + combine + view): {results:.1f} ms median")
            print(f"baseline (counts per form and status): {baseline:.1f} ms median")
            print(f"ratio: {results / baseline:.1f}x  (goal: results < 50 ms at 1,000)")
        finally:
            database.close()


if __name__ == "__main__":
    main()
