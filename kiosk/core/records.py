"""Immutable values that cross layers and threads: what a visit hands to the store, what it hands back."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any, Literal

AnswerValue = str | int | bool | tuple[str, ...]
ResponseStatus = Literal["complete", "abandoned"]
PIN_MIN, PIN_MAX = 4, 12  # digits of the staff PIN (the pad and the store agree on them)
ExportFormat = Literal["csv", "xlsx", "jsonl"]
EXPORT_FORMATS: tuple[ExportFormat, ...] = ("csv", "xlsx", "jsonl")
# Korea time: staff read dates and times in it (exports, dashboard); the store keeps UTC.
KST = timezone(timedelta(hours=9), "KST")


@dataclass(frozen=True, slots=True)
class Answer:
    """One answer as the visitor gave it (multi-choice answers are tuples of option ids)."""

    question_id: str
    value: AnswerValue


@dataclass(frozen=True, slots=True)
class ConsentReceipt:
    """What the visitor was asked and chose: the consent text version and each item's answer."""

    text_version: str
    choices: tuple[tuple[str, bool], ...]
    at: datetime

    def agreed(self, item: str) -> bool:
        return dict(self.choices).get(item, False)


@dataclass(frozen=True, slots=True)
class ResponseDraft:
    """A finished or abandoned visit to one form, ready to be written in one transaction."""

    id: str
    form_id: str
    form_version: int
    form_hash: str
    content_version: str
    language: str
    status: ResponseStatus
    started_at: datetime
    submitted_at: datetime
    answers: tuple[Answer, ...]
    # Free-text question ids and their limits (code points), checked again by the repository.
    text_limits: tuple[tuple[str, int], ...] = ()
    consent: ConsentReceipt | None = None
    contact_ciphertext: bytes | None = None  # sealed to the ministry's key; never plaintext
    receipt: str | None = None  # the visitor's receipt code (opinions and proposals)


@dataclass(frozen=True, slots=True)
class StoredResponse:
    """A response as stored, with its answers and upload state."""

    id: str
    form_id: str
    form_version: int
    form_hash: str
    content_version: str
    language: str
    status: str
    started_at: datetime
    submitted_at: datetime
    device_id: str
    sync_state: str
    answers: tuple[Answer, ...]
    # Whether sealed contact details are attached; the ciphertext itself never leaves this way.
    has_contact: bool = False
    flags: tuple[str, ...] = ()  # abuse flags for staff review (see kiosk/storage/abuse.py)
    receipt: str | None = None

    def answer(self, question_id: str) -> AnswerValue | None:
        return next((a.value for a in self.answers if a.question_id == question_id), None)


@dataclass(frozen=True, slots=True)
class AuditEntry:
    """One line of the audit log."""

    at: datetime
    actor: str
    action: str
    detail: dict[str, Any]
