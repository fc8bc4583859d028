"""Abuse without censorship: reasons to flag a response for staff review, never to drop it."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import timedelta

from kiosk.core.records import ResponseDraft
from kiosk.storage.models import stamp

DUPLICATE_TEXT = "duplicate_text"
BURST = "burst"
TOO_FAST = "too_fast"

# The same free text to the same question of the same form within the window (indexed by
# responses.submitted_at; times are fixed-width UTC text, so text order is time order).
_SAME_TEXT = (
    "SELECT 1 FROM answers JOIN responses ON responses.id = answers.response_id"
    " WHERE responses.form_id = ? AND responses.submitted_at >= ?"
    " AND answers.question_id = ? AND answers.value_json = ? LIMIT 1"
)
_RECENT = "SELECT count(*) FROM responses WHERE submitted_at >= ?"


@dataclass(frozen=True, slots=True)
class AbuseRules:
    """The windows of [privacy] in the config; 0 seconds turns a rule off."""

    duplicate_text_window_s: int = 3600
    burst_window_s: int = 300
    burst_count: int = 5
    max_chars_per_second: float = 12.0


def flags_for(
    cursor: sqlite3.Cursor, draft: ResponseDraft, encoded: dict[str, str], rules: AbuseRules
) -> list[str]:
    """Flags for a draft about to be written, read in its own write transaction (`cursor`, plain
    SQL: two indexed counts); `encoded` maps free-text question ids to their JSON text."""
    flags: list[str] = []
    now = draft.submitted_at
    if encoded and rules.duplicate_text_window_s:
        since = stamp(now - timedelta(seconds=rules.duplicate_text_window_s))
        for question_id, value_json in encoded.items():
            same = cursor.execute(_SAME_TEXT, (draft.form_id, since, question_id, value_json))
            if same.fetchone() is not None:
                flags.append(DUPLICATE_TEXT)
                break
    if rules.burst_window_s:
        since = stamp(now - timedelta(seconds=rules.burst_window_s))
        (recent,) = cursor.execute(_RECENT, (since,)).fetchone()
        if recent + 1 >= rules.burst_count:
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
