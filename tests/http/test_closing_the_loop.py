"""Closing the loop over HTTP: the reference backend serves the feed and live results, the sync
worker pulls them after uploads and on its content interval, and the screens show them (real HTTP on
loopback, real SQLite on both ends, the real app offscreen)."""

from __future__ import annotations

import copy
import hashlib
import json
import time
import uuid
from collections.abc import Callable
from pathlib import Path

import pytest
import requests

from kiosk.app.composition import KioskApp
from kiosk.config.settings import KioskConfig
from kiosk.sync.credentials import MemoryKeyring
from kiosk.tooling.driver import KioskDriver
from kiosk.ui.loop_texts import highlight_text
from kiosk.visit.flow import Step
from kiosk_hub.reference.loop_documents import feed_document
from kiosk_hub.reference.server import ReferenceBackend
from kiosk_hub.reference.store import Incoming
from tests.app.test_feed import open_feed
from tests.app.test_live_results import WEEKLY, answer_weekly

from .conftest import TOKEN, sync_config, wait_until

MakeKiosk = Callable[..., KioskApp]
AUTH = {"Authorization": f"Bearer {TOKEN}"}


def k5(config: KioskConfig, url: str) -> KioskConfig:
    feedback = config.feedback.model_copy(update={"results_min_responses": 5})
    return sync_config(config.model_copy(update={"feedback": feedback}), url)


def seed(backend: ReferenceBackend, device_id: str, count: int, support: int) -> None:
    """Accepted responses from another kiosk, stored through the backend's own store."""
    incoming = []
    for _ in range(count):
        document = {
            "id": str(uuid.uuid4()),
            "device_id": device_id,
            "form_id": WEEKLY,
            "status": "complete",
            "answers": [
                {"question_id": "support_aid", "value": support},
                {"question_id": "sources", "value": ["tv", "social"]},
            ],
        }
        text = json.dumps(document, sort_keys=True)
        incoming.append(Incoming(document["id"], hashlib.sha256(text.encode()).hexdigest(), text))
    backend.store.receive_batch(device_id, str(uuid.uuid4()), incoming)


def test_the_backend_serves_feed_and_results_with_etags_and_304(
    backend: ReferenceBackend,
) -> None:
    base = f"{backend.url}/v1/devices/dev-a"
    with requests.Session() as http:
        assert http.get(f"{base}/feed", timeout=5).status_code == 401
        feed = http.get(f"{base}/feed", headers=AUTH, timeout=5)
        assert feed.status_code == 200 and feed.json() == feed_document()
        etag = feed.headers["ETag"]
        again = http.get(f"{base}/feed", headers={**AUTH, "If-None-Match": etag}, timeout=5)
        assert again.status_code == 304 and again.content == b""
        assert http.post(f"{base}/feed", headers=AUTH, timeout=5).status_code == 405

        seed(backend, "dev-a", 3, support=5)
        seed(backend, "dev-b", 2, support=1)
        results = http.get(f"{base}/results", headers=AUTH, timeout=5)
        assert results.status_code == 200
        weekly = results.json()["forms"][WEEKLY]
        assert results.json()["device_id"] == "dev-a"
        assert (weekly["responses"], weekly["device_responses"]) == (5, 3)
        support = weekly["questions"]["support_aid"]
        assert support["counts"] == {"5": 3, "1": 2} and support["device_counts"] == {"5": 3}
        assert weekly["questions"]["sources"]["counts"] == {"tv": 5, "social": 5}
        assert set(results.json()["forms"]) == {WEEKLY}  # only public forms
        tag = results.headers["ETag"]
        same = http.get(f"{base}/results", headers={**AUTH, "If-None-Match": tag}, timeout=5)
        assert same.status_code == 304
        seed(backend, "dev-b", 1, support=2)
        newer = http.get(f"{base}/results", headers={**AUTH, "If-None-Match": tag}, timeout=5)
        assert newer.status_code == 200 and newer.json()["forms"][WEEKLY]["responses"] == 6


def test_backend_totals_reach_the_attract_rotation_through_the_queued_signal(
    make_kiosk: MakeKiosk,
    config: KioskConfig,
    backend: ReferenceBackend,
    keyring_with_token: MemoryKeyring,
) -> None:
    seed(backend, "other-kiosk", 10, support=3)
    kiosk = make_kiosk(k5(config, backend.url), sync_keyring=keyring_with_token)
    assert not any(h.kind == "result" for h in kiosk.session.view.highlights)  # 0 locally
    wait_until(
        lambda: any(h.kind == "result" for h in kiosk.session.view.highlights),
        10,
        "the pulled totals in the attract rotation",
    )
    headline = next(h for h in kiosk.session.view.highlights if h.kind == "result")
    assert "10 responses" in highlight_text(headline, "en")
    attract = kiosk.window.attract
    shown = set()
    for _ in attract.cards:
        attract.rotate()
        shown.add(attract.card_main.text())
    assert {highlight_text(h, "ko") for h in kiosk.session.view.highlights} <= shown


@pytest.mark.slow
def test_thank_you_totals_combine_backend_and_local_after_a_real_upload_counting_once(
    make_kiosk: MakeKiosk,
    config: KioskConfig,
    backend: ReferenceBackend,
    keyring_with_token: MemoryKeyring,
) -> None:
    seed(backend, "other-kiosk", 10, support=3)
    kiosk = make_kiosk(k5(config, backend.url), sync_keyring=keyring_with_token)
    assert kiosk.feedback is not None
    results_store = kiosk.feedback.results_store
    wait_until(lambda: results_store.load() is not None, 10, "the first results pull")
    driver = KioskDriver(kiosk)
    answer_weekly(driver)  # support_aid 5
    first = kiosk.session.view.results
    assert first is not None and first.responses == 11  # 10 others + this visitor, queued

    def uploaded_and_pulled() -> bool:
        snapshot = results_store.load()
        forms = snapshot.body["forms"] if snapshot else {}
        return forms.get(WEEKLY, {}).get("device_responses") == 1

    wait_until(uploaded_and_pulled, 10, "the upload and the results pull after it")
    assert len(backend.store.stored_ids()) == 11
    driver.walk_away()
    answer_weekly(driver)
    driver.expect(Step.THANKS)
    results = kiosk.session.view.results
    # The first visitor is in the backend's totals and in the local store: counted once.
    assert results is not None and results.responses == 12
    support = next(q for q in results.questions if q.question_id == "support_aid")
    counts = {r.label["en"].split(" ")[0]: r.count for r in support.rows if r.count}
    assert counts == {"3": 10, "5": 2}
    assert kiosk.window.thanks.results.isVisible()


def test_the_pulled_feed_shows_on_the_feed_screen_and_stays_when_offline(
    make_kiosk: MakeKiosk, config: KioskConfig, tmp_path: Path, qtbot: object
) -> None:
    document = copy.deepcopy(feed_document())
    document["entries"] = document["entries"][:2]
    document["entries"][0]["title"]["en"] = "Pulled from the backend"
    served = tmp_path / "feed.json"
    served.write_text(json.dumps(document), encoding="utf-8")
    server = ReferenceBackend(tmp_path / "backend.sqlite3", config.content_dir, token=TOKEN).start()
    server.feed_path = served
    keyring = MemoryKeyring()
    from kiosk.sync.credentials import store_token

    store_token(keyring, server.url, TOKEN)
    try:
        kiosk = make_kiosk(sync_config(config, server.url), sync_keyring=keyring)
        assert kiosk.feedback is not None
        feed_store = kiosk.feedback.feed_store
        wait_until(lambda: feed_store.load() is not None, 10, "the feed pull")
        wait_until(
            lambda: any(
                "Pulled from the backend" in highlight_text(h, "en")
                for h in kiosk.session.view.highlights
            ),
            10,
            "the pulled feed in the attract rotation",
        )
    finally:
        server.stop()  # offline from here on
    wait_until(
        lambda: kiosk.sync_status().last_error is not None, 10, "the worker to notice it is offline"
    )
    pulled = feed_store.load()  # no pull can succeed from here on
    assert pulled is not None
    quiet = time.monotonic() + 0.8  # a few more content intervals (0.3 s), all unreachable
    wait_until(lambda: time.monotonic() > quiet, 5, "more pull rounds")
    assert feed_store.load() == pulled  # unreachable: the last copy and its time stay
    driver = KioskDriver(kiosk)
    open_feed(driver, "en")
    screen = kiosk.window.feed
    assert set(screen.cards) == {e["id"] for e in document["entries"]}
    assert not screen.note.isVisible()  # the pulled copy, not the bundled sample
    titles = [
        w.text()
        for w in screen.cards[document["entries"][0]["id"]].findChildren(type(screen.title))
    ]
    assert "Pulled from the backend" in titles


def test_every_route_of_the_reference_backend_is_in_the_openapi_file() -> None:
    import yaml

    from kiosk_hub.reference.server import ROUTE

    paths = yaml.safe_load((Path(__file__).parents[2] / "docs" / "openapi.yaml").read_text())
    served = ROUTE.pattern.split("(?P<what>")[1].split(")")[0].split("|")
    assert {"feed", "results"} <= set(served)
    assert {f"/devices/{{device_id}}/{what}" for what in served} == set(paths["paths"])


def test_the_reference_backend_command_serves_a_given_feed(tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    from ..conftest import REPO

    document = copy.deepcopy(feed_document())
    document["entries"] = document["entries"][:1]
    served = tmp_path / "feed.json"
    served.write_text(json.dumps(document), encoding="utf-8")
    command = [sys.executable, "-m", "kiosk", "reference-backend", "--port", "0"]
    command += ["--db", str(tmp_path / "b.sqlite3"), "--feed", str(served)]
    server = subprocess.Popen(
        command, cwd=REPO, env={**os.environ}, stdout=subprocess.PIPE, text=True
    )
    try:
        assert server.stdout is not None
        url = server.stdout.readline().strip().rsplit(" ", 1)[-1]
        answer = requests.get(f"{url}/v1/devices/dev-a/feed", headers=AUTH, timeout=5)
        assert answer.status_code == 200 and answer.json() == document
    finally:
        server.terminate()
        server.wait(10)
        server.stdout.close()  # type: ignore[union-attr]
