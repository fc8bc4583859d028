"""The quarterly satisfaction report: every rating, likert and NPS question, quarter by quarter.

Ratings (1-5) and likert (1-5) give the number of answers, the mean and the share of 4 and 5;
NPS (0-10) gives the mean and the net promoter score (share of 9-10 minus share of 0-6).
Quarters are calendar quarters in Seoul; simulated responses are left out.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from kiosk.content import ContentPack
from kiosk_hub.db.models import ResponseRow
from kiosk_hub.web.pages import SEOUL
from kiosk_hub.web.stats import real


def quarter_of(moment: datetime) -> str:
    local = moment.astimezone(SEOUL)
    return f"{local.year}-Q{(local.month - 1) // 3 + 1}"


@dataclass(frozen=True)
class Row:
    quarter: str
    form_id: str
    question_id: str
    kind: str
    count: int
    mean: float
    top_share: float | None  # share of 4-5 (rating, likert), percent
    nps: float | None  # net promoter score (nps), points


def report(session: Session, pack: ContentPack) -> list[Row]:
    scaled = {
        form.id: {q.id: q.type for q in form.questions if q.scale}
        for form in pack.forms
        if any(q.scale for q in form.questions)
    }
    values: dict[tuple[str, str, str], list[int]] = {}
    rows = session.execute(
        select(ResponseRow.form_id, ResponseRow.submitted_at, ResponseRow.document["answers"])
        .where(real(), ResponseRow.form_id.in_(list(scaled)))
        .order_by(ResponseRow.submitted_at)
    )
    for form_id, submitted_at, answers in rows:
        for answer in answers:
            kind = scaled[form_id].get(answer["question_id"])
            value = answer["value"]
            if kind and isinstance(value, int) and not isinstance(value, bool):
                key = (quarter_of(submitted_at), form_id, answer["question_id"])
                values.setdefault(key, []).append(value)
    found = []
    for (quarter, form_id, question_id), given in sorted(values.items()):
        kind = scaled[form_id][question_id]
        count = len(given)
        mean = round(sum(given) / count, 2)
        if kind == "nps":
            promoters = sum(v >= 9 for v in given) / count
            detractors = sum(v <= 6 for v in given) / count
            found.append(
                Row(quarter, form_id, question_id, kind, count, mean, None,
                    round(100 * (promoters - detractors), 1))
            )  # fmt: skip
        else:
            share = round(100 * sum(v >= 4 for v in given) / count, 1)
            found.append(Row(quarter, form_id, question_id, kind, count, mean, share, None))
    return found
