"""Export benchmark: 100,000 responses to CSV and XLSX through the kiosk's export, against a plain
`sqlite3` + `csv.writer` dump of the same rows in the same run.

Run: `QT_QPA_PLATFORM=offscreen .venv/bin/python bench/export.py [--responses N]`.
Prints each time, the ratio kiosk CSV / plain dump (goal: <= 2) and the peak Python memory of
the CSV export for a tenth of the rows and for all of them (goal: flat, not growing with rows).
"""

from __future__ import annotations

import argparse
import csv
import json
import sqlite3
import sys
import tempfile
import time
import tracemalloc
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))  # the checkout, also when the package is not installed

from kiosk.config.settings import BUNDLED_CONTENT  # noqa: E402
from kiosk.content import load_pack  # noqa: E402
from kiosk.storage import Repository, open_database  # noqa: E402
from kiosk.storage.export import KST, META_COLUMNS, ExportRequest, run_export  # noqa: E402
from kiosk.storage.queries import ResponseFilter, StaffQueries  # noqa: E402

FORM = "weekly-climate-diplomacy"
START = datetime(2026, 11, 1, tzinfo=UTC)
TEXTS = ["재정 부담이 걱정됩니다.", "기후 협력은 우리 기업에도 기회가 됩니다.", "More aid, please."]


def stamp(n: int) -> str:
    return (START + timedelta(seconds=10 * n)).isoformat(timespec="microseconds")


def fill(path: Path, count: int) -> None:
    """Bulk-load `count` responses of the weekly survey (setup, not measured)."""
    open_database(path).close()  # create and migrate
    raw = sqlite3.connect(path)
    device = str(uuid.uuid4())
    with raw:
        raw.executemany(
            "insert into responses (id, form_id, form_version, form_hash, content_version,"
            " language, status, started_at, submitted_at, device_id)"
            " values (?,?,?,?,?,?,?,?,?,?)",
            (
                (
                    str(uuid.UUID(int=n)),
                    FORM,
                    1,
                    "h" * 64,
                    "c",
                    ("ko", "en")[n % 2],
                    "complete",
                    stamp(n),
                    stamp(n),
                    device,
                )
                for n in range(count)
            ),
        )
        raw.executemany(
            "insert into answers (response_id, question_id, position, value_json) values (?,?,?,?)",
            (
                row
                for n in range(count)
                for row in (
                    (str(uuid.UUID(int=n)), "support_aid", 0, json.dumps(1 + n % 5)),
                    (
                        str(uuid.UUID(int=n)),
                        "why_not",
                        1,
                        json.dumps(TEXTS[n % 3], ensure_ascii=False),
                    ),
                    (str(uuid.UUID(int=n)), "priority", 2, json.dumps("finance")),
                    (str(uuid.UUID(int=n)), "sources", 3, json.dumps(["tv", "people"])),
                    (str(uuid.UUID(int=n)), "join_briefing", 4, json.dumps(n % 2 == 0)),
                    (str(uuid.UUID(int=n)), "recommend", 5, json.dumps(n % 11)),
                )
            ),
        )
        raw.executemany(
            "insert into outbox (response_id, state, attempts, batch_id, last_error, updated_at)"
            " values (?,?,?,?,?,?)",
            ((str(uuid.UUID(int=n)), "queued", 0, None, None, stamp(n)) for n in range(count)),
        )
    raw.close()


def plain_dump(path: Path, out: Path) -> int:
    """The baseline: one joined query, answers pivoted into columns, csv.writer with a BOM."""
    questions = ["support_aid", "why_not", "priority", "sources", "join_briefing", "recommend"]
    raw = sqlite3.connect(path)
    rows = 0
    with out.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow([*META_COLUMNS, *questions])
        current: list[object] | None = None
        answers: dict[str, object] = {}

        def flush() -> None:
            assert current is not None
            cells = []
            for q in questions:
                value = answers.get(q, "")
                if isinstance(value, list):
                    value = ";".join(value)
                elif isinstance(value, bool):
                    value = "yes" if value else "no"
                cells.append(value)
            writer.writerow([*current, *cells])

        query = (
            "select r.id, r.form_id, r.form_version, r.status, r.language, r.started_at,"
            " r.submitted_at, o.state, a.question_id, a.value_json from responses r"
            " left join outbox o on o.response_id = r.id"
            " left join answers a on a.response_id = r.id"
            " order by r.submitted_at, r.id, a.position"
        )
        for rid, form, version, status, lang, started, submitted, state, qid, value in raw.execute(
            query
        ):
            if current is None or current[0] != rid:
                if current is not None:
                    flush()
                    rows += 1
                local = [
                    datetime.fromisoformat(t).astimezone(KST).strftime("%Y-%m-%d %H:%M:%S")
                    for t in (started, submitted)
                ]
                current = [rid, form, version, status, lang, *local, state]
                answers = {}
            if qid is not None:
                answers[qid] = json.loads(value)
        if current is not None:
            flush()
            rows += 1
    raw.close()
    return rows


def kiosk_export(path: Path, out: Path, fmt: str, where: ResponseFilter) -> int:
    database = open_database(path)
    try:
        forms = load_pack(BUNDLED_CONTENT).forms
        result = run_export(
            Repository(database),
            StaffQueries(database),
            forms,
            ExportRequest(fmt, out, where),  # type: ignore[arg-type]
        )
        return result.responses
    finally:
        database.close()


def timed(label: str, work: object) -> float:
    begin = time.perf_counter()
    rows = work()  # type: ignore[operator]
    seconds = time.perf_counter() - begin
    print(f"{label:<34} {seconds:7.2f} s  ({rows} rows)")
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--responses", type=int, default=100_000)
    count = parser.parse_args().responses
    with tempfile.TemporaryDirectory(prefix="kiosk-bench-") as scratch:
        base = Path(scratch)
        db = base / "kiosk.sqlite3"
        begin = time.perf_counter()
        fill(db, count)
        print(f"loaded {count} responses in {time.perf_counter() - begin:.1f} s")
        everything = ResponseFilter()
        plain = timed("plain sqlite3 + csv.writer", lambda: plain_dump(db, base / "plain.csv"))
        kiosk_csv = timed(
            "kiosk export CSV", lambda: kiosk_export(db, base / "csv", "csv", everything)
        )
        kiosk_xlsx = timed(
            "kiosk export XLSX", lambda: kiosk_export(db, base / "xlsx", "xlsx", everything)
        )
        print(f"ratio CSV / plain:  {kiosk_csv / plain:.2f}  (goal <= 2)")
        print(f"ratio XLSX / plain: {kiosk_xlsx / plain:.2f}  (no goal; XLSX is zipped XML)")
        tenth = ResponseFilter(until=datetime.fromisoformat(stamp(count // 10)))
        peaks = []
        for label, where in (("a tenth", tenth), ("all", everything)):
            tracemalloc.start()
            kiosk_export(db, base / f"mem-{len(peaks)}", "csv", where)
            peaks.append(tracemalloc.get_traced_memory()[1])
            tracemalloc.stop()
            print(f"peak Python memory, CSV of {label} of the rows: {peaks[-1] / 1e6:.1f} MB")
        print(f"memory all / tenth: {peaks[1] / peaks[0]:.2f}  (goal: about 1, i.e. flat)")


if __name__ == "__main__":
    main()
