"""Through a form: start, forms, briefing, answers, next and back, start over, submit, thanks."""

from __future__ import annotations

import logging
import uuid
from typing import TYPE_CHECKING

from kiosk.content.answers import normalised_answer, problems
from kiosk.core.errors import StorageError
from kiosk.core.records import Answer, AnswerValue, ResponseDraft
from kiosk.feedback.receipts import new_receipt_code
from kiosk.privacy.masking import prepare_free_text
from kiosk.visit.state import RECEIPT_KINDS, VisitCore
from kiosk.visit.view import Step, ValidationMessage, problem_message, problem_with

if TYPE_CHECKING:
    from kiosk.content.models import Question

log = logging.getLogger(__name__)


class Navigation(VisitCore):
    """The visitor's way through the screens, one explicit transition per intent."""

    def start(self, language: str | None = None) -> None:
        """The visitor touched the attract screen (a language button there gives `language`):
        straight to the forms on offer, in that language, in one change and one render."""
        if self._step != Step.ATTRACT:
            return
        if language is not None and language not in self._languages:
            raise ValueError(f"language {language!r} is not offered")
        self._visit_number += 1
        self._visit.started = True
        self._visit.language = language or self._languages[0]
        self._step = Step.HOME
        self._changed()

    def choose_language(self, language: str) -> None:
        """A language button: on the attract screen it starts the visit, elsewhere it switches."""
        if self._step == Step.ATTRACT:
            self.start(language)
        else:
            self.switch_language(language)

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
        visit.confirm_restart = False
        if form.briefing is not None and not self._shares(form):
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
            value = normalised_answer(question, value)
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
            elif visit.form.briefing is not None and not self._shares(visit.form):
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
        elif self._step in (Step.HOME, Step.ATTRACT):
            return  # the first screen of a visit: "start over" is the way out
        self._changed()

    # -- starting over -----------------------------------------------------------------------
    def request_restart(self) -> None:
        """'Start over': at once when nothing would be lost, else the visitor is asked once."""
        visit = self._visit
        if self._step in (Step.BRIEFING, Step.QUESTION) and visit.answers:
            if not visit.confirm_restart:
                visit.confirm_restart = True
                self._changed()
            return
        self.reset("visitor started over")

    def confirm_restart(self) -> None:
        """Yes, start over: the answers on screen are dropped."""
        if self._visit.confirm_restart:
            self.reset("visitor started over")

    def cancel_restart(self) -> None:
        """No, keep going: back to the question as it was."""
        if self._visit.confirm_restart:
            self._visit.confirm_restart = False
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

    def submit(self) -> None:
        """Write the response; the thank-you screen shows only after the commit."""
        visit = self._visit
        if self._step != Step.QUESTION or visit.form is None:
            return
        found = problems(visit.form, visit.answers)
        if found:  # back to the first question with a problem
            visit.question_id, problem = next(iter(found.items()))
            visit.message = problem_message(problem)
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

    def another(self) -> None:
        if self._step == Step.THANKS:
            self._visit.receipt, self._visit.results = None, None
            self._visit.finished_kind = None
            self._visit.thanks_left = None
            self._step = Step.HOME
            self._changed()

    def finish(self) -> None:
        """Leave the thank-you screen: the visit is over."""
        if self._step == Step.THANKS:
            self.reset("finished")

    def rate_visit(self, value: int) -> None:
        """One tap on the thank-you screen rates the visit (the exit survey, saved at once)."""
        visit = self._visit
        question = self._visit_rating() if self._step == Step.THANKS else None
        exit_form = self._content.exit_form(self._clock())
        if question is None or exit_form is None or visit.visit_rated is not None:
            return
        checked = normalised_answer(question, value)
        assert isinstance(checked, int)
        now = self._clock()
        draft = ResponseDraft(
            id=str(uuid.uuid4()),
            form_id=exit_form.id,
            form_version=exit_form.version,
            form_hash=exit_form.definition_hash,
            content_version=self._content.version,
            language=visit.language,
            status="complete",
            started_at=now,
            submitted_at=now,
            answers=(Answer(question.id, checked),),
        )
        try:
            self._save(draft)
        except StorageError as exc:
            log.error("could not save the visit rating: %s", exc)
            return
        visit.done_forms.add(exit_form.id)
        visit.visit_rated = checked
        self._changed()
