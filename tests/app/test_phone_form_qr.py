"""The QR code to the hub's mobile forms: the list on the attract screen, the form in the visit's
language on each question screen, at least 40 mm square, and none without `phone_form_url`."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from pydantic import ValidationError

from kiosk.app.composition import KioskApp
from kiosk.config.settings import FeedbackSettings, KioskConfig
from kiosk.feedback.phone_form import phone_form_link
from kiosk.i18n.texts import text
from kiosk.tooling.driver import KioskDriver
from kiosk.ui.qr import qr_matrix
from kiosk.ui.speech import SilentSpeaker
from tests.criteria import Panel

from .test_receipts import read_modules

HUB = "https://kiosk-hub.mofa.go.kr/w"


def test_the_link_is_the_form_list_or_one_form_in_one_language() -> None:
    assert phone_form_link(HUB) == HUB
    assert phone_form_link(HUB, "open-opinion", "en") == f"{HUB}/open-opinion?lang=en"
    assert phone_form_link(HUB, "a b/c", "ko") == f"{HUB}/a%20b%2Fc?lang=ko"


@pytest.mark.parametrize(
    "url", ["http://kiosk-hub.mofa.go.kr/w", "https:///w", "https://hub/w?x=1", "https://hub/w#a"]
)
def test_a_phone_form_url_that_is_not_plain_https_is_refused(url: str) -> None:
    with pytest.raises(ValidationError, match="phone_form_url"):
        FeedbackSettings(phone_form_url=url)


def test_a_trailing_slash_is_dropped_the_hub_is_the_default_and_empty_turns_it_off() -> None:
    assert FeedbackSettings(phone_form_url=f"{HUB}/").phone_form_url == HUB
    assert FeedbackSettings().phone_form_url == HUB  # the receipt page's hub
    assert FeedbackSettings(phone_form_url="").phone_form_url is None


def test_the_attract_and_question_screens_show_a_40_mm_qr_of_the_phone_forms(
    make_kiosk: Callable[..., KioskApp], config: KioskConfig
) -> None:
    feedback = config.feedback.model_copy(update={"phone_form_url": HUB})
    config = config.model_copy(update={"feedback": feedback})
    base = HUB
    kiosk = make_kiosk(config, speaker=SilentSpeaker())
    panel, driver = Panel.of(config), KioskDriver(kiosk)
    card = kiosk.window.attract.phone
    assert card.isVisible() and card.qr.data == phone_form_link(base)
    assert read_modules(card.qr.grab().toImage()) == qr_matrix(phone_form_link(base))
    assert panel.mm(card.qr.width()) >= 40 and card.qr.width() == card.qr.height()
    caption = card.caption.text()
    assert text("phone.caption", "ko") in caption and text("phone.caption", "en") in caption
    assert caption.splitlines() == ["휴대폰으로 답하기", "Answer on your phone"]

    driver.pick_language("ko")
    driver.open_form("open-opinion")
    card = kiosk.window.question.phone
    link = phone_form_link(base, "open-opinion", "ko")
    assert card.isVisible() and card.qr.data == link == f"{HUB}/open-opinion?lang=ko"
    assert read_modules(card.qr.grab().toImage()) == qr_matrix(link)
    assert panel.mm(card.qr.width()) >= 40
    assert card.caption.text() == "휴대폰으로 답하기"
    driver.switch_language("en")
    assert card.qr.data == phone_form_link(base, "open-opinion", "en")
    assert card.caption.text() == "Answer on your phone"


def test_no_qr_code_anywhere_without_a_phone_form_url(
    make_kiosk: Callable[..., KioskApp], config: KioskConfig
) -> None:
    assert config.feedback.phone_form_url == HUB  # the bundled config shows it
    feedback = config.feedback.model_copy(update={"phone_form_url": None})
    config = config.model_copy(update={"feedback": feedback})
    kiosk = make_kiosk(config, speaker=SilentSpeaker())
    driver = KioskDriver(kiosk)
    assert not kiosk.window.attract.phone.isVisible()
    assert kiosk.window.attract.phone.qr.data == ""
    driver.pick_language("en")
    driver.open_form("open-opinion")
    assert not kiosk.window.question.phone.isVisible()
    assert kiosk.window.question.phone.qr.data == ""
