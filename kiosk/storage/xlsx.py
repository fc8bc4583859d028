"""A streaming XLSX workbook (openpyxl write-only): one sheet per form, the questions, the audit."""

from __future__ import annotations

import re
import shutil
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import IO, Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from kiosk.content.models import Form

SHEET_NAME_MAX = 31
# Characters XML 1.0 (so XLSX) cannot hold; JSON Lines keeps them.
XML_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
QUESTION_COLUMNS = (
    "form_id",
    "form_version",
    "question_id",
    "type",
    "text_ko",
    "text_en",
    "options",
    "sheet",
    "column",
)


def _clean(value: str) -> str:
    return XML_ILLEGAL.sub("\ufffd", value)


class XlsxSheet:
    """Rows appended in order; text is always text (never a formula, whatever it starts with)."""

    def __init__(self, sheet: WriteOnlyWorksheet) -> None:
        self._sheet = sheet

    @property
    def title(self) -> str:
        return str(self._sheet.title)

    def append(self, values: Sequence[Any]) -> None:
        row: list[Any] = []
        for value in values:
            if isinstance(value, str):
                value = _clean(value)
                if value.startswith("="):
                    cell = WriteOnlyCell(self._sheet, value)
                    cell.data_type = "s"  # openpyxl would otherwise store it as a formula
                    value = cell
            row.append(value)
        self._sheet.append(row)


class XlsxBook:
    """A write-only workbook: rows go to temporary files as they come, so memory stays flat."""

    def __init__(self) -> None:
        self._book = Workbook(write_only=True)
        self._names: set[str] = set()

    def sheet(self, title: str, header: Sequence[str]) -> XlsxSheet:
        name = title[:SHEET_NAME_MAX]
        number = 2
        while name.lower() in self._names:
            suffix = f"~{number}"
            name = title[: SHEET_NAME_MAX - len(suffix)] + suffix
            number += 1
        self._names.add(name.lower())
        worksheet = self._book.create_sheet(name)
        worksheet.freeze_panes = "A2"  # the header stays in view while scrolling
        sheet = XlsxSheet(worksheet)
        sheet.append(list(header))
        return sheet

    def questions_sheet(
        self,
        columns: Mapping[str, list[str]],
        forms: Mapping[str, Form],
        sheets: Mapping[str, str],
        first_column: int,
    ) -> None:
        """Every exported question with its id, Korean and English text, its options, and the
        sheet and column its answers are in (the form sheets are headed by the question text)."""
        sheet = self.sheet("questions", QUESTION_COLUMNS)
        for form_id, question_ids in columns.items():
            form = forms.get(form_id)
            for index, question_id in enumerate(question_ids, start=first_column + 1):
                where = [sheets.get(form_id, form_id), get_column_letter(index)]
                question = form.question(question_id) if form else None
                if question is None:
                    sheet.append(
                        [form_id, "", question_id, "", "", "", "(not in the current forms)", *where]
                    )
                    continue
                options = "\n".join(
                    f"{o.id}: {o.text.get('ko', '')} / {o.text.get('en', '')}"
                    for o in question.options or []
                )
                sheet.append(
                    [
                        form_id,
                        form.version if form else "",
                        question_id,
                        question.type,
                        question.text.get("ko", ""),
                        question.text.get("en", ""),
                        options,
                        *where,
                    ]
                )

    def save(self, handle: IO[bytes]) -> None:
        """Zip the book on the local disk, then copy it into `handle` (the drive). openpyxl leaves
        its zip half-open when the target fails mid-save; a local file keeps that off the drive."""
        with tempfile.TemporaryDirectory(prefix="kiosk-xlsx-") as scratch:
            local = Path(scratch) / "book.xlsx"
            self._book.save(local)
            with local.open("rb") as source:
                shutil.copyfileobj(source, handle, 1 << 20)
