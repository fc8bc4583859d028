"""Results per form and question: counts, shares and free-text answers, for the staff screen."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from kiosk.core.records import AnswerValue, StoredResponse

if TYPE_CHECKING:
    from kiosk.content.models import Form, Question


@dataclass(frozen=True)
class Bar:
    """One answer choice: its labels, how many chose it, and their share of those who answered."""

    key: str
    label_ko: str
    label_en: str
    count: int
    percent: float


@dataclass(frozen=True)
class FreeText:
    """One written answer."""

    submitted_at: datetime
    language: str
    text: str


@dataclass(frozen=True)
class QuestionResult:
    """What visitors answered to one question."""

    question_id: str
    text_ko: str
    text_en: str
    type: str
    answered: int
    bars: tuple[Bar, ...] = ()
    mean: float | None = None
    texts: tuple[FreeText, ...] = ()


@dataclass(frozen=True)
class ResultsView:
    """Results of one form over a date range."""

    form_id: str
    responses: int
    abandoned: int
    questions: tuple[QuestionResult, ...]


def _bars(question: Question, counts: Counter[AnswerValue], answered: int) -> tuple[Bar, ...]:
    def share(count: int) -> float:
        return 100.0 * count / answered if answered else 0.0

    if question.options:
        keys: list[tuple[AnswerValue, str, str]] = [
            (o.id, o.text.get("ko", o.id), o.text.get("en", o.id)) for o in question.options
        ]
    elif question.type == "yes_no":
        keys = [(True, "예", "Yes"), (False, "아니요", "No")]
    elif question.scale:
        low, high = question.scale
        keys = [(v, str(v), str(v)) for v in range(low, high + 1)]
    else:
        return ()
    known = {k for k, _, _ in keys}
    # Values no longer in the form (an option removed in a later version) still count.
    keys += [(k, str(k), str(k)) for k in counts if k not in known]
    return tuple(Bar(str(k), ko, en, counts[k], share(counts[k])) for k, ko, en in keys)


def build_results(form: Form, responses: Iterable[StoredResponse]) -> ResultsView:
    """Count every answer to the form's current questions. A multi-choice answer counts once
    per option picked, so its shares (of those who answered) may add up to more than 100%."""
    counts: dict[str, Counter[AnswerValue]] = {q.id: Counter() for q in form.questions}
    answered: Counter[str] = Counter()
    texts: dict[str, list[FreeText]] = {q.id: [] for q in form.questions}
    sums: Counter[str] = Counter()
    total = abandoned = 0
    types = {q.id: q for q in form.questions}
    for response in responses:
        total += 1
        abandoned += response.status == "abandoned"
        for answer in response.answers:
            question = types.get(answer.question_id)
            if question is None:
                continue
            answered[question.id] += 1
            value = answer.value
            if question.type == "free_text" and isinstance(value, str):
                texts[question.id].append(FreeText(response.submitted_at, response.language, value))
            elif isinstance(value, tuple):
                counts[question.id].update(value)
            else:
                counts[question.id][value] += 1
                if question.scale and isinstance(value, int):
                    sums[question.id] += value
    results = []
    for q in form.questions:
        mean = sums[q.id] / answered[q.id] if q.scale and answered[q.id] else None
        newest_first = tuple(sorted(texts[q.id], key=lambda t: t.submitted_at, reverse=True))
        results.append(
            QuestionResult(
                q.id,
                q.text.get("ko", ""),
                q.text.get("en", ""),
                q.type,
                answered[q.id],
                _bars(q, counts[q.id], answered[q.id]),
                mean,
                newest_first,
            )
        )
    return ResultsView(form.id, total, abandoned, tuple(results))
