"""The physical keypad and voice, completed: free text typed with the keypad alone on the on-screen
keys (each key named, each typed character echoed), scale points said with their meaning, and the
symbols keyboard's "&" key drawn (not swallowed as a Qt mnemonic)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QApplication, QWidget

from kiosk.app.composition import KioskApp
from kiosk.tooling.driver import KioskDriver
from kiosk.ui.keyboard.layouts import Action
from kiosk.visit.flow import Step
from tests.app.test_easy_mode import RecordingSpeaker, go_to, press
from tests.layout_checks import clipped_texts, controls_above


@pytest.fixture
def speaker() -> RecordingSpeaker:
    return RecordingSpeaker()


@pytest.fixture
def easy_kiosk(make_kiosk: Callable[..., KioskApp], speaker: RecordingSpeaker) -> KioskApp:
    return make_kiosk(speaker=speaker)


def heard(speaker: RecordingSpeaker) -> list[str]:
    return [words for said in speaker.said for words in said]


def test_free_text_is_typed_with_the_keypad_alone_and_every_key_is_spoken(
    easy_kiosk: KioskApp, speaker: RecordingSpeaker
) -> None:
    kiosk = easy_kiosk
    press(Qt.Key.Key_F1)  # easy mode on: the visit starts
    go_to(speaker, "English")
    press(Qt.Key.Key_Return)
    go_to(speaker, "Opinion · Share your view on foreign policy Pick a topic and write freely")
    press(Qt.Key.Key_Return)
    go_to(speaker, "Peace on the Korean Peninsula")
    press(Qt.Key.Key_Return)
    go_to(speaker, "Next")
    press(Qt.Key.Key_Return)
    assert speaker.said[-1][-2:] == (
        "Text box. Tap here to write",
        "The keyboard is open. Choose a key with the arrow keys and press Enter to type it."
        " Done closes it.",
    )  # the text box is where the focus starts on this question, with how to type
    keyboard = kiosk.window.keyboard
    assert keyboard.isVisible() and kiosk.easy is not None
    press(Qt.Key.Key_Down)  # the first move highlights the first key
    assert speaker.said[-1] == ("q",) and keyboard.key_cursor == (0, 0)
    press(Qt.Key.Key_Right)
    press(Qt.Key.Key_Right)
    assert speaker.said[-1] == ("e",)
    press(Qt.Key.Key_Return)
    assert speaker.said[-1] == ("e",)  # the typed character, echoed
    press(Qt.Key.Key_Down)  # the nearest key below
    assert speaker.said[-1] in {("s",), ("d",)}
    typed = speaker.said[-1][0]
    press(Qt.Key.Key_Return)
    editor = kiosk.window.question.answer.editor  # type: ignore[union-attr]
    assert editor.toPlainText() == "e" + typed
    press(Qt.Key.Key_Backspace)  # the keypad's delete key deletes, and says so
    assert editor.toPlainText() == "e" and speaker.said[-1] == ("deleted",)
    for _ in range(12):  # on to "Done", in the bottom row
        press(Qt.Key.Key_Down)
        if keyboard.key_cursor is not None and keyboard.key_cursor[0] == len(keyboard.rows) - 1:
            break
    go_to(speaker, "Done", Qt.Key.Key_Right)
    press(Qt.Key.Key_Return)
    assert not keyboard.isVisible()
    focus = QApplication.focusWidget()
    assert focus is not None and focus.objectName() == "nextButton"  # what follows the box
    assert speaker.last == "Submit"
    press(Qt.Key.Key_Return)
    assert kiosk.session.step == Step.THANKS
    (stored,) = list(kiosk.repository.iter_responses())
    assert stored.answer("opinion") == "e"


def test_scale_points_are_spoken_with_their_meaning(
    easy_kiosk: KioskApp, speaker: RecordingSpeaker
) -> None:
    driver = KioskDriver(easy_kiosk)
    driver.tap(easy_kiosk.window.attract.easy)
    driver.switch_language("en")
    driver.open_form("weekly-climate-diplomacy")
    driver.start_questions()  # in easy mode the briefing has a screen of its own
    assert speaker.last == "1, Strongly disagree"  # where the keypad focus starts
    press(Qt.Key.Key_Right)
    assert speaker.said[-1] == ("2, disagree",)
    go_to(speaker, "5, Strongly agree", Qt.Key.Key_Right)
    said = heard(speaker)
    assert "3, neither agree nor disagree" in said and "4, agree" in said


def test_the_ampersand_key_shows_its_sign(kiosk: KioskApp, driver: KioskDriver) -> None:
    driver.pick_language("en")
    driver.open_form("open-opinion")
    driver.give("peace")
    driver.tap(kiosk.window.question.answer.editor)  # type: ignore[union-attr]
    keyboard = kiosk.window.keyboard
    driver.tap(keyboard.action_button(Action.SYMBOLS))
    key = keyboard.button_for("&")
    assert key is not None
    assert key.text() == "&&"  # "&&" draws one "&"; a lone "&" would be an invisible mnemonic
    assert QKeySequence.mnemonic(key.text()).isEmpty()
    assert keyboard.key_name(key) == "&"
    driver.tap(key)
    assert kiosk.window.question.answer.editor.toPlainText() == "&"  # type: ignore[union-attr]


def test_easy_mode_gives_the_space_above_the_reach_band_to_the_question(
    easy_kiosk: KioskApp, speaker: RecordingSpeaker
) -> None:
    kiosk = easy_kiosk
    driver = KioskDriver(kiosk)
    question = kiosk.window.question
    driver.tap(kiosk.window.attract.easy)
    driver.open_form("weekly-climate-diplomacy")
    driver.start_questions()
    assert kiosk.easy is not None and kiosk.window.findChild(QWidget, "easyBanner") is None
    band_top = round(kiosk.window.height() * (1 - kiosk.easy.low_share))
    # The question and where it stands are read up there; the controls stay in the band.
    for widget in (question.prompt, question.progress_text):
        assert widget.isVisible()
        assert widget.mapTo(kiosk.window, widget.rect().topLeft()).y() < band_top
    assert controls_above(kiosk.window, band_top) == []
    assert clipped_texts(kiosk.window) == []
    assert "6문항 중 1번째" in speaker.said[-1]
