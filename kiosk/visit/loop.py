"""The visit's window on closing the loop: receipts, live results, the feed and highlights.

It gathers values; the screens word them (kiosk.ui.loop_texts)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

from pydantic import ValidationError

from kiosk.content.models import ContentPack, Form
from kiosk.core.errors import FeedError
from kiosk.feedback.feed import Feed, FeedItem, FeedView, parse_feed
from kiosk.feedback.live_results import (
    BackendResults,
    FeedHighlight,
    FormResults,
    Highlight,
    ResultHighlight,
    Tally,
    combine,
    results_view,
)
from kiosk.feedback.receipts import Receipt, receipt_for
from kiosk.storage.repository import Repository
from kiosk.storage.snapshots import SnapshotStore

log = logging.getLogger(__name__)
Clock = Callable[[], datetime]
FEED_FILE = "feed.json"
RESULTS_FILE = "results.json"


class FeedbackService:
    """Reads the store and the last pulled copies; never speaks HTTP (kiosk.sync does)."""

    def __init__(
        self,
        repository: Repository,
        data_dir: Path,
        clock: Clock,
        receipt_url: str,
        min_responses: int,
        stale_after: timedelta,
    ) -> None:
        self._repository = repository
        self.feed_store = SnapshotStore(Path(data_dir) / FEED_FILE)
        self.results_store = SnapshotStore(Path(data_dir) / RESULTS_FILE)
        self._clock = clock
        self._receipt_url = receipt_url
        self.min_responses = min_responses
        self._stale_after = stale_after

    def receipt(self, code: str) -> Receipt:
        return receipt_for(code, self._receipt_url)

    # -- live results --------------------------------------------------------------------------
    def _backend(self) -> BackendResults | None:
        snapshot = self.results_store.load()
        if snapshot is None:
            return None
        try:
            backend = BackendResults.model_validate(snapshot.body)
        except ValidationError as exc:  # the puller validates first; a hand-edited file lands here
            log.error("%s: ignoring invalid results copy: %s", self.results_store.path, exc)
            return None
        if backend.device_id != self._repository.device_id:
            log.error("%s: results were for device %s", self.results_store.path, backend.device_id)
            return None
        return backend

    def tally(self, form: Form) -> Tally:
        """This kiosk's counts combined with the backend's, each response counted once."""
        uploaded, pending = self._repository.answer_tallies(form.id)
        backend = self._backend()
        counts = backend.forms.get(form.id) if backend else None
        total, device = counts.tallies() if counts else (Tally(), Tally())
        return combine(uploaded, pending, total, device)

    def results(self, form: Form) -> FormResults | None:
        if not form.public:
            return None
        return results_view(form, self.tally(form), self.min_responses)

    # -- the feed ------------------------------------------------------------------------------
    def feed(self, content: ContentPack) -> FeedView | None:
        """The last good copy pulled from the backend with its age; None until one has arrived.

        Never the bundled sample: a public screen shows no invented news (the sample is for
        screenshots and tests, which store it as a pulled copy on purpose)."""
        snapshot = self.feed_store.load()
        if snapshot is None:
            return None
        try:
            feed = parse_feed(snapshot.body, str(self.feed_store.path))
        except FeedError as exc:
            log.error("ignoring the stored feed: %s", exc)
            return None
        age = max(self._clock() - snapshot.fetched_at, timedelta(0))
        return FeedView(_items(feed, content), snapshot.fetched_at, age, age > self._stale_after)

    # -- the attract rotation ------------------------------------------------------------------
    def highlights(self, content: ContentPack) -> tuple[Highlight, ...]:
        """One headline result per public survey shown at home (k respected), then feed news."""
        found: list[Highlight] = []
        for form in content.home_forms(self._clock()):
            results = self.results(form)
            if results is None or not results.questions:
                continue
            # A choice reads best as a headline ("Climate finance: 34%"); a bare scale point does not.
            question = next(
                (q for q in results.questions if q.question_id in _choice_ids(form)),
                results.questions[0],
            )
            row = question.leading
            found.append(ResultHighlight(question.text, row, results.responses))
        view = self.feed(content)
        for item in view.items[:3] if view is not None else ():
            entry = item.entry
            found.append(FeedHighlight(entry.status, entry.title))
        return tuple(found)


def _choice_ids(form: Form) -> set[str]:
    return {q.id for q in form.questions if q.type in ("single_choice", "yes_no")}


def _items(feed: Feed, content: ContentPack) -> tuple[FeedItem, ...]:
    return tuple(
        FeedItem(e, e.briefing or (content.topic_briefing(e.topic) if e.topic else None))
        for e in feed.entries
    )
