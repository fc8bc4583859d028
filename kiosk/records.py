"""Immutable values that cross layers and threads: what a visit hands to the store."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

AnswerValue = str | int | bool | tuple[str, ...]
ResponseStatus = Literal["complete", "abandoned"]


@dataclass(frozen=True, slots=True)
class Answer:
    """One answer as the visitor gave it (multi-choice answers are tuples of option ids)."""

    question_id: str
    value: AnswerValue


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
    receipt: str | None = None  # the visitor's receipt code (opinions and proposals)
