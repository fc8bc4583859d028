"""Export writers: CSV (UTF-8 with BOM), XLSX (streaming) and JSON Lines, written atomically with a
manifest of row counts and SHA-256 hashes. The staff screen and `kiosk export` both call run_export.
"""

from __future__ import annotations

import contextlib
import csv
import errno
import hashlib
import io
import json
import os
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

from kiosk import __version__
from kiosk.content.models import Form
from kiosk.core.errors import KioskError
from kiosk.core.records import EXPORT_FORMATS as FORMATS
from kiosk.core.records import KST, AnswerValue, AuditEntry, ExportFormat, StoredResponse
from kiosk.storage.queries import ResponseFilter, StaffQueries, order_columns
from kiosk.storage.repository import Repository

Progress = Callable[[int, int], None]
Opener = Callable[[Path], IO[bytes]]
META_COLUMNS = (
    "response_id",
    "form_id",
    "form_version",
    "status",
    "language",
    "started_at_kst",
    "submitted_at_kst",
    "sync_state",
    "receipt",
    "has_contact",
    "flags",
)
# What a reader sees over each META_COLUMNS column, in the export's language (the ids follow in
# the CSV's second header row and in the XLSX questions sheet).
META_LABELS: dict[str, tuple[str, ...]] = {
    "ko": (
        "응답 ID",
        "양식 ID",
        "양식 버전",
        "상태",
        "언어",
        "시작 시각 (한국 시간)",
        "제출 시각 (한국 시간)",
        "전송 상태",
        "접수 번호",
        "연락처 제공",
        "검토 표시",
    ),
    "en": (
        "Response id",
        "Form id",
        "Form version",
        "Status",
        "Language",
        "Started (Korea time)",
        "Submitted (Korea time)",
        "Upload state",
        "Receipt",
        "Contact given",
        "Review flags",
    ),
}
AUDIT_COLUMNS = ("at_kst", "actor", "action", "detail")
# Excel runs a cell that starts with one of these as a formula: a visitor could plant one.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
MANIFEST = "manifest.json"


class ExportError(KioskError):
    """An export could not be completed; nothing of it was left behind."""


def default_opener(path: Path) -> IO[bytes]:
    return open(path, "xb")  # closed by the atomic writer


@dataclass(frozen=True, slots=True)
class ExportRequest:
    """What to export and where."""

    format: ExportFormat
    out_dir: Path
    where: ResponseFilter = field(default_factory=ResponseFilter)
    language: str = "ko"  # of the column headers (question text); JSON Lines has none


@dataclass(frozen=True, slots=True)
class ExportedFile:
    """One finished file, as listed in the manifest."""

    name: str
    rows: int
    sha256: str
    bytes: int


@dataclass(frozen=True, slots=True)
class ExportResult:
    """A complete export: its directory, files and manifest."""

    out_dir: Path
    files: tuple[ExportedFile, ...]
    responses: int
    audit_rows: int

    @property
    def manifest(self) -> Path:
        return self.out_dir / MANIFEST


def cell_value(value: AnswerValue | None) -> str | int:
    """An answer in one spreadsheet cell: multi-choice option ids joined by ';', yes/no."""
    if value is None:
        return ""
    if isinstance(value, tuple):
        return ";".join(value)
    if isinstance(value, bool):
        return "yes" if value else "no"
    return value


def csv_safe(value: str | int) -> str | int:
    """Text that Excel would run as a formula gets a leading apostrophe (OWASP's advice)."""
    return "'" + value if isinstance(value, str) and value.startswith(FORMULA_START) else value


def kst(moment: datetime) -> datetime:
    return moment.astimezone(KST).replace(tzinfo=None, microsecond=0)


def meta_cells(response: StoredResponse) -> list[Any]:
    """The META_COLUMNS of one response: contact details only as given or not, never their text;
    abuse flags for staff review joined by ';' (flagged responses are never left out)."""
    return [
        response.id,
        response.form_id,
        response.form_version,
        response.status,
        response.language,
        kst(response.started_at),
        kst(response.submitted_at),
        response.sync_state,
        response.receipt or "",
        "yes" if response.has_contact else "no",
        ";".join(response.flags),
    ]


def response_json(response: StoredResponse) -> dict[str, Any]:
    """Every stored field of a response (full fidelity, UTC times with offset)."""
    return {
        "id": response.id,
        "form_id": response.form_id,
        "form_version": response.form_version,
        "form_hash": response.form_hash,
        "content_version": response.content_version,
        "language": response.language,
        "status": response.status,
        "started_at": response.started_at.astimezone(UTC).isoformat(),
        "submitted_at": response.submitted_at.astimezone(UTC).isoformat(),
        "device_id": response.device_id,
        "sync_state": response.sync_state,
        "receipt": response.receipt,
        "has_contact": response.has_contact,
        "flags": list(response.flags),
        "answers": [
            {
                "question_id": a.question_id,
                "value": list(a.value) if isinstance(a.value, tuple) else a.value,
            }
            for a in response.answers
        ],
    }


def audit_json(entry: AuditEntry) -> dict[str, Any]:
    return {
        "at": entry.at.astimezone(UTC).isoformat(),
        "actor": entry.actor,
        "action": entry.action,
        "detail": entry.detail,
    }


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _fsync_dir(directory: Path) -> None:
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


@dataclass
class _Run:
    """One export in progress: what it has written so far, so a failure can take it all back."""

    out_dir: Path
    opener: Opener
    progress: Progress | None
    total: int
    done: int = 0
    written: list[Path] = field(default_factory=list)
    files: list[ExportedFile] = field(default_factory=list)

    @contextlib.contextmanager
    def file(self, name: str) -> Iterator[tuple[IO[bytes], list[int]]]:
        """A temporary file renamed to `name` only once it is complete and on the disk."""
        final = self.out_dir / name
        temp = self.out_dir / f".{name}.partial"
        self.written.append(temp)
        handle = self.opener(temp)
        rows = [0]
        try:
            yield handle, rows
            handle.flush()
            os.fsync(handle.fileno())
        finally:
            handle.close()
        os.replace(temp, final)
        self.written.append(final)
        _fsync_dir(self.out_dir)
        self.files.append(ExportedFile(name, rows[0], _sha256(final), final.stat().st_size))

    def advance(self, count: int = 1) -> None:
        self.done += count
        if self.progress is not None and (self.done % 250 == 0 or self.done == self.total):
            self.progress(self.done, self.total)

    def discard(self) -> None:
        for path in self.written:
            with contextlib.suppress(OSError):
                path.unlink(missing_ok=True)


class _Exporter:
    """Walks the store once per form (streaming) and feeds the writer of one format."""

    def __init__(
        self, repository: Repository, queries: StaffQueries, forms: Sequence[Form]
    ) -> None:
        self.repository = repository
        self.queries = queries
        self.forms = {form.id: form for form in forms}

    def columns(self, where: ResponseFilter) -> dict[str, list[str]]:
        answered = self.queries.answered_questions(where)
        for form_id in where.form_ids:
            answered.setdefault(form_id, [])
        return {
            form_id: order_columns(
                [q.id for q in self.forms[form_id].questions] if form_id in self.forms else [],
                ids,
            )
            for form_id, ids in sorted(answered.items())
        }

    def headers(self, form_id: str, questions: Sequence[str], language: str) -> list[str]:
        """What a reader sees over each column: the meta labels, then each question's text in
        `language` (Korean, then English, as fallback); an id no current form has stays an id."""
        form = self.forms.get(form_id)
        labels = list(META_LABELS.get(language, META_LABELS["ko"]))
        for question_id in questions:
            question = form.question(question_id) if form else None
            texts = question.text if question else {}
            shown = texts.get(language) or texts.get("ko") or texts.get("en") or ""
            labels.append(" ".join(shown.split()) or question_id)
        return labels

    def rows(self, form_id: str, where: ResponseFilter) -> Iterator[StoredResponse]:
        return self.queries.iter_responses(ResponseFilter((form_id,), where.since, where.until))

    # -- formats -----------------------------------------------------------------------------
    def write_csv(self, run: _Run, where: ResponseFilter, language: str) -> None:
        for form_id, questions in self.columns(where).items():
            with run.file(f"responses-{form_id}.csv") as (handle, rows):
                text = io.TextIOWrapper(handle, encoding="utf-8-sig", newline="")
                writer = csv.writer(text)
                # Two header rows: what people read, then the ids programs key on.
                writer.writerow([csv_safe(h) for h in self.headers(form_id, questions, language)])
                writer.writerow([*META_COLUMNS, *questions])
                for r in self.rows(form_id, where):
                    answers = {a.question_id: a.value for a in r.answers}
                    meta = meta_cells(r)
                    meta[5], meta[6] = meta[5].isoformat(" "), meta[6].isoformat(" ")
                    writer.writerow(
                        [*meta, *(csv_safe(cell_value(answers.get(q))) for q in questions)]
                    )
                    rows[0] += 1
                    run.advance()
                text.flush()
                text.detach()
        with run.file("audit-log.csv") as (handle, rows):
            text = io.TextIOWrapper(handle, encoding="utf-8-sig", newline="")
            writer = csv.writer(text)
            writer.writerow(AUDIT_COLUMNS)
            for entry in self.queries.iter_audit():
                detail = json.dumps(entry.detail, ensure_ascii=False, sort_keys=True)
                writer.writerow([kst(entry.at).isoformat(" "), entry.actor, entry.action, detail])
                rows[0] += 1
            text.flush()
            text.detach()

    def write_jsonl(self, run: _Run, where: ResponseFilter, language: str) -> None:
        with run.file("responses.jsonl") as (handle, rows):
            for r in self.queries.iter_responses(where):
                line = json.dumps(response_json(r), ensure_ascii=False, separators=(",", ":"))
                handle.write(line.encode("utf-8") + b"\n")
                rows[0] += 1
                run.advance()
        with run.file("audit-log.jsonl") as (handle, rows):
            for entry in self.queries.iter_audit():
                line = json.dumps(audit_json(entry), ensure_ascii=False, sort_keys=True)
                handle.write(line.encode("utf-8") + b"\n")
                rows[0] += 1

    def write_xlsx(self, run: _Run, where: ResponseFilter, language: str) -> None:
        from kiosk.storage.xlsx import XlsxBook

        columns = self.columns(where)
        with run.file("responses.xlsx") as (handle, rows):
            book = XlsxBook()
            sheets: dict[str, str] = {}
            for form_id, questions in columns.items():
                sheet = book.sheet(form_id, self.headers(form_id, questions, language))
                sheets[form_id] = sheet.title
                for r in self.rows(form_id, where):
                    answers = {a.question_id: a.value for a in r.answers}
                    sheet.append([*meta_cells(r), *(cell_value(answers.get(q)) for q in questions)])
                    rows[0] += 1
                    run.advance()
            book.questions_sheet(columns, self.forms, sheets, len(META_COLUMNS))
            audit = book.sheet("audit-log", list(AUDIT_COLUMNS))
            for entry in self.queries.iter_audit():
                detail = json.dumps(entry.detail, ensure_ascii=False, sort_keys=True)
                audit.append([kst(entry.at), entry.actor, entry.action, detail])
            book.save(handle)


def _failure(exc: OSError, out_dir: Path) -> ExportError:
    if exc.errno == errno.ENOSPC:
        return ExportError(
            f"{out_dir}: the drive is full; the export was stopped and its files removed "
            "(free some space or use another drive)"
        )
    where = exc.filename or out_dir
    return ExportError(
        f"{where}: could not write ({exc.strerror or exc}); was the drive removed? "
        "The export was stopped and its files removed"
    )


def run_export(
    repository: Repository,
    queries: StaffQueries,
    forms: Sequence[Form],
    request: ExportRequest,
    progress: Progress | None = None,
    opener: Opener = default_opener,
    clock: Callable[[], datetime] = lambda: datetime.now(UTC),
) -> ExportResult:
    """Write one export into `request.out_dir` (created if needed) and its manifest, last.
    Any OSError removes every file of this run and becomes an ExportError naming the cause."""
    if request.format not in FORMATS:
        raise ExportError(f"unknown export format {request.format!r}; expected one of {FORMATS}")
    out_dir = Path(request.out_dir)
    where = request.where
    exporter = _Exporter(repository, queries, forms)
    total = queries.count_responses(where)
    created = False
    run = _Run(out_dir, opener, progress, total)
    try:
        if not out_dir.exists():
            out_dir.mkdir()  # never its parents: a vanished drive must not reappear as a folder
            created = True
        if not out_dir.is_dir():
            raise ExportError(f"{out_dir}: not a directory")
        if not created and any(out_dir.iterdir()):
            # Never replace or, on a failure, delete files this export did not make.
            raise ExportError(f"{out_dir}: the folder is not empty; export into a new folder")
        getattr(exporter, f"write_{request.format}")(run, where, request.language)
        audit_rows = next((f.rows for f in run.files if f.name.startswith("audit-log")), 0)
        manifest = {
            "format": request.format,
            "created_at": clock().astimezone(UTC).isoformat(),
            "app_version": __version__,
            "device_id": repository.device_id,
            "filters": {
                "forms": list(where.form_ids),
                "from": where.since.isoformat() if where.since else None,
                "to": where.until.isoformat() if where.until else None,
            },
            "responses": run.done,
            "files": [
                {"name": f.name, "rows": f.rows, "sha256": f.sha256, "bytes": f.bytes}
                for f in run.files
            ],
        }
        body = json.dumps(manifest, ensure_ascii=False, indent=2).encode("utf-8")
        files = tuple(run.files)
        with run.file(MANIFEST) as (handle, _rows):
            handle.write(body)
    except OSError as exc:
        run.discard()
        if created:
            with contextlib.suppress(OSError):
                out_dir.rmdir()
        raise _failure(exc, out_dir) from exc
    except BaseException:
        run.discard()
        if created:
            with contextlib.suppress(OSError):
                out_dir.rmdir()
        raise
    if progress is not None:
        progress(run.done, total)
    return ExportResult(out_dir, files, run.done, audit_rows)
