"""Whether anyone is there: the idle countdown, the reset that forgets the visitor, out of service."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from kiosk.core.errors import StorageError
from kiosk.visit.state import VisitCore, _Visit
from kiosk.visit.view import Step

if TYPE_CHECKING:
    from kiosk.content.models import ContentPack

log = logging.getLogger(__name__)


class Attendance(VisitCore):
    """Idle, reset, out of service and content switches, all between visits."""

    def idle_countdown(self, seconds_left: int | None) -> None:
        """Show (or with None, hide) the 'are you still there?' countdown."""
        if self._step in (Step.ATTRACT, Step.OUT_OF_SERVICE):
            seconds_left = None
        if seconds_left != self._idle_left:
            self._idle_left = seconds_left
            self._changed()

    def thanks_countdown(self, seconds_left: int | None) -> None:
        """Show the seconds before the thank-you screen returns to the start (None: none)."""
        if self._step != Step.THANKS:
            seconds_left = None
        if seconds_left != self._visit.thanks_left:
            self._visit.thanks_left = seconds_left
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
