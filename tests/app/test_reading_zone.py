"""What the reading zone holds: the question large on the reach line with its form's icon, the
steps that follow a visit on the thank-you screen, and landscape pages that give text its width."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtCore import QPoint
from PySide6.QtWidgets import QWidget

from kiosk.app.composition import KioskApp
from kiosk.config.settings import DisplaySettings, KioskConfig
from kiosk.i18n.texts import text
from kiosk.tooling.driver import KioskDriver
from kiosk.tooling.screenshots import ORIENTATIONS, with_phone_forms
from kiosk.ui.next_steps import step_keys
from kiosk.ui.speech import SilentSpeaker
from kiosk.ui.theme import Type
from tests.criteria import Panel


def shaped(config: KioskConfig, width: int, height: int, width_mm: float) -> KioskConfig:
    display = DisplaySettings(width_px=width, height_px=height, width_mm=width_mm)
    return with_phone_forms(config).model_copy(update={"display": display})


def top(widget: QWidget) -> int:
    return widget.mapTo(widget.window(), QPoint(0, 0)).y()


def bottom(widget: QWidget) -> int:
    return top(widget) + widget.height()


def test_the_last_step_says_where_answers_appear_and_only_where_this_kiosk_has_them() -> None:
    assert [key for _icon, key in step_keys(False, False)] == [
        "thanks.next.received",
        "thanks.next.reviewed",
    ]
    assert step_keys(True, True)[-1] == ("feed", "thanks.next.published_both")
    assert step_keys(True, False)[-1][1] == "thanks.next.published_feed"
    assert step_keys(False, True)[-1][1] == "thanks.next.published_receipt"
    for language in ("ko", "en"):  # no review cadence is configured: none is promised
        assert not any(ch.isdigit() for ch in text("thanks.next.reviewed", language))


@pytest.mark.parametrize(
    ("width", "height", "width_mm"), ORIENTATIONS, ids=["portrait", "landscape"]
)
def test_the_question_is_large_with_its_form_icon_and_the_form_title_keeps_one_line(
    make_kiosk: Callable[..., KioskApp],
    config: KioskConfig,
    width: int,
    height: int,
    width_mm: float,
) -> None:
    config = shaped(config, width, height, width_mm)
    kiosk = make_kiosk(config, speaker=SilentSpeaker())
    panel, driver = Panel.of(config), KioskDriver(kiosk)
    driver.pick_language("en")
    driver.open_form("open-opinion")
    question = kiosk.window.question
    assert panel.mm(question.prompt.fontInfo().pixelSize()) >= Type.QUESTION - 0.5
    assert question.form_icon.isVisible() and question.form_icon.pixmap() is not None
    assert question.phone.isVisible()
    answers = question._scroll
    if width < height:
        # Portrait: the question sits on the reach line, right above its answers.
        assert top(answers) - bottom(question.prompt) < panel.px_per_mm * 40
        assert top(question.prompt) - bottom(question.progress) > panel.px_per_mm * 40
    else:
        # Landscape: under where the visitor is, the phone card under it, the title on one line.
        assert top(question.prompt) - bottom(question.progress) < panel.px_per_mm * 15
        assert top(question.phone) >= bottom(question.prompt)
        line = question.form_title.fontMetrics().lineSpacing()
        assert question.form_title.height() < 1.5 * line


@pytest.mark.parametrize(
    ("width", "height", "width_mm"), ORIENTATIONS, ids=["portrait", "landscape"]
)
def test_the_thank_you_screen_says_what_happens_next_in_the_reading_zone(
    make_kiosk: Callable[..., KioskApp],
    config: KioskConfig,
    width: int,
    height: int,
    width_mm: float,
) -> None:
    config = shaped(config, width, height, width_mm)
    kiosk = make_kiosk(config, speaker=SilentSpeaker())
    driver = KioskDriver(kiosk)
    driver.pick_language("en")
    driver.open_form("open-opinion")
    driver.give("culture")
    driver.type_text("Please hold youth exchange programmes outside Seoul too.")
    driver.next()
    thanks = kiosk.window.thanks
    assert thanks.receipt.isVisible()
    card = thanks.next_steps
    assert card.isVisible() and card.title.text() == text("thanks.next.title", "en")
    shown = [label.text() for label in card.steps if label.isVisible()]
    assert shown == [
        text("thanks.next.received", "en"),
        text("thanks.next.reviewed", "en"),
        text("thanks.next.published_receipt", "en"),  # no feed pulled: the receipt page only
    ]
    assert all(icon.isVisible() for icon in card.icons)
    if width < height:
        reach_y = round(height * (1 - thanks._theme.reach_share))
        assert bottom(card) <= reach_y <= top(thanks.rating_box)
    else:
        # Landscape: the thanks spans the page above both columns, its sentence on one line.
        assert thanks.heading.width() > width * 0.9
        assert thanks.body.height() < 1.5 * thanks.body.fontMetrics().lineSpacing()
