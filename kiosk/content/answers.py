"""The rules of answers, shared by the kiosk's visit and the hub's web forms.

Which questions a form shows given the answers so far (skip rules), which count towards the
progress total, whether a value is an answer a question takes, and what is wrong with an answer
(`Problem`: a code and its numbers). The words for a problem belong to each side's screens: the
kiosk's catalogs (`error.<code>`), the hub's web texts (`error_<code>`).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from kiosk.core.records import AnswerValue

if TYPE_CHECKING:
    from kiosk.content.models import Form, Question

ProblemCode = Literal["required", "too_few", "too_many", "too_long"]
PROBLEM_CODES: tuple[ProblemCode, ...] = ("required", "too_few", "too_many", "too_long")


@dataclass(frozen=True)
class Problem:
    """Why an answer cannot be accepted: a code and the numbers its message names."""

    code: ProblemCode
    values: tuple[tuple[str, int], ...] = ()


def normalised_answer(question: Question, value: AnswerValue) -> AnswerValue:
    """The value as the question takes it (choices known, de-duplicated, in range, NFC text), or
    ValueError when the question cannot take it at all (a bug in the caller)."""
    kind = question.type
    if kind == "single_choice" and isinstance(value, str) and question.option(value):
        return value
    if kind == "multi_choice" and isinstance(value, tuple | list):
        picked = tuple(dict.fromkeys(value))
        if all(isinstance(v, str) and question.option(v) for v in picked):
            return picked
    if kind == "yes_no" and isinstance(value, bool):
        return value
    if question.scale and isinstance(value, int) and not isinstance(value, bool):
        low, high = question.scale
        if low <= value <= high:
            return value
    if kind == "free_text" and isinstance(value, str):
        return unicodedata.normalize("NFC", value)
    # The value itself stays out of the message: a traceback in the log must hold no answer text.
    shown = type(value).__name__ if isinstance(value, str) else repr(value)
    raise ValueError(f"{shown} is not a valid answer to {question.id!r} ({kind})")


def check_value(question: Question, value: AnswerValue | None) -> Problem | None:
    """What is wrong with this answer (None, an empty text or no picks is no answer), or None."""
    empty = value is None or value == () or (isinstance(value, str) and not value.strip())
    if empty:
        return Problem("required") if question.required else None
    if question.type == "multi_choice" and isinstance(value, tuple):
        low, high = question.picks
        if len(value) < low:
            return Problem("too_few", (("min", low),))
        if len(value) > high:
            return Problem("too_many", (("max", high),))
    if question.type == "free_text" and isinstance(value, str) and len(value) > question.max_length:
        return Problem("too_long", (("limit", question.max_length),))
    return None


def visible_questions(form: Form, answers: Mapping[str, AnswerValue]) -> list[Question]:
    """The questions shown given the answers: a skip rule (`show_if`) looks only at an earlier
    question that is itself shown, so an answer left behind on a skipped question changes nothing."""
    shown: list[Question] = []
    shown_ids: set[str] = set()
    for question in form.questions:
        condition = question.show_if
        if condition is not None:
            earlier = answers.get(condition.question) if condition.question in shown_ids else None
            if not condition.holds(earlier):
                continue
        shown.append(question)
        shown_ids.add(question.id)
    return shown


def countable_questions(form: Form, answers: Mapping[str, AnswerValue]) -> list[Question]:
    """The questions shown, or that can still be shown, given the answers so far.

    A question counts when it has no condition, or when its condition's question counts and is
    either unanswered (it may still turn the question on) or answered so that the condition
    holds. Answering forward can only lower this count, never raise it, so "3 of 5" never turns
    into "of 6"; it is the progress total."""
    counted: list[Question] = []
    counted_ids: set[str] = set()
    for question in form.questions:
        condition = question.show_if
        if condition is not None:
            if condition.question not in counted_ids:
                continue
            earlier = answers.get(condition.question)
            if earlier is not None and not condition.holds(earlier):
                continue
        counted.append(question)
        counted_ids.add(question.id)
    return counted


def problems(form: Form, answers: Mapping[str, AnswerValue]) -> dict[str, Problem]:
    """The problems of the shown questions' answers, by question id in question order; answers to
    skipped questions are not looked at."""
    found: dict[str, Problem] = {}
    for question in visible_questions(form, answers):
        problem = check_value(question, answers.get(question.id))
        if problem is not None:
            found[question.id] = problem
    return found


def shown_answers(form: Form, answers: Mapping[str, AnswerValue]) -> dict[str, AnswerValue]:
    """The answers that count, in question order: those of shown questions; the rest dropped."""
    return {q.id: answers[q.id] for q in visible_questions(form, answers) if q.id in answers}
