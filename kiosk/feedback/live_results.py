"""Live results of a public survey: tallies, the no-double-count combination, the k threshold."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, ClassVar

from pydantic import BaseModel, ConfigDict, Field, NonNegativeInt, model_validator

from kiosk.core.records import AnswerValue

if TYPE_CHECKING:
    from kiosk.content.models import Form, Question

# Question types whose answers can be counted (free text never is).
COUNTED_TYPES = frozenset({"single_choice", "multi_choice", "yes_no", "likert", "rating", "nps"})
# Outbox states after which the backend may already hold (and count) a response: `sending` means
# the request may have reached the server even if its acknowledgement never came back.
UPLOADED_STATES = frozenset({"sent", "sending"})
Counts = Mapping[str, Mapping[str, int]]


def value_keys(value: AnswerValue) -> tuple[str, ...]:
    """How an answer is counted: option ids, "true"/"false", or the scale point as text."""
    if isinstance(value, bool):
        return ("true" if value else "false",)
    if isinstance(value, tuple):
        return value
    return (str(value),)


@dataclass(frozen=True)
class Tally:
    """Counts for one form: responses, answers per question, and answers per question and value."""

    responses: int = 0
    answered: Mapping[str, int] = field(default_factory=dict)
    counts: Counts = field(default_factory=dict)

    @classmethod
    def of(cls, answer_sets: Iterable[Mapping[str, AnswerValue]]) -> Tally:
        """Count responses given as {question_id: value} (tests and the reference backend)."""
        responses, answered, counts = 0, _Cells(), _Grid()
        for answers in answer_sets:
            responses += 1
            for question_id, value in answers.items():
                answered.add(question_id, 1)
                for key in value_keys(value):
                    counts.add(question_id, key, 1)
        return cls(responses, answered.frozen(), counts.frozen())

    def cells(self) -> set[tuple[str, str]]:
        return {(q, v) for q, values in self.counts.items() for v in values}

    def count(self, question_id: str, key: str) -> int:
        return self.counts.get(question_id, {}).get(key, 0)


class _Cells(dict[str, int]):
    def add(self, key: str, amount: int) -> None:
        self[key] = self.get(key, 0) + amount

    def frozen(self) -> dict[str, int]:
        return {k: v for k, v in self.items() if v}


class _Grid(dict[str, dict[str, int]]):
    def add(self, question_id: str, key: str, amount: int) -> None:
        row = self.setdefault(question_id, {})
        row[key] = row.get(key, 0) + amount

    def frozen(self) -> dict[str, dict[str, int]]:
        kept = {q: {k: v for k, v in row.items() if v} for q, row in self.items()}
        return {q: row for q, row in kept.items() if row}


def _cellwise(op: str, *tallies: Tally) -> Tally:
    """Apply +, - (floored at 0) or max to every cell of the tallies."""
    ids = {q for t in tallies for q in t.answered} | {q for t in tallies for q in t.counts}
    cells = set().union(*(t.cells() for t in tallies))

    def fold(values: list[int]) -> int:
        if op == "max":
            return max(values)
        if op == "-":
            return max(values[0] - sum(values[1:]), 0)
        return sum(values)

    answered = {q: fold([t.answered.get(q, 0) for t in tallies]) for q in ids}
    grid = _Grid()
    for question_id, key in cells:
        grid.add(question_id, key, fold([t.count(question_id, key) for t in tallies]))
    responses = fold([t.responses for t in tallies])
    return Tally(responses, {q: n for q, n in answered.items() if n}, grid.frozen())


def combine(uploaded: Tally, pending: Tally, backend: Tally, backend_device: Tally) -> Tally:
    """Totals so far, counting every response once.

    `uploaded`/`pending`: this kiosk's complete responses whose outbox state is in / not in
    UPLOADED_STATES. `backend`: the backend's totals over all kiosks; `backend_device`: the part of
    them that came from this kiosk. The backend's other kiosks are added as they are; for this
    kiosk, a cell takes the larger of what the backend counted and what was uploaded (the backend
    may be behind the last upload, or this kiosk may have purged old uploaded rows), plus what was
    never uploaded.
    """
    others = _cellwise("-", backend, backend_device)
    mine = _cellwise("+", _cellwise("max", uploaded, backend_device), pending)
    return _cellwise("+", others, mine)


# -- what the visitor sees ----------------------------------------------------------------------


@dataclass(frozen=True)
class ResultRow:
    """One choice or scale point: its label in every language, count and whole percentage.

    Yes/no answers have no label of their own in the form: `label_key` names the kiosk's string
    for them ("answer.yes"), which the screens look up; `label` is then empty."""

    label: Mapping[str, str]
    count: int
    percent: int
    label_key: str | None = None


@dataclass(frozen=True)
class QuestionResult:
    """The results of one question; percentages are of those who answered it."""

    question_id: str
    text: Mapping[str, str]
    answered: int
    rows: tuple[ResultRow, ...]

    @property
    def leading(self) -> ResultRow:
        return max(self.rows, key=lambda row: row.count)


@dataclass(frozen=True)
class FormResults:
    """A public survey's results so far (only made once at least k responses exist)."""

    form_id: str
    title: Mapping[str, str]
    responses: int
    questions: tuple[QuestionResult, ...]


@dataclass(frozen=True)
class ResultHighlight:
    """A public survey's leading answer, for the attract rotation (the screens word it)."""

    question: Mapping[str, str]
    answer: ResultRow
    responses: int
    kind: ClassVar[str] = "result"


@dataclass(frozen=True)
class FeedHighlight:
    """A "you said, we did" entry for the attract rotation: its status and title."""

    status: str
    title: Mapping[str, str]
    kind: ClassVar[str] = "feed"


Highlight = ResultHighlight | FeedHighlight


def _labels(question: Question) -> list[tuple[str, dict[str, str], str | None]]:
    if question.options:
        return [(o.id, dict(o.text), None) for o in question.options]
    if question.type == "yes_no":
        return [("true", {}, "answer.yes"), ("false", {}, "answer.no")]
    assert question.scale is not None
    low, high = question.scale
    ends = question.labels
    rows: list[tuple[str, dict[str, str], str | None]] = []
    for point in range(high, low - 1, -1):
        words = (
            (ends.high if point == high else ends.low if point == low else None) if ends else None
        )
        if words:
            label = {lang: f"{point} · {text}" for lang, text in words.items()}
        else:
            label = {lang: str(point) for lang in ("ko", "en")}
        rows.append((str(point), label, None))
    return rows


def percent(count: int, of: int) -> int:
    return round(100 * count / of) if of else 0


def results_view(form: Form, tally: Tally, k: int) -> FormResults | None:
    """What may be shown: nothing below k responses, and only questions answered k times or more."""
    if tally.responses < k:
        return None
    shown = []
    for question in form.questions:
        answered = tally.answered.get(question.id, 0)
        if question.type not in COUNTED_TYPES or answered < k:
            continue
        rows = tuple(
            ResultRow(
                label,
                tally.count(question.id, key),
                percent(tally.count(question.id, key), answered),
                label_key,
            )
            for key, label, label_key in _labels(question)
        )
        shown.append(QuestionResult(question.id, dict(question.text), answered, rows))
    return FormResults(form.id, dict(form.title), tally.responses, tuple(shown))


# -- what comes down from the backend (docs/sync-protocol.md, "Closing the loop") ----------------


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class QuestionCounts(_Strict):
    """One question's counts in the backend's results document."""

    answered: NonNegativeInt
    device_answered: NonNegativeInt = 0
    counts: dict[str, NonNegativeInt] = Field(default_factory=dict)
    device_counts: dict[str, NonNegativeInt] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _device_part_within_total(self) -> QuestionCounts:
        if self.device_answered > self.answered:
            raise ValueError("device_answered exceeds answered")
        for key, count in self.device_counts.items():
            if count > self.counts.get(key, 0):
                raise ValueError(f"device_counts[{key!r}] exceeds counts[{key!r}]")
        return self


class FormCounts(_Strict):
    """One public form's counts in the backend's results document."""

    responses: NonNegativeInt
    device_responses: NonNegativeInt = 0
    questions: dict[str, QuestionCounts] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _device_part_within_total(self) -> FormCounts:
        if self.device_responses > self.responses:
            raise ValueError("device_responses exceeds responses")
        return self

    def tallies(self) -> tuple[Tally, Tally]:
        """(all kiosks, this kiosk) as tallies."""
        total = Tally(
            self.responses,
            {q: c.answered for q, c in self.questions.items()},
            {q: dict(c.counts) for q, c in self.questions.items()},
        )
        device = Tally(
            self.device_responses,
            {q: c.device_answered for q, c in self.questions.items()},
            {q: dict(c.device_counts) for q, c in self.questions.items()},
        )
        return total, device


class BackendResults(_Strict):
    """GET /v1/devices/{device_id}/results: totals over all kiosks and this kiosk's share."""

    generated_at: datetime
    device_id: str
    forms: dict[str, FormCounts] = Field(default_factory=dict)
