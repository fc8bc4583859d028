"""Ready-made values for tests that write responses through the repository directly."""

from __future__ import annotations

import dataclasses
import uuid
from datetime import UTC, datetime, timedelta

from kiosk.core.records import Answer, ResponseDraft

T0 = datetime(2026, 11, 27, 3, 0, tzinfo=UTC)
OPINION = "해외 여행객 안전 안내를 강화해 주세요."


def opinion_draft(at: datetime = T0, text: str = OPINION, **changes: object) -> ResponseDraft:
    """A complete answer to the sample opinion form, submitted at `at`."""
    base = ResponseDraft(
        id=str(uuid.uuid4()),
        form_id="open-opinion",
        form_version=1,
        form_hash="ab" * 32,
        content_version="c0ffee",
        language="ko",
        status="complete",
        started_at=at - timedelta(minutes=5),
        submitted_at=at,
        answers=(Answer("topic", "consular"), Answer("opinion", text)),
        text_limits=(("opinion", 1000),),
    )
    return dataclasses.replace(base, **changes)  # type: ignore[arg-type]
