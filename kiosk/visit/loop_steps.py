"""Closing the loop during a visit: the receipt and results after a commit, the feed, the highlights."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from kiosk.core.errors import StorageError
from kiosk.feedback.receipts import DEFAULT_RECEIPT_URL, receipt_for
from kiosk.visit.state import VisitCore
from kiosk.visit.view import Step

if TYPE_CHECKING:
    from kiosk.content.models import Form

log = logging.getLogger(__name__)


class LoopSteps(VisitCore):
    """Receipts, live results, the feed screen and the attract rotation."""

    def open_feed(self) -> None:
        """The visitor opened "you said, we did" from home (or from the thank-you screen)."""
        if self._feedback is None or self._step not in (Step.HOME, Step.THANKS):
            return
        feed = self._feedback.feed(self._content)
        if feed is None:
            return  # nothing real to show: the tile is hidden, a stale tap does nothing
        self._visit.feed = feed
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
        """The attract rotation and whether the feed tile shows; only real backend news counts."""
        if self._feedback is None:
            return
        try:
            self._has_feed = self._feedback.feed(self._content) is not None
            self._highlights = self._feedback.highlights(self._content)
        except StorageError as exc:
            log.error("could not compute the attract highlights: %s", exc)
            self._highlights = ()

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
