"""A content pack from the console to a kiosk, end to end: an editor uploads it in chromium, checks
it, publishes it to the one enrolled kiosk; the real kiosk (offscreen) pulls it, verifies the hub's
signature and shows the new title; withdrawing it brings the kiosk back to the hub's folder."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from selenium.common.exceptions import NoSuchElementException, StaleElementReferenceException
from selenium.webdriver.common.by import By
from sqlalchemy import select

from kiosk.app.composition import KioskApp
from kiosk.config.settings import KioskConfig
from kiosk.content import ContentPack
from kiosk.core.keys import public_key_text
from kiosk.sync.credentials import MemoryKeyring, store_token
from kiosk.tooling.driver import KioskDriver
from kiosk.visit.flow import Step
from kiosk_hub.db.models import DeviceRow
from tests.http.conftest import sync_config, wait_until
from tests.hub.fixtures import HubBackend, retitled, sample_zip
from tests.web.browser import chromium
from tests.web.support import TOKEN
from tests.web.test_browser import sign_in

pytestmark = pytest.mark.slow

NEW_TITLE = "Spring views on foreign policy"
OLD_TITLE = "Share your view on foreign policy"


def pack_state(browser: object) -> str:
    """The state badge of the pack page shown, or "" while the next page loads."""
    try:
        return str(browser.find_element(By.ID, "pack-state").text)  # type: ignore[attr-defined]
    except (NoSuchElementException, StaleElementReferenceException):
        return ""


def title_of(pack: ContentPack) -> str:
    form = pack.form("open-opinion")
    assert form is not None
    return str(form.title["en"])


def test_an_editor_publishes_a_pack_a_kiosk_shows_it_and_withdrawal_reverts(
    web_hub: HubBackend,
    make_kiosk: Callable[..., KioskApp],
    config: KioskConfig,
    tmp_path: Path,
) -> None:
    key = Ed25519PrivateKey.generate()
    web_hub.settings.signing_key = key
    keyed = config.model_copy(
        update={
            "content": config.content.model_copy(
                update={"signing_public_key": public_key_text(key.public_key())}
            )
        }
    )
    keyring = MemoryKeyring()
    store_token(keyring, web_hub.url, TOKEN)
    kiosk = make_kiosk(sync_config(keyed, web_hub.url), sync_keyring=keyring)
    assert kiosk.sync is not None
    received: list[ContentPack] = []
    kiosk.sync.content_received.connect(received.append)
    wait_until(lambda: len(received) >= 1, 15, "the kiosk's first (signed) pull of the folder")
    assert title_of(kiosk.session.content) == OLD_TITLE
    with web_hub.store.sessions() as session:
        device_id = session.scalar(select(DeviceRow.id))
    assert device_id is not None

    archive = tmp_path / "spring-pack.zip"
    archive.write_bytes(sample_zip(**{"open-opinion.yaml": retitled(NEW_TITLE)}))
    with chromium() as browser:
        sign_in(browser, web_hub.url, "editor")
        browser.get(f"{web_hub.url}/console/packs?lang=en")
        browser.find_element(By.ID, "pack-title").send_keys("Spring 2027")
        browser.find_element(By.ID, "pack-archive").send_keys(str(archive))
        browser.find_element(By.ID, "upload-pack").click()
        wait_until(lambda: "/console/packs/" in browser.current_url, 10, "the pack's page")
        assert browser.find_element(By.ID, "pack-ok").is_displayed()
        assert browser.find_element(By.ID, "pack-state").text == "Draft"
        pack_url = browser.current_url

        browser.find_element(By.PARTIAL_LINK_TEXT, NEW_TITLE).click()  # the preview
        wait_until(lambda: "/preview/open-opinion" in browser.current_url, 10, "the preview")
        assert browser.find_element(By.TAG_NAME, "h1").text == NEW_TITLE
        fields = browser.find_elements(By.CSS_SELECTOR, "input[type=radio]")
        assert fields and not any(f.is_enabled() for f in fields)  # read-only
        contact = browser.find_element(By.ID, "contact-email")  # the consent part, read-only too
        assert contact.is_displayed() and not contact.is_enabled()
        assert browser.find_elements(By.CSS_SELECTOR, "main form") == []

        browser.get(pack_url)
        browser.find_element(By.CSS_SELECTOR, f"input[name=device][value='{device_id}']").click()
        browser.find_element(By.ID, "publish-pack").click()
        wait_until(lambda: pack_state(browser) == "Published", 10, "the published pack")
        assert browser.find_element(By.ID, "pack-signature").text == "Signed (Ed25519)"
        assert browser.find_element(By.ID, "pack-targets").text == device_id

        # The kiosk pulls it at its next check, verifies the signature and goes live at attract.
        wait_until(lambda: title_of(received[-1]) == NEW_TITLE, 20, "the published pack")
        assert kiosk.sync_status().last_error is None
        assert title_of(kiosk.session.content) == NEW_TITLE
        driver = KioskDriver(kiosk)
        driver.pick_language("en")
        assert NEW_TITLE in kiosk.window.home.tiles["open-opinion"].text()
        kiosk.session.reset("visitor left")
        assert kiosk.session.step == Step.ATTRACT

        browser.find_element(By.ID, "withdraw-pack").click()
        wait_until(lambda: pack_state(browser) == "Withdrawn", 10, "the withdrawn pack")
    wait_until(lambda: title_of(kiosk.session.content) == OLD_TITLE, 20, "the folder again")
    assert title_of(received[-1]) == OLD_TITLE
