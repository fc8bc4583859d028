"""The console and the receipt page in a real browser (Debian's chromium through Selenium), and the
loop closed end to end: a kiosk (the real app, offscreen) pulls what the console published."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import Select
from sqlalchemy import select

from kiosk.app.composition import KioskApp
from kiosk.config.settings import KioskConfig
from kiosk.feedback.receipts import format_code
from kiosk.sync.credentials import MemoryKeyring, store_token
from kiosk.ui.loop_texts import highlight_text
from kiosk_hub.db.models import ResponseRow
from tests.http.conftest import sync_config, wait_until
from tests.hub.fixtures import HubBackend
from tests.web.browser import chromium
from tests.web.support import PASSWORD, TOKEN, proposal

pytestmark = pytest.mark.slow


def sign_in(browser: object, url: str, name: str) -> None:
    browser.get(f"{url}/console/login?lang=en")  # type: ignore[attr-defined]
    find = browser.find_element  # type: ignore[attr-defined]
    find(By.ID, "name").send_keys(name)
    find(By.ID, "password").send_keys(PASSWORD + Keys.ENTER)  # the keyboard submits
    wait_until(lambda: "/console" in browser.current_url and "login" not in browser.current_url,  # type: ignore[attr-defined]
               10, "the console after sign-in")  # fmt: skip


def pulled_ids(kiosk: KioskApp) -> dict[str, dict[str, object]]:
    """The entries of the feed copy the kiosk pulled last, by id."""
    assert kiosk.feedback is not None
    snapshot = kiosk.feedback.feed_store.load()
    return {} if snapshot is None else {e["id"]: e for e in snapshot.body["entries"]}


def test_answer_in_the_browser_then_receipt_and_kiosk_feed_change(
    web_hub: HubBackend,
    make_kiosk: Callable[..., KioskApp],
    config: KioskConfig,
) -> None:
    item, code = proposal(web_hub, title="지역 청년 교류")
    keyring = MemoryKeyring()
    store_token(keyring, web_hub.url, TOKEN)
    kiosk = make_kiosk(sync_config(config, web_hub.url), sync_keyring=keyring)
    assert kiosk.feedback is not None
    feed_store = kiosk.feedback.feed_store
    wait_until(lambda: feed_store.load() is not None, 15, "the kiosk's first feed pull")
    assert "youth-regions" not in pulled_ids(kiosk)

    receipt_url = f"{web_hub.url}/r/{format_code(code)}?lang=en"
    with chromium() as browser:
        browser.get(receipt_url)
        assert browser.find_element(By.ID, "receipt-state").text == "Received"
        sign_in(browser, web_hub.url, "editor")
        browser.get(f"{web_hub.url}/console/opinions?lang=en")
        browser.find_element(By.ID, "q").send_keys("지방" + Keys.ENTER)
        wait_until(lambda: "q=" in browser.current_url, 10, "the search")
        browser.find_element(By.LINK_TEXT, "Answer").click()
        wait_until(lambda: "cases/edit" in browser.current_url, 10, "the answer form")
        browser.find_element(By.ID, "id").clear()
        browser.find_element(By.ID, "id").send_keys("youth-regions")
        Select(browser.find_element(By.ID, "state")).select_by_value("adopted")
        browser.find_element(By.ID, "title_ko").send_keys("지역 청년 교류 확대")
        browser.find_element(By.ID, "title_en").send_keys("Youth exchange in the regions")
        browser.find_element(By.ID, "answer_ko").send_keys("2027년부터 부산에서도 운영합니다.")
        browser.find_element(By.ID, "answer_en").send_keys("From 2027 it also runs in Busan.")
        browser.find_element(By.ID, "progress").clear()
        browser.find_element(By.ID, "progress").send_keys("50")
        browser.find_element(By.ID, "note_en").send_keys("Budget approved")
        browser.find_element(By.ID, "published").click()
        browser.find_element(By.ID, "save-case").click()
        wait_until(lambda: "id=youth-regions" in browser.current_url, 10, "the saved answer")
        assert "Budget approved" in browser.page_source

        browser.get(receipt_url)
        assert browser.find_element(By.ID, "receipt-state").text == "Adopted"
        assert (
            "From 2027 it also runs in Busan." in browser.find_element(By.ID, "receipt-answer").text
        )
        assert "Budget approved" in browser.page_source

    wait_until(
        lambda: "youth-regions" in pulled_ids(kiosk),
        20,
        "the published answer in the kiosk's feed after its next pull",
    )
    entry = pulled_ids(kiosk)["youth-regions"]
    assert (
        entry["status"] == "reflected" and entry["text"]["en"] == "From 2027 it also runs in Busan."
    )
    wait_until(
        lambda: any(
            "Youth exchange in the regions" in highlight_text(h, "en")
            for h in kiosk.session.view.highlights
        ),
        10,
        "the answer in the attract screen's rotation",
    )
    assert item["id"]  # the answered proposal is the one the visitor made


def test_the_receipt_page_fits_a_phone_at_200_percent_zoom(web_hub: HubBackend) -> None:
    _, code = proposal(web_hub)
    with chromium(width=360, height=740, scale=2.0) as browser:
        browser.get(f"{web_hub.url}/r/{format_code(code)}?lang=ko")
        overflow = browser.execute_script(
            "return document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, f"{overflow} px of horizontal scrolling at 200% on a phone"
        landmarks = [browser.find_elements(By.TAG_NAME, t) for t in ("header", "main", "footer")]
        assert all(len(found) == 1 for found in landmarks)
        body = browser.find_element(By.TAG_NAME, "body")
        body.send_keys(Keys.TAB)
        focused = browser.switch_to.active_element
        assert focused.get_attribute("class") == "skip" and focused.is_displayed()
        english = browser.find_element(By.LINK_TEXT, "English")
        english.click()
        wait_until(lambda: "lang=en" in browser.current_url, 10, "the English page")
        assert browser.find_element(By.TAG_NAME, "html").get_attribute("lang") == "en"


def test_every_console_page_reflows_at_200_percent_zoom(web_hub: HubBackend) -> None:
    proposal(web_hub)
    pages = ["", "/results", "/opinions", "/keywords", "/cases", "/fleet", "/packs", "/quarterly", "/export",
             "/qr", "/users", "/audit"]  # fmt: skip
    with chromium(width=1280, height=900, scale=2.0) as browser:
        sign_in(browser, web_hub.url, "admin")
        for path in pages:
            browser.get(f"{web_hub.url}/console{path}?lang=ko")
            overflow = browser.execute_script(
                "return document.documentElement.scrollWidth - document.documentElement.clientWidth"
            )
            assert overflow <= 0, f"/console{path}: {overflow} px of horizontal scrolling at 200%"
            assert len(browser.find_elements(By.CSS_SELECTOR, "nav a[aria-current=page]")) == 1
            unlabelled = browser.execute_script(
                "return [...document.querySelectorAll('input:not([type=hidden]), select, textarea')]"
                ".filter(e => !(e.labels && e.labels.length) && !e.getAttribute('aria-label'))"
                ".map(e => e.name)"
            )
            assert unlabelled == [], f"/console{path}: fields without a label {unlabelled}"


def test_a_phone_form_is_answered_with_the_keyboard_alone_at_200_percent(
    web_hub: HubBackend,
) -> None:
    with chromium(width=360, height=740, scale=2.0) as browser:
        browser.get(f"{web_hub.url}/w/visit-satisfaction?lang=en")
        overflow = browser.execute_script(
            "return document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, f"{overflow} px of horizontal scrolling at 200% on a phone"
        unlabelled = browser.execute_script(
            "return [...document.querySelectorAll('input:not([type=hidden]), textarea')]"
            ".filter(e => !(e.labels && e.labels.length)).map(e => e.id)"
        )
        assert unlabelled == []
        body = browser.find_element(By.TAG_NAME, "body")
        body.send_keys(Keys.TAB)  # the skip link
        for _ in range(8):  # language switch, home, then the first radio of the rating
            active = browser.switch_to.active_element
            if active.get_attribute("type") == "radio":
                break
            active.send_keys(Keys.TAB)
        assert browser.switch_to.active_element.get_attribute("name") == "q_satisfaction"
        browser.switch_to.active_element.send_keys(Keys.ARROW_RIGHT)  # 1 -> 2, checked by arrows
        browser.switch_to.active_element.send_keys(Keys.ARROW_RIGHT)  # 3
        browser.switch_to.active_element.send_keys(Keys.TAB)  # to the submit button
        assert browser.switch_to.active_element.get_attribute("id") == "submit"
        browser.switch_to.active_element.send_keys(Keys.ENTER)
        wait_until(lambda: "Thank you" in browser.page_source, 10, "the thank-you page")
        code = browser.find_element(By.ID, "receipt-code").text
    assert len(code) == 9 and code[4] == "-"
    with web_hub.store.sessions() as session:
        stored = session.scalar(select(ResponseRow.document).where(ResponseRow.device_id == "web"))
    assert stored is not None and stored["answers"] == [{"question_id": "satisfaction", "value": 3}]
