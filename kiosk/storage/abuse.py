"""Abuse without censorship: reasons to flag a response for staff review, never to drop it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kiosk.core.records import ResponseDraft
from kiosk.storage.models import AnswerRow, ResponseRow

DUPLICATE_TEXT = "duplicate_text"
BURST = "burst"
TOO_FAST = "too_fast"


@dataclass(frozen=True, slots=True)
class AbuseRules:
    """The windows of [privacy] in the config; 0 seconds turns a rule off."""

    duplicate_text_window_s: int = 3600
    burst_window_s: int = 300
    burst_count: int = 5
    max_chars_per_second: float = 12.0


def flags_for(
    session: Session, draft: ResponseDraft, encoded: dict[str, str], rules: AbuseRules
) -> list[str]:
    """Flags for a draft about to be written; `encoded` maps free-text question ids to JSON."""
    flags: list[str] = []
    now = draft.submitted_at
    if encoded and rules.duplicate_text_window_s:
        since = now - timedelta(seconds=rules.duplicate_text_window_s)
        for question_id, value_json in encoded.items():
            same = session.scalar(
                select(func.count())
                .select_from(AnswerRow)
                .join(ResponseRow, ResponseRow.id == AnswerRow.response_id)
                .where(
                    ResponseRow.form_id == draft.form_id,
                    ResponseRow.submitted_at >= since,
                    AnswerRow.question_id == question_id,
                    AnswerRow.value_json == value_json,
                )
            )
            if same:
                flags.append(DUPLICATE_TEXT)
                break
    if rules.burst_window_s:
        since = now - timedelta(seconds=rules.burst_window_s)
        recent = session.scalar(
            select(func.count()).select_from(ResponseRow).where(ResponseRow.submitted_at >= since)
        )
        if (recent or 0) + 1 >= rules.burst_count:
            flags.append(BURST)
    if _typed_too_fast(draft, rules.max_chars_per_second):
        flags.append(TOO_FAST)
    return flags


def _typed_too_fast(draft: ResponseDraft, max_chars_per_second: float) -> bool:
    """Whether the free text is longer than a person could type between opening and submitting."""
    limits = dict(draft.text_limits)
    typed = sum(
        len(a.value) for a in draft.answers if a.question_id in limits and isinstance(a.value, str)
    )
    if typed < 40:  # a short line is written in seconds, and a paste is no crime
        return False
    seconds = max((draft.submitted_at - draft.started_at) / timedelta(seconds=1), 0.0)
    return typed > seconds * max_chars_per_second
