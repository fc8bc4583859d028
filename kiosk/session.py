"""The visit as a state machine in plain Python: answers, steps, conditions, validation, reset."""

from __future__ import annotations

import logging
import unicodedata
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from kiosk.content.models import ContentPack, Form, Question
from kiosk.errors import StorageError
from kiosk.records import Answer, AnswerValue, ResponseDraft, ResponseStatus

log = logging.getLogger(__name__)
Clock = Callable[[], datetime]
Save = Callable[[ResponseDraft], object]
Listener = Callable[["SessionView"], None]


class Step(StrEnum):
    """Where the visitor is."""

    ATTRACT = "attract"
    LANGUAGE = "language"
    HOME = "home"
    BRIEFING = "briefing"
    QUESTION = "question"
    THANKS = "thanks"
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


@dataclass
class _Visit:
    """The mutable state of one visit; replaced wholesale on reset."""

    language: str
    form: Form | None = None
    response_id: str = ""
    started_at: datetime | None = None
    answers: dict[str, AnswerValue] = field(default_factory=dict)
    question_id: str | None = None
    message: ValidationMessage | None = None
    finished_kind: str | None = None
    done_forms: set[str] = field(default_factory=set)


def _utc_now() -> datetime:
    return datetime.now(UTC)


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
    raise ValueError(f"{value!r} is not a valid answer to {question.id!r} ({kind})")


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


class VisitorSession:
    """One visitor at a time: explicit transitions, a view for the screens, reset wipes it all."""

    def __init__(
        self,
        content: ContentPack,
        save: Save,
        languages: tuple[str, ...] = ("ko", "en"),
        clock: Clock = _utc_now,
    ) -> None:
        self._content = content
        self._pending_content: ContentPack | None = None
        self._save = save
        self._languages = languages
        self._clock = clock
        self._listeners: list[Listener] = []
        self._step = Step.ATTRACT
        self._visit = _Visit(language=languages[0])
        self._visit_number = 0
        self._idle_left: int | None = None
        self._out_of_service = False

    # -- observation -------------------------------------------------------------------------
    def subscribe(self, listener: Listener) -> None:
        self._listeners.append(listener)
        listener(self.view)

    def _changed(self) -> None:
        view = self.view
        for listener in self._listeners:
            listener(view)

    @property
    def step(self) -> Step:
        return self._step

    @property
    def has_answers(self) -> bool:
        """Whether the form in progress has any answer (what an idle timeout could keep)."""
        return bool(self._visit.answers)

    @property
    def content(self) -> ContentPack:
        return self._content

    @property
    def view(self) -> SessionView:
        visit = self._visit
        question = self._current_question()
        visible = self.visible_questions()
        position = visible.index(question) + 1 if question in visible else 0
        exit_form = self._content.exit_form(self._clock())
        return SessionView(
            step=self._step,
            language=visit.language,
            languages=self._languages,
            forms=tuple(self._content.home_forms(self._clock())),
            form=visit.form,
            question=question,
            answer=visit.answers.get(question.id) if question else None,
            position=position,
            total=len(visible),
            message=visit.message,
            idle_seconds_left=self._idle_left,
            finished_kind=visit.finished_kind,
            offers_exit_survey=exit_form is not None and exit_form.id not in visit.done_forms,
            visit=self._visit_number,
        )

    # -- questions ---------------------------------------------------------------------------
    def _current_question(self) -> Question | None:
        form, qid = self._visit.form, self._visit.question_id
        return form.question(qid) if form and qid and self._step == Step.QUESTION else None

    def visible_questions(self) -> list[Question]:
        """The questions shown given the answers so far (conditions only look back)."""
        form = self._visit.form
        if form is None:
            return []
        shown: list[Question] = []
        shown_ids: set[str] = set()
        for question in form.questions:
            condition = question.show_if
            if condition is not None:
                earlier = (
                    self._visit.answers.get(condition.question)
                    if condition.question in shown_ids
                    else None
                )
                if not condition.holds(earlier):
                    continue
            shown.append(question)
            shown_ids.add(question.id)
        return shown

    # -- transitions -------------------------------------------------------------------------
    def start(self) -> None:
        """The visitor touched the attract screen."""
        if self._step == Step.ATTRACT:
            self._visit_number += 1
            self._step = Step.LANGUAGE
            self._changed()

    def choose_language(self, language: str) -> None:
        """The visitor picked a language on the language screen: one change, one render."""
        if self._step != Step.LANGUAGE:
            self.switch_language(language)
            return
        if language not in self._languages:
            raise ValueError(f"language {language!r} is not offered")
        self._visit.language = language
        self._step = Step.HOME
        self._changed()

    def switch_language(self, language: str) -> None:
        if language not in self._languages:
            raise ValueError(f"language {language!r} is not offered")
        if language != self._visit.language:
            self._visit.language = language
            self._changed()

    def open_form(self, form_id: str) -> None:
        form = self._content.form(form_id)
        if form is None or self._step not in (Step.HOME, Step.THANKS):
            raise ValueError(f"form {form_id!r} cannot be opened from {self._step}")
        visit = self._visit
        visit.form = form
        visit.response_id = str(uuid.uuid4())
        visit.started_at = self._clock()
        visit.answers = {}
        visit.message = None
        visit.finished_kind = None
        if form.briefing is not None:
            self._step = Step.BRIEFING
            visit.question_id = None
        else:
            self._step = Step.QUESTION
            visit.question_id = form.questions[0].id
        self._changed()

    def begin_questions(self) -> None:
        form = self._visit.form
        if self._step == Step.BRIEFING and form is not None:
            self._step = Step.QUESTION
            self._visit.question_id = self.visible_questions()[0].id
            self._changed()

    def answer(self, value: AnswerValue | None) -> None:
        """Record (or clear, with None) the answer to the question on screen."""
        question = self._current_question()
        if question is None:
            raise ValueError(f"no question on screen at step {self._step}")
        if value is None:
            self._visit.answers.pop(question.id, None)
        else:
            self._visit.answers[question.id] = check_value(question, value)
        self._visit.message = None
        self._changed()

    def next(self) -> None:
        """Validate the question on screen and go on, or submit after the last one."""
        question = self._current_question()
        if question is None:
            return
        message = problem_with(question, self._visit.answers.get(question.id))
        if message is not None:
            self._visit.message = message
            self._changed()
            return
        visible = self.visible_questions()
        index = visible.index(question)
        if index + 1 < len(visible):
            self._visit.question_id = visible[index + 1].id
            self._visit.message = None
            self._changed()
        else:
            self.submit()

    def back(self) -> None:
        visit = self._visit
        if self._step == Step.QUESTION and visit.form is not None:
            visible = self.visible_questions()
            question = self._current_question()
            index = visible.index(question) if question in visible else 0
            visit.message = None
            if index > 0:
                visit.question_id = visible[index - 1].id
            elif visit.form.briefing is not None:
                self._step, visit.question_id = Step.BRIEFING, None
            else:
                self._leave_form()
                return
        elif self._step == Step.BRIEFING:
            self._leave_form()
            return
        elif self._step == Step.HOME:
            self._step = Step.LANGUAGE
        self._changed()

    def quit_form(self) -> None:
        """The visitor chose to stop: nothing of this form is kept."""
        if self._step in (Step.BRIEFING, Step.QUESTION):
            self._leave_form()

    def _leave_form(self) -> None:
        visit = self._visit
        visit.form, visit.question_id, visit.answers, visit.message = None, None, {}, None
        self._step = Step.HOME
        self._changed()

    def _draft(self, status: ResponseStatus) -> ResponseDraft:
        visit = self._visit
        assert visit.form is not None and visit.started_at is not None
        visible = self.visible_questions()
        answers = tuple(Answer(q.id, visit.answers[q.id]) for q in visible if q.id in visit.answers)
        return ResponseDraft(
            id=visit.response_id,
            form_id=visit.form.id,
            form_version=visit.form.version,
            form_hash=visit.form.definition_hash,
            content_version=self._content.version,
            language=visit.language,
            status=status,
            started_at=visit.started_at,
            submitted_at=self._clock(),
            answers=answers,
        )

    def submit(self) -> None:
        """Write the response; the thank-you screen shows only after the commit."""
        visit = self._visit
        if self._step != Step.QUESTION or visit.form is None:
            return
        for question in self.visible_questions():
            message = problem_with(question, visit.answers.get(question.id))
            if message is not None:
                visit.question_id, visit.message = question.id, message
                self._changed()
                return
        try:
            self._save(self._draft("complete"))
        except StorageError as exc:
            log.error("could not save response of form %s: %s", visit.form.id, exc)
            visit.message = ValidationMessage("error.save_failed")
            self._changed()
            return
        visit.done_forms.add(visit.form.id)
        visit.finished_kind = visit.form.kind
        visit.form, visit.question_id, visit.answers = None, None, {}
        self._step = Step.THANKS
        self._changed()

    def another(self) -> None:
        if self._step == Step.THANKS:
            self._visit.finished_kind = None
            self._step = Step.HOME
            self._changed()

    def finish(self) -> None:
        """Leave the thank-you screen: the exit survey if not yet answered, else start over."""
        if self._step != Step.THANKS:
            return
        exit_form = self._content.exit_form(self._clock())
        if exit_form is not None and exit_form.id not in self._visit.done_forms:
            self.open_form(exit_form.id)
        else:
            self.reset("finished")

    # -- idle --------------------------------------------------------------------------------
    def idle_countdown(self, seconds_left: int | None) -> None:
        """Show (or with None, hide) the 'are you still there?' countdown."""
        if self._step in (Step.ATTRACT, Step.OUT_OF_SERVICE):
            seconds_left = None
        if seconds_left != self._idle_left:
            self._idle_left = seconds_left
            self._changed()

    def idle_expired(self) -> None:
        """Nobody answered the countdown: keep partial answers where the form allows, then reset."""
        visit = self._visit
        if (
            self._step == Step.QUESTION
            and visit.form is not None
            and visit.form.keep_abandoned
            and visit.answers
        ):
            try:
                self._save(self._draft("abandoned"))
            except StorageError as exc:
                log.error("could not keep abandoned answers of %s: %s", visit.form.id, exc)
        self.reset("idle")

    def reset(self, reason: str) -> None:
        """Forget the visitor entirely and return to the attract screen."""
        log.info("visit reset (%s)", reason)
        self._visit = _Visit(language=self._languages[0])
        self._idle_left = None
        self._step = Step.OUT_OF_SERVICE if self._out_of_service else Step.ATTRACT
        if self._pending_content is not None:
            self._content, self._pending_content = self._pending_content, None
            log.info("content pack %s is now live", self._content.version)
        self._changed()

    @property
    def out_of_service(self) -> bool:
        return self._out_of_service

    def set_out_of_service(self, value: bool) -> None:
        """Staff take the kiosk out of service (or back). A visit in progress is never cut short:
        the notice shows when that visit ends (reset), the attract screen switches at once."""
        self._out_of_service = value
        if value and self._step == Step.ATTRACT:
            self._step = Step.OUT_OF_SERVICE
            self._changed()
        elif not value and self._step == Step.OUT_OF_SERVICE:
            self._step = Step.ATTRACT
            self._changed()

    def replace_content(self, content: ContentPack) -> None:
        """Switch content at the attract screen only, never in the middle of a visit."""
        if self._step in (Step.ATTRACT, Step.OUT_OF_SERVICE):
            self._content = content
            self._changed()
        else:
            self._pending_content = content
