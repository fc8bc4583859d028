"""The "you said, we did" feed: pulled over real HTTP on loopback, stored atomically, shown with its
age, kept when a malformed copy arrives, and opening topic briefings."""

from __future__ import annotations

import copy
import json
import threading
from collections.abc import Callable, Iterator
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
import requests
from PySide6.QtWidgets import QAbstractButton, QLabel

from kiosk.app.composition import KioskApp
from kiosk.core.errors import FeedError
from kiosk.feedback.feed import parse_feed
from kiosk.storage.snapshots import Snapshot, SnapshotStore
from kiosk.sync.loop_pull import pull_feed, pull_results
from kiosk.tooling.driver import KioskDriver
from kiosk.ui.loop_texts import highlight_text
from kiosk.visit.flow import Step
from kiosk_hub.reference.loop_documents import feed_document, results_document
from tests.conftest import NOW, FakeClock


class Backend:
    """A tiny real HTTP server on 127.0.0.1 serving whatever the test puts in `documents`."""

    def __init__(self) -> None:
        self.documents: dict[str, tuple[int, bytes, str | None]] = {}
        self.requests: list[tuple[str, str | None]] = []
        backend = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                backend.requests.append((self.path, self.headers.get("If-None-Match")))
                status, body, etag = backend.documents.get(self.path, (404, b"{}", None))
                if etag and self.headers.get("If-None-Match") == etag:
                    self.send_response(304)
                    self.end_headers()
                    return
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                if etag:
                    self.send_header("ETag", etag)
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def serve(self, path: str, document: Any, etag: str | None = None, status: int = 200) -> None:
        body = document if isinstance(document, bytes) else json.dumps(document).encode()
        self.documents[path] = (status, body, etag)


@pytest.fixture
def backend() -> Iterator[Backend]:
    server = Backend()
    server.thread.start()
    yield server
    server.server.shutdown()
    server.server.server_close()
    server.thread.join(5)


@pytest.fixture
def http() -> Iterator[requests.Session]:
    with requests.Session() as session:
        yield session


DEVICE = "dev-1"
FEED_PATH = f"/v1/devices/{DEVICE}/feed"


def test_the_sample_feed_validates_and_covers_every_status() -> None:
    feed = parse_feed(feed_document(), "sample")
    assert {e.status for e in feed.entries} == {
        "received",
        "under_review",
        "reflected",
        "not_adopted",
    }


@pytest.mark.parametrize(
    ("change", "named"),
    [
        (lambda d: d["entries"][3].pop("reason"), "entries.3"),
        (lambda d: d["entries"][0].update(status="done"), "entries.0.status"),
        (lambda d: d["entries"][1].update(progress=140), "entries.1.progress"),
        (lambda d: d["entries"][2]["text"].pop("en"), "entries.2.text"),
        (lambda d: d["entries"][0].update(colour="red"), "entries.0.colour"),
        (lambda d: d.pop("updated"), "updated"),
    ],
)
def test_a_malformed_feed_is_refused_naming_the_place(
    change: Callable[[dict[str, Any]], object], named: str
) -> None:
    document = copy.deepcopy(feed_document())
    change(document)
    with pytest.raises(FeedError) as caught:
        parse_feed(document, "https://backend/feed")
    assert f"https://backend/feed: {named}" in str(caught.value)


def test_a_pulled_feed_is_stored_with_its_etag_and_a_304_keeps_it(
    backend: Backend, http: requests.Session, tmp_path: Path, clock: FakeClock
) -> None:
    store = SnapshotStore(tmp_path / "feed.json")
    backend.serve(FEED_PATH, feed_document(), etag='"v1"')
    assert pull_feed(http, backend.url, DEVICE, store, clock).status == "updated"
    first = store.load()
    assert first is not None and first.etag == '"v1"' and first.fetched_at == NOW
    assert parse_feed(first.body, "stored") == parse_feed(feed_document(), "sample")
    clock.now = NOW + timedelta(hours=5)
    assert pull_feed(http, backend.url, DEVICE, store, clock).status == "not_modified"
    assert backend.requests[-1] == (FEED_PATH, '"v1"')
    second = store.load()
    assert second is not None and second.fetched_at == clock.now and second.body == first.body
    assert not list(tmp_path.glob(".feed.json.*"))  # no temporary file left behind


def test_a_malformed_or_unreachable_feed_keeps_the_last_good_copy(
    backend: Backend, http: requests.Session, tmp_path: Path, clock: FakeClock
) -> None:
    store = SnapshotStore(tmp_path / "feed.json")
    backend.serve(FEED_PATH, feed_document(), etag='"v1"')
    pull_feed(http, backend.url, DEVICE, store, clock)
    good = (tmp_path / "feed.json").read_bytes()
    broken = copy.deepcopy(feed_document())
    broken["entries"][0]["status"] = "maybe"
    for document in (broken, b"{not json", {"entries": []}):
        backend.serve(FEED_PATH, document, etag='"v2"')
        outcome = pull_feed(http, backend.url, DEVICE, store, clock)
        assert outcome.status == "refused", outcome
        assert (tmp_path / "feed.json").read_bytes() == good
    backend.serve(FEED_PATH, b"oops", status=503)
    assert pull_feed(http, backend.url, DEVICE, store, clock).status == "unreachable"
    backend.server.shutdown()
    backend.server.server_close()
    assert pull_feed(http, backend.url, DEVICE, store, clock, timeout=(0.5, 0.5)).status == (
        "unreachable"
    )
    assert (tmp_path / "feed.json").read_bytes() == good


def test_results_for_another_device_are_refused(
    backend: Backend, http: requests.Session, tmp_path: Path, clock: FakeClock
) -> None:
    store = SnapshotStore(tmp_path / "results.json")
    path = f"/v1/devices/{DEVICE}/results"
    backend.serve(path, results_document("someone-else", [], []))
    assert pull_results(http, backend.url, DEVICE, store, clock).status == "refused"
    assert store.load() is None
    backend.serve(path, results_document(DEVICE, ["weekly"], [(DEVICE, "weekly", {"q": 1})]))
    assert pull_results(http, backend.url, DEVICE, store, clock).status == "updated"
    assert store.load() is not None


# -- on screen ----------------------------------------------------------------------------------


def store_pulled_feed(kiosk: KioskApp, document: object = None) -> None:
    """A feed as the sync worker stores it after a pull, then the refresh sync asks for."""
    assert kiosk.feedback is not None
    kiosk.feedback.feed_store.save(Snapshot(document or feed_document(), NOW))
    kiosk.session.refresh_highlights()


def open_feed(driver: KioskDriver, language: str) -> None:
    if driver.kiosk.session.step == Step.ATTRACT:
        driver.kiosk.session.refresh_highlights()  # what sync does after pulling news
    driver.pick_language(language)
    driver.tap(driver.window.home.feed_tile)
    driver.expect(Step.FEED)


def shown_texts(kiosk: KioskApp) -> str:
    """Every text on the window's visible labels and buttons."""
    widgets = [*kiosk.window.findChildren(QLabel), *kiosk.window.findChildren(QAbstractButton)]
    return "\n".join(w.text() for w in widgets if w.isVisible())


def test_without_a_pulled_feed_no_sample_or_feed_news_reaches_the_visitor(
    kiosk: KioskApp, driver: KioskDriver
) -> None:
    sample_titles = [t for e in feed_document()["entries"] for t in e["title"].values()]
    assert kiosk.feedback is not None and kiosk.feedback.feed(kiosk.content) is None
    assert all(h.kind != "feed" for h in kiosk.session.view.highlights)
    attract = kiosk.window.attract
    for _ in attract.cards:
        attract.rotate()
        assert not any(title in shown_texts(kiosk) for title in sample_titles)
    driver.pick_language("en")
    assert not kiosk.window.home.feed_tile.isVisible()
    kiosk.session.open_feed()  # a stale tap on a hidden tile does nothing
    assert kiosk.session.step == Step.HOME
    assert not any(title in shown_texts(kiosk) for title in sample_titles)


def test_the_pulled_feed_is_shown_offline_with_its_age_and_flagged_when_old(
    make_kiosk: Callable[..., KioskApp],
    backend: Backend,
    http: requests.Session,
    clock: FakeClock,
) -> None:
    kiosk = make_kiosk()
    assert kiosk.feedback is not None
    document = copy.deepcopy(feed_document())
    document["entries"] = document["entries"][:2]
    document["entries"][0]["title"]["ko"] = "서버에서 받은 소식"
    backend.serve(f"/v1/devices/{kiosk.database.device_id}/feed", document, etag='"a"')
    pulled = pull_feed(
        http, backend.url, kiosk.database.device_id, kiosk.feedback.feed_store, clock
    )
    assert pulled.status == "updated"
    backend.server.shutdown()  # offline from here on
    clock.now = NOW + timedelta(hours=3)
    driver = KioskDriver(kiosk)
    open_feed(driver, "ko")
    screen = kiosk.window.feed
    assert set(screen.cards) == {e["id"] for e in document["entries"]}
    assert screen.age.text() == "3시간 전에 받은 소식"
    assert not screen.note.isVisible()
    titles = [
        w.text()
        for w in screen.cards[document["entries"][0]["id"]].findChildren(type(screen.title))
    ]
    assert "서버에서 받은 소식" in titles
    driver.tap(screen.back)
    driver.walk_away()
    clock.now = NOW + timedelta(days=3)
    open_feed(driver, "en")
    assert screen.age.text() == "Updated 3 days ago"
    assert screen.note.isVisible() and "last copy" in screen.note.text()


def test_a_briefing_opens_from_the_feed_and_from_the_opinion_topic(
    kiosk: KioskApp, driver: KioskDriver
) -> None:
    store_pulled_feed(kiosk)
    open_feed(driver, "en")
    overlay = kiosk.window.topic_briefing
    driver.tap(kiosk.window.feed.briefing_buttons["climate-finance-briefing"])
    assert overlay.isVisible()
    assert overlay.title.text() == "Climate diplomacy at a glance"
    assert "Source: MOFA Climate" in overlay.source.text() and "2026-11-23" in overlay.source.text()
    driver.tap(overlay.close_button)
    assert not overlay.isVisible()
    driver.tap(kiosk.window.feed.back)
    driver.open_form("open-opinion")
    question = kiosk.window.question
    assert not question.topic_button.isVisible()  # nothing picked yet
    driver.answer("other")
    assert not question.topic_button.isVisible()  # "other" has no briefing
    driver.answer("consular")
    driver.tap(question.topic_button)
    assert overlay.isVisible() and overlay.title.text() == "Consular services today"
    driver.walk_away()
    assert not overlay.isVisible()  # a reset leaves nothing of the visit on screen


def test_the_feed_news_joins_the_attract_rotation_once_pulled(kiosk: KioskApp) -> None:
    store_pulled_feed(kiosk)
    feed_news = [h for h in kiosk.session.view.highlights if h.kind == "feed"]
    assert feed_news and highlight_text(feed_news[0], "en").startswith("[Reflected in policy]")
    attract = kiosk.window.attract
    assert len(attract.cards) == 1 + len(kiosk.session.view.highlights)
    attract.rotate()
    assert attract.card_main.text() == highlight_text(kiosk.session.view.highlights[0], "ko")
    assert attract.card_second.text() == highlight_text(kiosk.session.view.highlights[0], "en")


def test_an_unreadable_stored_copy_shows_no_feed_without_crashing(
    kiosk: KioskApp, driver: KioskDriver
) -> None:
    assert kiosk.feedback is not None
    kiosk.feedback.feed_store.path.write_text("{half a file", encoding="utf-8")
    kiosk.session.refresh_highlights()
    driver.pick_language("en")
    assert not kiosk.window.home.feed_tile.isVisible()
    driver.walk_away()
    store_pulled_feed(kiosk)
    open_feed(driver, "en")
    kiosk.feedback.feed_store.save(Snapshot({"entries": "nope"}, NOW))
    driver.tap(kiosk.window.feed.back)
    driver.tap(kiosk.window.home.feed_tile)  # the tile of this visit: the bad copy shows nothing
    assert kiosk.session.step == Step.HOME


def test_walking_away_from_the_feed_resets_the_visit(kiosk: KioskApp, driver: KioskDriver) -> None:
    store_pulled_feed(kiosk)
    open_feed(driver, "en")
    driver.walk_away()
    assert kiosk.session.step == Step.ATTRACT
    assert kiosk.session.view.feed is None
