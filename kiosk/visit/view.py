"""The values of a visit that screens and tests see: steps, the view, and answer problems as text
keys (the checks themselves are kiosk.content.answers, shared with the hub's web forms)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Any, Protocol

from kiosk.content.answers import Problem, check_value
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


def problem_message(problem: Problem) -> ValidationMessage:
    """A problem with an answer as the text key the screens show (`error.<code>`) and its values."""
    return ValidationMessage(f"error.{problem.code}", problem.values)


def problem_with(question: Question, value: AnswerValue | None) -> ValidationMessage | None:
    """Why this answer cannot be accepted yet, or None."""
    problem = check_value(question, value)
    return None if problem is None else problem_message(problem)
