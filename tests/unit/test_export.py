"""Exports read back: CSV with its BOM, XLSX through openpyxl, JSON Lines line by line; Korean
round-trips exactly, the manifest's counts and hashes match, and a full drive leaves nothing."""

from __future__ import annotations

import csv
import dataclasses
import errno
import hashlib
import io
import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import IO

import openpyxl
import pytest
from openpyxl.utils import column_index_from_string

from kiosk.content import load_pack
from kiosk.core.records import Answer, ResponseDraft
from kiosk.storage import Database, Repository, open_database
from kiosk.storage.export import META_COLUMNS as META_IDS
from kiosk.storage.export import ExportError, ExportRequest, run_export
from kiosk.storage.queries import ResponseFilter, StaffQueries
from tests.conftest import NOW, SAMPLE_CONTENT

WEEKLY = "weekly-climate-diplomacy"
KOREAN = '재정 부담이 걱정됩니다. "따옴표", 쉼표, 줄바꿈\n둘째 줄 😊'


@pytest.fixture
def database(tmp_path: Path) -> Iterator[Database]:
    db = open_database(tmp_path / "store.sqlite3")
    yield db
    db.close()


def draft(
    number: int, form_id: str, answers: tuple[Answer, ...], version: int = 1, days: int = 0
) -> ResponseDraft:
    at = NOW - timedelta(days=days, minutes=number)
    return ResponseDraft(
        id=f"00000000-0000-4000-8000-{number:012d}",
        form_id=form_id,
        form_version=version,
        form_hash="h" * 64,
        content_version="c1",
        language="ko" if number % 2 else "en",
        status="complete",
        started_at=at - timedelta(minutes=2),
        submitted_at=at,
        answers=answers,
    )


@pytest.fixture
def filled(database: Database) -> Repository:
    """Weekly survey answers under version 1 (no `recommend`) and version 2 (with it), opinions."""
    repository = Repository(database, clock=lambda: NOW)
    for n in range(1, 21):
        answers = [
            Answer("support_aid", 1 + n % 5),
            Answer("why_not", KOREAN if n == 3 else '=HYPERLINK("http://x")'),
            Answer("priority", "finance"),
            Answer("sources", ("tv", "people")),
            Answer("join_briefing", n % 2 == 0),
        ]
        if n > 10:
            answers.append(Answer("recommend", n % 11))
        repository.save_response(draft(n, WEEKLY, tuple(answers), version=1 if n <= 10 else 2))
    for n in range(21, 26):
        repository.save_response(
            draft(n, "open-opinion", (Answer("topic", "consular"), Answer("opinion", KOREAN)))
        )
    repository.save_response(draft(99, "open-opinion", (Answer("topic", "other"),), days=40))
    repository.record_audit("staff", "pin.accepted")
    return repository


def export(repository: Repository, fmt: str, out: Path, **where: object) -> dict[str, object]:
    forms = load_pack(SAMPLE_CONTENT).forms
    request = ExportRequest(fmt, out, ResponseFilter(**where))  # type: ignore[arg-type]
    run_export(repository, StaffQueries(repository._db), forms, request)
    manifest: dict[str, object] = json.loads((out / "manifest.json").read_text("utf-8"))
    for entry in manifest["files"]:  # type: ignore[attr-defined]
        body = (out / entry["name"]).read_bytes()
        assert hashlib.sha256(body).hexdigest() == entry["sha256"]
        assert len(body) == entry["bytes"]
    assert sorted(p.name for p in out.iterdir()) == sorted(
        [MANIFEST_NAME, *(e["name"] for e in manifest["files"])]  # type: ignore[attr-defined]
    )
    return manifest


MANIFEST_NAME = "manifest.json"


def rows_of(manifest: dict[str, object], name: str) -> int:
    return next(e["rows"] for e in manifest["files"] if e["name"] == name)  # type: ignore[attr-defined]


def read_csv(path: Path) -> tuple[list[str], list[str], list[dict[str, str]]]:
    """The two header rows (question text, then ids) and the rows keyed by id."""
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    table = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    labels, ids = table[0], table[1]
    return labels, ids, [dict(zip(ids, row, strict=True)) for row in table[2:]]


def test_csv_has_a_bom_one_column_per_question_and_korean_round_trips(
    filled: Repository, tmp_path: Path
) -> None:
    manifest = export(filled, "csv", tmp_path / "usb")
    _labels, _ids, rows = read_csv(tmp_path / "usb" / f"responses-{WEEKLY}.csv")
    assert len(rows) == 20 == rows_of(manifest, f"responses-{WEEKLY}.csv")
    by_id = {r["response_id"][-2:]: r for r in rows}
    assert by_id["03"]["why_not"] == KOREAN
    assert by_id["04"]["sources"] == "tv;people" and by_id["04"]["join_briefing"] == "yes"
    # `recommend` came with version 2: a column for everyone, blank for version 1 answers.
    assert by_id["05"]["recommend"] == "" and by_id["15"]["recommend"] == "4"
    # A planted formula stays text for Excel.
    assert by_id["05"]["why_not"] == '\'=HYPERLINK("http://x")'
    assert by_id["05"]["submitted_at_kst"] == "2026-11-27 11:55:00"
    opinions = read_csv(tmp_path / "usb" / "responses-open-opinion.csv")[2]
    assert len(opinions) == 6
    assert manifest["responses"] == 26 and rows_of(manifest, "audit-log.csv") == 1


def test_csv_headers_read_as_the_question_text_in_korean_over_the_ids(
    filled: Repository, tmp_path: Path
) -> None:
    export(filled, "csv", tmp_path / "usb")
    labels, ids, _rows = read_csv(tmp_path / "usb" / f"responses-{WEEKLY}.csv")
    form = load_pack(SAMPLE_CONTENT).form(WEEKLY)
    assert form is not None
    heading = dict(zip(ids, labels, strict=True))
    assert heading["response_id"] == "응답 ID" and heading["submitted_at_kst"].startswith("제출")
    for question in form.questions:
        assert heading[question.id] == " ".join(question.text["ko"].split())
    assert heading["support_aid"].startswith("한국은 개발도상국")
    assert len(set(labels)) == len(labels)  # every column tells itself apart
    # English headers when the export asks for them.
    forms = load_pack(SAMPLE_CONTENT).forms
    where = ResponseFilter(form_ids=(WEEKLY,))
    request = ExportRequest("csv", tmp_path / "en", where, language="en")
    run_export(filled, StaffQueries(filled._db), forms, request)
    labels, ids, _rows = read_csv(tmp_path / "en" / f"responses-{WEEKLY}.csv")
    assert dict(zip(ids, labels, strict=True))["support_aid"].startswith("Korea should")


def test_xlsx_has_a_sheet_per_form_the_questions_and_the_audit(
    filled: Repository, tmp_path: Path
) -> None:
    manifest = export(filled, "xlsx", tmp_path / "usb")
    book = openpyxl.load_workbook(tmp_path / "usb" / "responses.xlsx", read_only=True)
    assert book.sheetnames == ["open-opinion", WEEKLY[:31], "questions", "audit-log"]
    weekly = list(book[WEEKLY[:31]].iter_rows(values_only=True))
    labels, body = weekly[0], weekly[1:]
    assert len(body) == 20 == rows_of(manifest, "responses.xlsx") - 6
    # The sheet is headed by the question text; the questions sheet says which column is which.
    questions = list(book["questions"].iter_rows(values_only=True))
    assert questions[0][-2:] == ("sheet", "column")
    support = next(q for q in questions if q[2] == "support_aid")
    assert support[4].startswith("한국은 개발도상국") and support[5].startswith("Korea should")
    letters = {q[2]: q[-1] for q in questions[1:] if q[0] == WEEKLY}
    assert support[-2] == WEEKLY[:31]
    column = column_index_from_string(letters["support_aid"]) - 1
    assert labels[column] == " ".join(support[4].split())
    assert labels[0] == "응답 ID" and labels[6].startswith("제출")
    # The columns in order: the meta ids, then the questions as the questions sheet lists them.
    ids = [*META_IDS, *letters]
    assert [column_index_from_string(c) for c in letters.values()] == list(
        range(len(META_IDS) + 1, len(ids) + 1)
    )
    row3 = dict(zip(ids, next(r for r in body if r[0].endswith("03")), strict=True))
    assert row3["why_not"] == KOREAN and row3["support_aid"] == 4
    assert row3["submitted_at_kst"] == datetime(2026, 11, 27, 11, 57)
    row5 = dict(zip(ids, next(r for r in body if r[0].endswith("05")), strict=True))
    assert row5["why_not"] == '=HYPERLINK("http://x")'  # text, not a formula
    book.close()


def test_jsonl_keeps_every_field_and_the_exact_text(filled: Repository, tmp_path: Path) -> None:
    manifest = export(filled, "jsonl", tmp_path / "usb", form_ids=(WEEKLY,))
    lines = (tmp_path / "usb" / "responses.jsonl").read_text("utf-8").splitlines()
    records = [json.loads(line) for line in lines]
    assert len(records) == 20 == rows_of(manifest, "responses.jsonl")
    third = next(r for r in records if r["id"].endswith("03"))
    stored = filled.response(third["id"])
    assert stored is not None
    assert third["answers"][1] == {"question_id": "why_not", "value": KOREAN}
    assert third["answers"][3]["value"] == ["tv", "people"]
    assert datetime.fromisoformat(third["submitted_at"]) == stored.submitted_at
    assert set(third) >= {"form_hash", "content_version", "device_id", "sync_state", "language"}
    assert [r["submitted_at"] for r in records] == sorted(r["submitted_at"] for r in records)


def test_date_range_and_form_filter(filled: Repository, tmp_path: Path) -> None:
    manifest = export(filled, "jsonl", tmp_path / "usb", since=NOW - timedelta(days=30), until=NOW)
    assert manifest["responses"] == 25  # the 40-day-old opinion is outside


class FullStick(io.FileIO):
    """A fake drive that fills up after `limit` bytes. Fake because a size-limited filesystem
    (a loop-mounted tmpfs) cannot be mounted here without root; it fails the way a full FAT stick
    does: it writes what fits, then raises ENOSPC."""

    limit = 4000
    used = 0

    def write(self, data: object) -> int:
        chunk = bytes(data)  # type: ignore[call-overload]
        room = FullStick.limit - FullStick.used
        if len(chunk) > room:
            super().write(chunk[:room])
            FullStick.used += room
            raise OSError(errno.ENOSPC, "No space left on device", str(self.name))
        FullStick.used += len(chunk)
        return super().write(chunk)


def full_stick_opener(path: Path) -> IO[bytes]:
    return io.BufferedWriter(FullStick(path, "xb"))


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "jsonl"])
def test_a_stick_that_fills_up_gives_a_clear_error_and_leaves_no_file(
    filled: Repository, tmp_path: Path, fmt: str
) -> None:
    FullStick.used = 0
    out = tmp_path / "usb" / "export-1"
    (tmp_path / "usb").mkdir()
    request = ExportRequest(fmt, out)  # type: ignore[arg-type]
    forms = load_pack(SAMPLE_CONTENT).forms
    with pytest.raises(ExportError, match="the drive is full"):
        run_export(filled, StaffQueries(filled._db), forms, request, opener=full_stick_opener)
    assert FullStick.used == FullStick.limit
    assert list((tmp_path / "usb").iterdir()) == []
    # Nothing in the store was touched: the same export to a roomy drive still works.
    assert export(filled, fmt, tmp_path / "roomy")["responses"] == 26


def test_export_into_a_folder_that_is_not_empty_refuses_and_keeps_its_files(
    filled: Repository, tmp_path: Path
) -> None:
    export(filled, "jsonl", tmp_path / "usb")
    before = sorted(p.name for p in (tmp_path / "usb").iterdir())
    with pytest.raises(ExportError, match="the folder is not empty"):
        export(filled, "jsonl", tmp_path / "usb")
    assert sorted(p.name for p in (tmp_path / "usb").iterdir()) == before


def test_times_are_utc_in_store(filled: Repository) -> None:
    stored = next(filled.iter_responses())
    assert stored.submitted_at.tzinfo is not None
    assert stored.submitted_at.utcoffset() == UTC.utcoffset(None)


@pytest.mark.parametrize(
    "where",
    [
        ResponseFilter(),
        ResponseFilter(form_ids=("open-opinion",)),
        ResponseFilter(since=NOW - timedelta(minutes=12), until=NOW - timedelta(minutes=3)),
    ],
)
def test_the_export_reader_returns_exactly_what_the_repository_does(
    filled: Repository, where: ResponseFilter
) -> None:
    queries = StaffQueries(filled._db)
    expected = list(filled.iter_responses(list(where.form_ids) or None, where.since, where.until))
    assert expected
    assert list(queries.iter_responses(where, chunk=4)) == expected  # several pages


def test_paging_does_not_skip_or_repeat_responses_submitted_at_the_same_moment(
    database: Database,
) -> None:
    repository = Repository(database, clock=lambda: NOW)
    for n in range(1, 8):
        same = draft(n, "open-opinion", (Answer("topic", "other"),))
        repository.save_response(dataclasses.replace(same, submitted_at=NOW))
    ids = [r.id for r in StaffQueries(database).iter_responses(chunk=3)]
    assert len(ids) == 7 and ids == sorted(ids)
