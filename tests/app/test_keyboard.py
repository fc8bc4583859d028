"""The on-screen keyboard inside the real kiosk window, tapped like a visitor taps it."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable

import pytest
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QLineEdit, QPlainTextEdit, QWidget

from kiosk.app.composition import KioskApp
from kiosk.config.settings import DisplaySettings, KioskConfig
from kiosk.tooling.driver import KioskDriver
from kiosk.ui.keyboard.hangul import type_keys
from kiosk.ui.keyboard.layouts import Action, keys_for_text
from kiosk.ui.keyboard.widget import MIN_KEY_MM, KeyButton
from kiosk.visit.flow import Step


def open_opinion_text(driver: KioskDriver, language: str = "ko") -> QPlainTextEdit:
    """Bring up the opinion form's text box and tap it, which opens the keyboard."""
    driver.pick_language(language)
    driver.open_form("open-opinion")
    driver.give("culture")
    editor = driver.window.question.answer.editor  # type: ignore[union-attr]
    driver.tap(editor)
    return editor


def preedit_of(editor: QPlainTextEdit) -> str:
    return editor.textCursor().block().layout().preeditAreaText()


def in_window(widget: QWidget, window: QWidget) -> QRect:
    return QRect(widget.mapTo(window, widget.rect().topLeft()), widget.size())


def test_keyboard_opens_when_the_text_box_takes_focus_and_closes_with_done(
    kiosk: KioskApp, driver: KioskDriver
) -> None:
    keyboard = kiosk.window.keyboard
    assert not keyboard.isVisible()
    editor = open_opinion_text(driver)
    assert keyboard.isVisible() and keyboard.target is editor
    assert keyboard.layer == "ko"
    driver.type_on_keyboard("의견")
    driver.tap(keyboard.action_button(Action.DONE))
    assert not keyboard.isVisible()
    assert editor.toPlainText() == "의견" and preedit_of(editor) == ""


def test_korean_opinion_typed_on_the_keyboard_is_stored_exactly_as_composed(
    kiosk: KioskApp, driver: KioskDriver
) -> None:
    opinion = "해외 여행객 안전 안내를 꼭 강화해 주세요. 닭갈비 맛집도 괜찮아요, 2026년!"
    open_opinion_text(driver)
    driver.type_on_keyboard(opinion)
    driver.next()
    assert kiosk.session.step == Step.THANKS
    (stored,) = list(kiosk.repository.iter_responses())
    assert stored.answer("opinion") == opinion
    assert unicodedata.is_normalized("NFC", opinion)


def test_the_syllable_being_composed_is_underlined_preedit_until_the_next_one_starts(
    kiosk: KioskApp, driver: KioskDriver
) -> None:
    editor = open_opinion_text(driver)
    driver.type_on_keyboard("ㄷㅏㄹㄱ")
    assert (editor.toPlainText(), preedit_of(editor)) == ("", "닭")
    formats = editor.textCursor().block().layout().formats()
    assert any(r.format.fontUnderline() and r.length == 1 for r in formats)
    driver.tap(driver.keyboard_key("ㅏ"))
    assert (editor.toPlainText(), preedit_of(editor)) == ("달", "가")


def test_switching_to_english_mid_text_commits_the_syllable_and_types_latin(
    kiosk: KioskApp, driver: KioskDriver
) -> None:
    editor = open_opinion_text(driver)
    keyboard = kiosk.window.keyboard
    driver.type_on_keyboard("한국")
    assert preedit_of(editor) == "국"
    driver.tap(keyboard.action_button(Action.LANGUAGE))
    assert keyboard.layer == "en"
    assert (editor.toPlainText(), preedit_of(editor)) == ("한국", "")
    driver.type_on_keyboard(" Korea")
    assert keyboard.layer == "en" and not keyboard.shifted  # shift lasts one letter
    driver.type_on_keyboard(" 좋아요")
    driver.next()
    (stored,) = list(kiosk.repository.iter_responses())
    assert stored.answer("opinion") == "한국 Korea 좋아요"


def test_shift_types_double_consonants_and_symbols_layer_types_digits(
    kiosk: KioskApp, driver: KioskDriver
) -> None:
    editor = open_opinion_text(driver)
    keyboard = kiosk.window.keyboard
    driver.tap(keyboard.action_button(Action.SHIFT))
    assert keyboard.button_for("ㅃ") is not None and keyboard.button_for("ㅂ") is None
    driver.tap(keyboard.button_for("ㅃ"))  # type: ignore[arg-type]
    assert not keyboard.shifted and keyboard.button_for("ㅂ") is not None
    driver.type_on_keyboard("ㅏ른 처리 #1")
    driver.tap(keyboard.action_button(Action.DONE))
    assert editor.toPlainText() == "빠른 처리 #1"


def test_counter_follows_every_key_including_the_syllable_being_composed(
    kiosk: KioskApp, driver: KioskDriver
) -> None:
    open_opinion_text(driver)
    answer = kiosk.window.question.answer
    keys = keys_for_text("꽃이 핀다") + "\b\b"
    for done in range(1, len(keys) + 1):
        driver.tap(driver.keyboard_key(keys[done - 1]))
        shown = len(type_keys(keys[:done]))
        assert answer.counter.text() == f"{shown} / 1000자", keys[:done]  # type: ignore[union-attr]


def test_backspace_removes_one_jamo_then_committed_characters(
    kiosk: KioskApp, driver: KioskDriver
) -> None:
    editor = open_opinion_text(driver)
    driver.type_on_keyboard("가 닭")
    backspace = kiosk.window.keyboard.action_button(Action.BACKSPACE)
    shown = []
    for _ in range(6):
        driver.tap(backspace)
        shown.append(editor.toPlainText() + preedit_of(editor))
    assert shown == ["가 달", "가 다", "가 ㄷ", "가 ", "가", ""]


def test_tapping_next_commits_the_preedit_before_the_answer_is_checked(
    kiosk: KioskApp, driver: KioskDriver
) -> None:
    editor = open_opinion_text(driver)
    driver.type_on_keyboard("감사")
    assert editor.toPlainText() == "감"  # 사 is still being composed
    driver.next()
    (stored,) = list(kiosk.repository.iter_responses())
    assert stored.answer("opinion") == "감사"
    assert not kiosk.window.keyboard.isVisible()


def test_moving_focus_to_another_field_commits_and_the_keyboard_follows_it(
    kiosk: KioskApp, driver: KioskDriver
) -> None:
    editor = open_opinion_text(driver)
    line = QLineEdit(kiosk.window.question)  # any Qt text field works with the keyboard
    line.setGeometry(0, 0, 400, 80)
    line.show()
    driver.type_on_keyboard("서울")
    driver.tap(line)
    assert editor.toPlainText() == "서울" and preedit_of(editor) == ""
    assert kiosk.window.keyboard.target is line
    driver.type_on_keyboard("부산")
    assert (line.text(), kiosk.window.keyboard.preedit) == ("부", "산")
    driver.tap(editor)
    assert line.text() == "부산"
    assert kiosk.session.view.answer == "서울"


def test_a_reset_while_composing_drops_the_syllable_and_hides_the_keyboard(
    kiosk: KioskApp, driver: KioskDriver
) -> None:
    open_opinion_text(driver)
    driver.type_on_keyboard("비밀")
    driver.walk_away()
    assert kiosk.session.step == Step.ATTRACT
    assert not kiosk.window.keyboard.isVisible() and kiosk.window.keyboard.preedit == ""
    assert list(kiosk.repository.iter_responses()) == []


def test_english_visit_opens_the_qwerty_layer_with_english_labels(
    kiosk: KioskApp, driver: KioskDriver
) -> None:
    editor = open_opinion_text(driver, "en")
    keyboard = kiosk.window.keyboard
    assert keyboard.layer == "en"
    assert keyboard.action_button(Action.DONE).text() == "Done"
    driver.type_on_keyboard("Hello, Seoul.")
    driver.tap(keyboard.action_button(Action.DONE))
    assert editor.toPlainText() == "Hello, Seoul."


@pytest.mark.parametrize(
    ("width", "height", "width_mm"), [(1080, 1920, 398.0), (1920, 1080, 708.0)]
)
def test_keys_are_at_least_15_mm_and_the_question_stays_in_view(
    make_kiosk: Callable[..., KioskApp],
    config: KioskConfig,
    width: int,
    height: int,
    width_mm: float,
) -> None:
    display = DisplaySettings(width_px=width, height_px=height, width_mm=width_mm)
    kiosk = make_kiosk(config.model_copy(update={"display": display}))
    driver = KioskDriver(kiosk)
    editor = open_opinion_text(driver)
    window, keyboard = kiosk.window, kiosk.window.keyboard
    px_per_mm = width / width_mm
    for layer_key in (Action.LANGUAGE, Action.SYMBOLS):
        keys = keyboard.findChildren(KeyButton)
        assert len(keys) > 30
        for key in keys:
            assert key.width() / px_per_mm >= MIN_KEY_MM, key.text()
            assert key.height() / px_per_mm >= MIN_KEY_MM, key.text()
        driver.tap(keyboard.action_button(layer_key))
    top_of_keyboard = in_window(keyboard, window).top()
    question = window.question
    for widget in (question.prompt, question.next, editor):
        assert widget.isVisible()
        assert in_window(widget, window).top() < top_of_keyboard, widget.objectName()
    # At least a few lines of the text box show above the keyboard.
    visible = editor.visibleRegion().boundingRect()
    assert visible.height() >= 2 * editor.fontMetrics().height()


def test_a_pressed_key_looks_pressed_until_released(kiosk: KioskApp, driver: KioskDriver) -> None:
    open_opinion_text(driver)
    key = kiosk.window.keyboard.button_for("ㅎ")
    assert key is not None
    centre = key.rect().center() + QPoint(key.width() // 3, 0)  # beside the label
    before = key.grab().toImage().pixelColor(centre)
    QTest.mousePress(key, Qt.MouseButton.LeftButton)
    pressed = key.grab().toImage().pixelColor(centre)
    QTest.mouseRelease(key, Qt.MouseButton.LeftButton)
    after = key.grab().toImage().pixelColor(centre)
    assert pressed != before and after == before
    assert kiosk.window.keyboard.preedit == "ㅎ"  # the press itself typed
