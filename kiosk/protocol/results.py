"""The results document of the protocol (GET .../results), built from accepted responses.

Servers build it; the kiosk's screenshot tour builds one to show live results without a server.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from typing import Any

from kiosk.core.records import AnswerValue
from kiosk.feedback.live_results import Tally

# (device id, form id, {question id: answer}) of one accepted, complete response.
Accepted = tuple[str, str, Mapping[str, AnswerValue]]


def results_document(
    device_id: str,
    public_forms: Iterable[str],
    accepted: Iterable[Accepted],
    now: datetime | None = None,
) -> dict[str, Any]:
    """GET .../results: totals over all devices and the asking device's share, per public form."""
    rows = list(accepted)
    forms: dict[str, Any] = {}
    for form_id in public_forms:
        total = Tally.of(answers for _, form, answers in rows if form == form_id)
        mine = Tally.of(
            answers for dev, form, answers in rows if form == form_id and dev == device_id
        )
        forms[form_id] = {
            "responses": total.responses,
            "device_responses": mine.responses,
            "questions": {
                question_id: {
                    "answered": answered,
                    "device_answered": mine.answered.get(question_id, 0),
                    "counts": dict(total.counts.get(question_id, {})),
                    "device_counts": dict(mine.counts.get(question_id, {})),
                }
                for question_id, answered in total.answered.items()
            },
        }
    stamp = (now or datetime.now(UTC)).isoformat()
    return {"generated_at": stamp, "device_id": device_id, "forms": forms}
