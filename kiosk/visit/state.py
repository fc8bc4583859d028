"""The visit's state and what every part of the visit shares: the view, the visible questions, drafts.

VisitorSession (kiosk.visit.flow) is this core plus one part per concern: navigation through a form,
consent and contact details, closing the loop, and attendance (idle, reset, out of service).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from kiosk.content.answers import countable_questions, visible_questions
from kiosk.core.records import Answer, AnswerValue, ConsentReceipt, ResponseDraft, ResponseStatus
from kiosk.feedback.receipts import Receipt
from kiosk.privacy.masking import prepare_free_text
from kiosk.visit.consent import (
    ContactOffer,
    ContactState,
)
from kiosk.visit.view import (
    Feedback,
    SessionView,
    Step,
    ValidationMessage,
    auto_advances,
    shares_briefing,
)

if TYPE_CHECKING:  # the content models pull in pydantic; the session only reads them
    from kiosk.content.models import ContentPack, Form, Question
    from kiosk.feedback.feed import FeedView
    from kiosk.feedback.live_results import FormResults, Highlight

log = logging.getLogger(__name__)
Clock = Callable[[], datetime]
Save = Callable[[ResponseDraft], object]
Listener = Callable[["SessionView"], None]
VisitEnd = Callable[[str], object]
# How a visit ended, counted (anonymously) for staff: answered something, walked away with a
# partial answer kept, or left without leaving any answer.
VISIT_OUTCOMES = ("completed", "abandoned_kept", "left")

# Kinds of form whose visitors get a receipt to follow their suggestion up.
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
    confirm_restart: bool = False
    visit_rated: int | None = None
    thanks_left: int | None = None

    @property
    def outcome(self) -> str:
        if self.done_forms:
            return "completed"
        return "abandoned_kept" if self.kept_partial else "left"


def _utc_now() -> datetime:
    return datetime.now(UTC)


class VisitCore:
    """The state of the visit and the views of it; the parts of VisitorSession add the transitions."""

    if TYPE_CHECKING:  # transitions one part calls in another (all are in VisitorSession)

        def close_feed(self) -> None: ...
        def reset(self, reason: str) -> None: ...
        def _compute_highlights(self) -> None: ...
        def _close_the_loop(self, form: Form, code: str | None) -> None: ...
        def _consent_items(self) -> list[str]: ...
        def _offers_contact(self, form: Form) -> bool: ...
        def _save_and_thank(self, consent: bool = False, contact: bytes | None = None) -> None: ...

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
        # Whether a real feed has arrived from the backend: until then no tile, no feed news.
        self._has_feed = False
        self._contact_offer = contact_offer
        self._debounce = timedelta(milliseconds=rating_debounce_ms)
        self._content = content
        self._on_visit_end = on_visit_end
        self._pending_content: ContentPack | None = None
        self._save = save
        self._languages = languages
        self._clock = clock
        self._listeners: list[Listener] = []
        self._notifying = False
        self._dirty = False
        self._step = Step.ATTRACT
        self._visit = _Visit(language=languages[0])
        self._visit_number = 0
        self._idle_left: int | None = None
        self._out_of_service = False

    def subscribe(self, listener: Listener, first: bool = False) -> None:
        """Call `listener` with every new view (now too); `first` puts it before the others."""
        if first:
            self._listeners.insert(0, listener)
        else:
            self._listeners.append(listener)
        listener(self.view)

    def _changed(self) -> None:
        """Hand the new view to every listener; a change made by a listener meanwhile (a timer
        starting a countdown) is handed to all of them after this round, never out of order."""
        if self._notifying:
            self._dirty = True
            return
        self._notifying = True
        try:
            while True:
                self._dirty = False
                view = self.view
                for listener in self._listeners:
                    listener(view)
                if not self._dirty:
                    break
        finally:
            self._notifying = False

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
        form = visit.form
        total = len(countable_questions(form, visit.answers)) if form else 0
        thanks = self._step == Step.THANKS
        rating = self._visit_rating() if thanks else None
        return SessionView(
            step=self._step,
            language=visit.language,
            languages=self._languages,
            forms=tuple(self._content.home_forms(self._clock())),
            form=visit.form,
            question=question,
            answer=visit.answers.get(question.id) if question else None,
            position=position,
            total=max(total, position),
            message=visit.message,
            idle_seconds_left=self._idle_left,
            finished_kind=visit.finished_kind,
            visit=self._visit_number,
            easy_mode=visit.easy_mode,
            masked_kinds=visit.masked_kinds if self._step == Step.QUESTION else (),
            consent=self._content.consent if self._step in (Step.CONSENT, Step.CONTACT) else None,
            consent_choices=tuple(visit.contact.choices.items()),
            retention_days=self._contact_offer.retention_days if self._contact_offer else 0,
            receipt=visit.receipt if thanks else None,
            results=visit.results if thanks else None,
            feed=visit.feed if self._step == Step.FEED else None,
            highlights=self._highlights,
            has_feed=self._has_feed,
            briefing_shared=(
                form is not None and position == 1 and question is not None and self._shares(form)
            ),
            auto_advance=question is not None and auto_advances(question),
            confirm_restart=visit.confirm_restart,
            visit_rating=rating,
            visit_rated=visit.visit_rated if thanks else None,
            thanks_seconds_left=visit.thanks_left if thanks else None,
        )

    def _shares(self, form: Form) -> bool:
        """Whether the form's briefing shares the first question's screen: a short one does, but
        not in easy mode, whose doubled text needs a screen for the briefing alone."""
        return shares_briefing(form) and not self._visit.easy_mode

    def _visit_rating(self) -> Question | None:
        """The exit survey's rating question, offered on the thank-you screen until answered."""
        exit_form = self._content.exit_form(self._clock())
        if exit_form is None or not exit_form.questions:
            return None
        if exit_form.id in self._visit.done_forms and self._visit.visit_rated is None:
            return None  # answered earlier in this visit
        question = exit_form.questions[0]
        return question if question.scale is not None else None

    def _current_question(self) -> Question | None:
        form, qid = self._visit.form, self._visit.question_id
        return form.question(qid) if form and qid and self._step == Step.QUESTION else None

    def visible_questions(self) -> list[Question]:
        """The questions shown given the answers so far (conditions only look back)."""
        form = self._visit.form
        return [] if form is None else visible_questions(form, self._visit.answers)

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
