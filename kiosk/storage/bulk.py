"""Write many responses in one transaction: for tests and benchmarks that need thousands quickly."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import insert

from kiosk.core.records import ResponseDraft
from kiosk.storage.database import Database, storage_errors
from kiosk.storage.models import AnswerRow, OutboxRow, ResponseRow
from kiosk.storage.repository import encode_value


def save_many(database: Database, drafts: Iterable[ResponseDraft]) -> int:
    """Store drafts with the rows Repository.save_response writes, in one commit (Core inserts:
    the ORM's unit of work takes seconds for thousands of rows)."""
    now = datetime.now(UTC)
    responses: list[dict[str, Any]] = []
    answers: list[dict[str, Any]] = []
    outbox: list[dict[str, Any]] = []
    for draft in drafts:
        responses.append(
            {
                "id": draft.id,
                "form_id": draft.form_id,
                "form_version": draft.form_version,
                "form_hash": draft.form_hash,
                "content_version": draft.content_version,
                "language": draft.language,
                "status": draft.status,
                "started_at": draft.started_at,
                "submitted_at": draft.submitted_at,
                "device_id": database.device_id,
            }
        )
        answers.extend(
            {
                "response_id": draft.id,
                "question_id": a.question_id,
                "position": i,
                "value_json": encode_value(a.value),
            }
            for i, a in enumerate(draft.answers)
        )
        outbox.append(
            {"response_id": draft.id, "state": "queued", "attempts": 0, "updated_at": now}
        )
    if not responses:
        return 0
    with storage_errors(database.path), database.engine.begin() as connection:
        connection.execute(insert(ResponseRow), responses)
        if answers:
            connection.execute(insert(AnswerRow), answers)
        connection.execute(insert(OutboxRow), outbox)
    return len(responses)


def synthetic_drafts(
    count: int, start: datetime | None = None, seed: int = 0
) -> list[ResponseDraft]:
    """Plausible finished visits, one second apart, for load tests and benchmarks."""
    import random
    import uuid
    from datetime import timedelta

    from kiosk.core.records import Answer

    rng = random.Random(seed)
    first = start or datetime(2026, 11, 27, 0, 0, tzinfo=UTC)
    drafts = []
    for index in range(count):
        submitted = first + timedelta(seconds=index)
        drafts.append(
            ResponseDraft(
                id=str(uuid.UUID(int=rng.getrandbits(128), version=4)),
                form_id="weekly-survey",
                form_version=1,
                form_hash="0" * 64,
                content_version="synthetic",
                language=rng.choice(("ko", "en")),
                status="complete",
                started_at=submitted - timedelta(seconds=rng.randint(20, 300)),
                submitted_at=submitted,
                answers=(
                    Answer("satisfaction", rng.randint(1, 5)),
                    Answer("topics", tuple(rng.sample(("trade", "culture", "climate", "aid"), 2))),
                    Answer("recommend", rng.random() < 0.7),
                    Answer("comment", "외교 정책에 대한 의견 " * rng.randint(1, 8)),
                ),
            )
        )
    return drafts
