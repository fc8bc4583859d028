"""Screenshot tour steps for closing the loop: receipt QR, feed, briefing, live results."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime

from kiosk.feedback.feed import SAMPLE_FEED
from kiosk.protocol.results import Accepted, results_document
from kiosk.storage.snapshots import Snapshot
from kiosk.tooling.driver import KioskDriver
from kiosk.visit.flow import Step

WEEKLY = "weekly-climate-diplomacy"
PULLED_AT = datetime(2026, 11, 27, 2, 0, tzinfo=UTC)
# Made-up totals "from other kiosks" so the live results have something to show in pictures.
_OTHERS: list[tuple[int, str, bool]] = [
    (5, "finance", True),
    (4, "renewables", True),
    (4, "finance", False),
    (3, "technology", True),
    (5, "renewables", True),
    (2, "carbon_market", False),
]


def _seed_results(driver: KioskDriver) -> None:
    kiosk = driver.kiosk
    assert kiosk.feedback is not None
    accepted: list[Accepted] = [
        (f"kiosk-{n % 3}", WEEKLY, {"support_aid": s, "priority": p, "join_briefing": j})
        for n in range(7)
        for s, p, j in _OTHERS
    ]
    document = results_document(kiosk.database.device_id, [WEEKLY], accepted)
    kiosk.feedback.results_store.save(Snapshot(document, PULLED_AT))


def _seed_feed(driver: KioskDriver) -> None:
    """The bundled sample feed stored as if pulled from the backend: pictures only. A kiosk on
    its own never shows the sample; without a pulled feed it shows no feed at all."""
    kiosk = driver.kiosk
    assert kiosk.feedback is not None
    document = json.loads(SAMPLE_FEED.read_text(encoding="utf-8"))
    kiosk.feedback.feed_store.save(Snapshot(document, PULLED_AT))


def loop_tour(driver: KioskDriver, language: str) -> list[tuple[str, Callable[[], None]]]:
    """Continues the tour from the opinion form with its text typed."""

    def open_feed() -> None:
        _seed_feed(driver)  # before the reset, which looks for news to show
        driver.walk_away()
        driver.pick_language(language)
        driver.tap(driver.window.home.feed_tile)

    def open_feed_briefing() -> None:
        driver.tap(driver.window.feed.briefing_buttons["climate-finance-briefing"])

    def live_results() -> None:
        driver.tap(driver.window.topic_briefing.close_button)
        driver.tap(driver.window.feed.back)
        _seed_results(driver)
        driver.open_form(WEEKLY)
        for value in (4, "renewables", ("news_sites",), True, 9):
            driver.give(value)
        driver.expect(Step.THANKS)

    return [
        ("thanks-receipt", driver.next),
        ("feed", open_feed),
        ("feed-briefing", open_feed_briefing),
        ("live-results", live_results),
        ("attract-highlight", driver.walk_away),
        ("attract-card-result", lambda: driver.window.attract.rotate(fade=False)),
        ("attract-card-feed", lambda: driver.window.attract.rotate(fade=False)),
    ]
