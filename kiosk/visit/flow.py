"""The visit as a state machine in plain Python: answers, steps, conditions, validation, reset.

The values it shows (Step, SessionView, ValidationMessage) and the answer checks live in
kiosk.visit.view; they are re-exported here, where most callers look for them.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from kiosk.core.errors import StorageError
from kiosk.core.records import Answer, AnswerValue, ConsentReceipt, ResponseDraft, ResponseStatus
from kiosk.feedback.receipts import DEFAULT_RECEIPT_URL, Receipt, new_receipt_code, receipt_for
from kiosk.privacy.masking import prepare_free_text
from kiosk.visit.consent import (
    CONTACT_ITEMS,
    NORMALISERS,
    ContactOffer,
    ContactState,
    sealed_contact,
)
from kiosk.visit.view import (
    Feedback,
    SessionView,
    Step,
    ValidationMessage,
    check_value,
    problem_with,
)

if TYPE_CHECKING:  # the content models pull in pydantic; the session only reads them
    from kiosk.content.models import ContentPack, Form, Question
    from kiosk.feedback.feed import FeedView
    from kiosk.feedback.live_results import FormResults, Highlight

__all__ = [
    "Feedback",
    "SessionView",
    "Step",
    "ValidationMessage",
    "VisitorSession",
    "check_value",
    "problem_with",
]
log = logging.getLogger(__name__)
Clock = Callable[[], datetime]
Save = Callable[[ResponseDraft], object]
Listener = Callable[["SessionView"], None]
VisitEnd = Callable[[str], object]
# How a visit ended, counted (anonymously) for staff: answered something, walked away with a
# partial answer kept, or left without leaving any answer.
VISIT_OUTCOMES = ("completed", "abandoned_kept", "left")

# Kinds of form whose visitors get a receipt to follow their suggestion up (issue 7).
RECEIPT_KINDS = frozenset({"opinion", "proposal_call"})


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
    easy_mode: bool = False
    started: bool = False
    kept_partial: bool = False

    masked_kinds: tuple[str, ...] = ()
    masked_at: datetime | None = None
    submitted_at: datetime | None = None
    contact: ContactState = field(default_factory=ContactState)
    consent_at: datetime | None = None
    last_tap: tuple[str, AnswerValue, datetime] | None = None
    receipt: Receipt | None = None
    results: FormResults | None = None
    feed: FeedView | None = None

    @property
    def outcome(self) -> str:
        if self.done_forms:
            return "completed"
        return "abandoned_kept" if self.kept_partial else "left"


def _utc_now() -> datetime:
    return datetime.now(UTC)


class VisitorSession:
    """One visitor at a time: explicit transitions, a view for the screens, reset wipes it all."""

    def __init__(
        self,
        content: ContentPack,
        save: Save,
        languages: tuple[str, ...] = ("ko", "en"),
        clock: Clock = _utc_now,
        feedback: Feedback | None = None,
        on_visit_end: VisitEnd | None = None,
        contact_offer: ContactOffer | None = None,
        rating_debounce_ms: int = 0,
    ) -> None:
        self._feedback = feedback
        self._highlights: tuple[Highlight, ...] = ()
        self._contact_offer = contact_offer
        self._debounce = timedelta(milliseconds=rating_debounce_ms)
        self._content = content
        self._on_visit_end = on_visit_end
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
            easy_mode=visit.easy_mode,
            masked_kinds=visit.masked_kinds if self._step == Step.QUESTION else (),
            consent=self._content.consent if self._step in (Step.CONSENT, Step.CONTACT) else None,
            consent_choices=tuple(visit.contact.choices.items()),
            retention_days=self._contact_offer.retention_days if self._contact_offer else 0,
            receipt=visit.receipt if self._step == Step.THANKS else None,
            results=visit.results if self._step == Step.THANKS else None,
            feed=visit.feed if self._step == Step.FEED else None,
            highlights=self._highlights,
            has_feed=self._feedback is not None,
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
            self._visit.started = True
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

    def set_easy_mode(self, on: bool) -> None:
        """Easy mode (large text, high contrast, low position, voice) for this visit only."""
        if on != self._visit.easy_mode:
            self._visit.easy_mode = on
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
        visit = self._visit
        if (
            value is not None
            and question.scale is not None
            and self._is_repeat_tap(question.id, value)
        ):
            return
        if value is None:
            visit.answers.pop(question.id, None)
        else:
            value = check_value(question, value)
            if visit.answers.get(question.id) == value and visit.masked_kinds:
                return  # the box showing the masked text echoes it back: keep the notice
            visit.answers[question.id] = value
        visit.masked_kinds = ()
        visit.message = None
        self._changed()

    def _is_repeat_tap(self, question_id: str, value: AnswerValue) -> bool:
        """Repeated taps on the same rating within the debounce interval count once."""
        now, last = self._clock(), self._visit.last_tap
        self._visit.last_tap = (question_id, value, now)
        return (
            last is not None
            and last[:2] == (question_id, value)
            and now - last[2] < self._debounce
            and self._visit.answers.get(question_id) == value
        )

    def _prepare_text(self, question: Question) -> bool:
        """Clean and mask the free text on screen; True if the visitor must first see the masks."""
        visit = self._visit
        value = visit.answers.get(question.id)
        if question.type != "free_text" or not isinstance(value, str):
            return False
        prepared = prepare_free_text(value)
        if prepared.text:
            visit.answers[question.id] = prepared.text
        else:
            visit.answers.pop(question.id, None)
        if prepared.kinds:
            visit.masked_kinds = tuple(sorted(prepared.kinds))
            visit.masked_at = self._clock()
            visit.message = None
            self._changed()
            return True
        return False

    def next(self) -> None:
        """Validate the question on screen and go on, or submit after the last one."""
        question = self._current_question()
        if question is None:
            return
        masked_at = self._visit.masked_at
        if self._visit.masked_kinds and masked_at and self._clock() - masked_at < self._debounce:
            return  # a double tap must not skip the notice about what was masked
        if self._prepare_text(question):
            return
        self._visit.masked_kinds = ()
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
        visit.masked_kinds = ()
        if self._step == Step.CONTACT:
            self._step = Step.CONSENT
            visit.contact.values.clear()  # the fields are emptied too; nothing typed lingers
        elif self._step == Step.CONSENT:
            self._step = Step.QUESTION
            visit.contact.wipe()
        elif self._step == Step.QUESTION and visit.form is not None:
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
        elif self._step == Step.FEED:
            self.close_feed()
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

    def open_feed(self) -> None:
        """The visitor opened "you said, we did" from home (or from the thank-you screen)."""
        if self._feedback is None or self._step not in (Step.HOME, Step.THANKS):
            return
        self._visit.feed = self._feedback.feed(self._content)
        self._step = Step.FEED
        self._changed()

    def close_feed(self) -> None:
        if self._step == Step.FEED:
            self._visit.feed = None
            self._step = Step.HOME
            self._changed()

    def refresh_highlights(self) -> None:
        """Recompute the attract rotation (at start, after each visit, after sync pulled news)."""
        self._compute_highlights()
        if self._step == Step.ATTRACT:
            self._changed()

    def _compute_highlights(self) -> None:
        if self._feedback is None:
            return
        try:
            self._highlights = self._feedback.highlights(self._content)
        except StorageError as exc:
            log.error("could not compute the attract highlights: %s", exc)
            self._highlights = ()

    def _draft(
        self,
        status: ResponseStatus,
        consent: bool = False,
        contact: bytes | None = None,
        receipt_code: str | None = None,
    ) -> ResponseDraft:
        visit = self._visit
        assert visit.form is not None and visit.started_at is not None
        visible = self.visible_questions()
        answers = tuple(
            Answer(q.id, self._stored_value(q, visit.answers[q.id]))
            for q in visible
            if q.id in visit.answers
        )
        limits = tuple((q.id, q.max_length) for q in visible if q.type == "free_text")
        consent_receipt = None
        consent_text = self._content.consent
        if consent and consent_text is not None and visit.consent_at is not None:
            choices = tuple((item, bool(agreed)) for item, agreed in visit.contact.choices.items())
            consent_receipt = ConsentReceipt(consent_text.version, choices, visit.consent_at)
        return ResponseDraft(
            id=visit.response_id,
            form_id=visit.form.id,
            form_version=visit.form.version,
            form_hash=visit.form.definition_hash,
            content_version=self._content.version,
            language=visit.language,
            status=status,
            started_at=visit.started_at,
            submitted_at=visit.submitted_at or self._clock(),
            answers=answers,
            text_limits=limits,
            consent=consent_receipt,
            contact_ciphertext=contact,
            receipt=receipt_code,
        )

    @staticmethod
    def _stored_value(question: Question, value: AnswerValue) -> AnswerValue:
        """Free text as stored: cleaned, masked and within its limit in code points, always."""
        if question.type == "free_text" and isinstance(value, str):
            return prepare_free_text(value, question.max_length).text
        return value

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
        visit.submitted_at = self._clock()
        if self._offers_contact(visit.form):
            # Saved after the consent step, with its receipt and sealed details, in one transaction.
            visit.contact.choices = {item: None for item in self._consent_items()}
            visit.message = None
            self._step = Step.CONSENT
            self._changed()
            return
        self._save_and_thank()

    def _save_and_thank(self, consent: bool = False, contact: bytes | None = None) -> None:
        visit = self._visit
        assert visit.form is not None
        code = new_receipt_code() if visit.form.kind in RECEIPT_KINDS else None
        try:
            self._save(self._draft("complete", consent, contact, code))
        except StorageError as exc:
            log.error("could not save response of form %s: %s", visit.form.id, exc)
            visit.message = ValidationMessage("error.save_failed")
            self._changed()
            return
        visit.contact.wipe()
        self._close_the_loop(visit.form, code)
        visit.done_forms.add(visit.form.id)
        visit.finished_kind = visit.form.kind
        visit.form, visit.question_id, visit.answers = None, None, {}
        visit.submitted_at = visit.consent_at = None
        self._step = Step.THANKS
        self._changed()

    # -- consent and contact details -------------------------------------------------------
    def _consent_items(self) -> list[str]:
        consent = self._content.consent
        return [item for item in CONTACT_ITEMS if consent is not None and item in consent.items]

    def _offers_contact(self, form: Form) -> bool:
        consent = self._content.consent
        return (
            self._contact_offer is not None
            and consent is not None
            and form.kind in consent.offered_after
        )

    def choose_consent(self, item: str, agreed: bool) -> None:
        """The visitor agreed to, or refused, one item (email, phone) of the consent."""
        choices = self._visit.contact.choices
        if self._step == Step.CONSENT and item in choices:
            choices[item] = agreed
            self._visit.message = None
            self._changed()

    def refuse_contact(self) -> None:
        """'No, thank you': every item refused, the response saved with the refusal only."""
        if self._step != Step.CONSENT:
            return
        visit = self._visit
        visit.contact.choices = dict.fromkeys(visit.contact.choices, False)
        visit.contact.values.clear()
        visit.consent_at = self._clock()
        self._save_and_thank(consent=True)

    def confirm_consent(self) -> None:
        """Go on from the consent screen once every item has a yes or a no."""
        if self._step != Step.CONSENT:
            return
        visit = self._visit
        if any(choice is None for choice in visit.contact.choices.values()):
            visit.message = ValidationMessage("consent.choose_each")
            self._changed()
            return
        visit.consent_at = self._clock()
        if not any(visit.contact.choices.values()):
            self._save_and_thank(consent=True)
            return
        visit.message = None
        self._step = Step.CONTACT
        self._changed()

    def enter_contact(self, item: str, value: str) -> None:
        """The visitor typed into a contact field; kept in this visit only, never in a view."""
        if self._step == Step.CONTACT and self._visit.contact.choices.get(item):
            self._visit.contact.values[item] = value

    def submit_contact(self) -> None:
        """Check the typed details, seal them to the ministry's key and save the response."""
        if self._step != Step.CONTACT or self._contact_offer is None:
            return
        visit = self._visit
        details: dict[str, str] = {}
        for item, agreed in visit.contact.choices.items():
            typed = visit.contact.values.get(item, "").strip()
            if not agreed or not typed:
                continue
            normalised = NORMALISERS[item](typed)
            if normalised is None:
                visit.message = ValidationMessage(f"contact.invalid_{item}")
                self._changed()
                return
            details[item] = normalised
        if not details:
            visit.message = ValidationMessage("contact.empty")
            self._changed()
            return
        self._save_and_thank(True, sealed_contact(self._contact_offer.seal, details))

    def skip_contact(self) -> None:
        """Agreed, then changed their mind: the receipt is kept, no details are."""
        if self._step == Step.CONTACT:
            self._visit.contact.values.clear()
            self._save_and_thank(consent=True)

    def _close_the_loop(self, form: Form, code: str | None) -> None:
        """After the commit: the visitor's receipt, and a public survey's results so far."""
        visit, feedback = self._visit, self._feedback
        visit.receipt = None if code is None else receipt_for(code, DEFAULT_RECEIPT_URL)
        visit.results = None
        if feedback is None:
            return
        if code is not None:
            visit.receipt = feedback.receipt(code)
        try:
            visit.results = feedback.results(form)
        except StorageError as exc:  # the answer is safe; only the results cannot be shown
            log.error("could not compute results of %s: %s", form.id, exc)

    def another(self) -> None:
        if self._step == Step.THANKS:
            self._visit.receipt, self._visit.results = None, None
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
        # At the consent step the answers are kept by reset() itself.
        if (
            self._step == Step.QUESTION
            and visit.form is not None
            and visit.form.keep_abandoned
            and visit.answers
        ):
            try:
                self._save(self._draft("abandoned"))
                visit.kept_partial = True
            except StorageError as exc:
                log.error("could not keep abandoned answers of %s: %s", visit.form.id, exc)
        self.reset("idle")

    def reset(self, reason: str) -> None:
        """Forget the visitor entirely and return to the attract screen."""
        if self._step in (Step.CONSENT, Step.CONTACT):
            self._keep_submitted(reason)
        log.info("visit reset (%s)", reason)
        if self._visit.started and self._on_visit_end is not None:
            try:
                self._on_visit_end(self._visit.outcome)
            except StorageError as exc:
                log.error("could not count the visit: %s", exc)
        self._visit.contact.wipe()
        self._visit = _Visit(language=self._languages[0])
        self._idle_left = None
        self._step = Step.OUT_OF_SERVICE if self._out_of_service else Step.ATTRACT
        if self._pending_content is not None:
            self._content, self._pending_content = self._pending_content, None
            log.info("content pack %s is now live", self._content.version)
        self._compute_highlights()
        self._changed()

    def _keep_submitted(self, reason: str) -> None:
        """The visitor pressed submit, then left at the consent step: keep the answers only."""
        visit = self._visit
        if visit.form is None:
            return
        try:
            self._save(self._draft("complete"))
        except StorageError as exc:
            log.error("could not save response of form %s (%s): %s", visit.form.id, reason, exc)

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
