"""The values of a visit that screens and tests see: steps, the view, and the answer checks."""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Any, Protocol

from kiosk.core.records import AnswerValue

if TYPE_CHECKING:  # the content models pull in pydantic; a visit only reads them
    from kiosk.content.models import ConsentText, ContentPack, Form, Question
    from kiosk.feedback.feed import FeedView
    from kiosk.feedback.live_results import FormResults, Highlight
    from kiosk.feedback.receipts import Receipt


class Feedback(Protocol):
    """What closes the loop with visitors (kiosk.visit.loop): results, feed, receipts."""

    def receipt(self, code: str) -> Receipt: ...

    def results(self, form: Form) -> FormResults | None: ...

    def highlights(self, content: ContentPack) -> tuple[Highlight, ...]: ...

    def feed(self, content: ContentPack) -> FeedView | None:
        """The last feed pulled from the backend, or None until one has arrived."""


class Step(StrEnum):
    """Where the visitor is."""

    ATTRACT = "attract"
    HOME = "home"
    BRIEFING = "briefing"
    QUESTION = "question"
    CONSENT = "consent"
    CONTACT = "contact"
    THANKS = "thanks"
    FEED = "feed"
    OUT_OF_SERVICE = "out_of_service"


@dataclass(frozen=True)
class ValidationMessage:
    """Why the visitor cannot go on yet: a text key and its values."""

    key: str
    values: tuple[tuple[str, Any], ...] = ()


@dataclass(frozen=True)
class SessionView:
    """Everything a screen needs to draw the visit, as immutable values."""

    step: Step
    language: str
    languages: tuple[str, ...]
    forms: tuple[Form, ...] = ()
    form: Form | None = None
    question: Question | None = None
    answer: AnswerValue | None = None
    position: int = 0
    total: int = 0
    message: ValidationMessage | None = None
    idle_seconds_left: int | None = None
    finished_kind: str | None = None
    offers_exit_survey: bool = False
    visit: int = 0
    easy_mode: bool = False
    # Privacy (docs/privacy.md): kinds of personal data just masked in the free text on screen,
    # and the consent step's text, choices so far and the items agreed for the contact step.
    masked_kinds: tuple[str, ...] = ()
    consent: ConsentText | None = None
    consent_choices: tuple[tuple[str, bool | None], ...] = ()
    retention_days: int = 0
    receipt: Receipt | None = None
    results: FormResults | None = None
    feed: FeedView | None = None
    highlights: tuple[Highlight, ...] = ()
    has_feed: bool = False
    # The form's briefing shown above its first question (a short one shares that screen).
    briefing_shared: bool = False
    # Whether one tap on an answer of the question on screen goes on (after a short confirmation).
    auto_advance: bool = False
    # "Start over" was tapped with answers on screen: the visitor is asked once to confirm.
    confirm_restart: bool = False
    # The one-tap visit rating on the thank-you screen: its question, and the rating once given.
    visit_rating: Question | None = None
    visit_rated: int | None = None
    thanks_seconds_left: int | None = None


# A briefing this short (in every language) is shown with the first question, not on its own screen.
SHARED_BRIEFING_CHARS = 600


def shares_briefing(form: Form) -> bool:
    """Whether the form's briefing fits above its first question (else it gets its own screen)."""
    briefing = form.briefing
    if briefing is None:
        return False
    return all(len(body) <= SHARED_BRIEFING_CHARS for body in briefing.body.values())


def auto_advances(question: Question) -> bool:
    """Whether one tap on an answer is the whole answer: single choice, yes/no and scales.

    A choice whose options lead to a topic briefing waits for "next": the visitor may first want to
    read about the topic picked."""
    if question.type == "single_choice":
        return not any(option.briefing for option in question.options or [])
    return question.type == "yes_no" or question.scale is not None


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


def check_value(question: Question, value: AnswerValue) -> AnswerValue:
    """Normalise an answer for its question, or raise ValueError (a bug in the caller)."""
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


def problem_with(question: Question, value: AnswerValue | None) -> ValidationMessage | None:
    """Why this answer cannot be accepted yet, or None."""
    empty = value is None or value == () or (isinstance(value, str) and not value.strip())
    if empty:
        return ValidationMessage("error.required") if question.required else None
    if question.type == "multi_choice" and isinstance(value, tuple):
        low, high = question.picks
        if len(value) < low:
            return ValidationMessage("error.too_few", (("min", low),))
        if len(value) > high:
            return ValidationMessage("error.too_many", (("max", high),))
    if question.type == "free_text" and isinstance(value, str) and len(value) > question.max_length:
        return ValidationMessage("error.too_long", (("limit", question.max_length),))
    return None
