"""Easy mode (쉬운 모드) on the real window: large text that reflows, controls within reach,
high contrast, voice guidance in reading order, and a whole survey done with a keypad."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from kiosk.app.composition import KioskApp
from kiosk.config.settings import DisplaySettings, KioskConfig
from kiosk.tooling.driver import KioskDriver
from kiosk.tooling.screenshots import _keyboard_tour, _tour
from kiosk.ui.theme import HIGH_CONTRAST
from kiosk.visit.flow import Step
from tests.layout_checks import clipped_texts, controls_above


class RecordingSpeaker:
    """A fake behind the Speaker interface: no audio device here, so it records what is said."""

    def __init__(self) -> None:
        self.said: list[tuple[str, ...]] = []
        self.interrupts: list[bool] = []
        self.volume, self.rate = 0.8, 0.0
        self.stopped = 0

    def say(self, texts: Sequence[str], language: str, interrupt: bool = True) -> None:
        self.said.append(tuple(texts))
        self.interrupts.append(interrupt)

    def stop(self) -> None:
        self.stopped += 1

    def set_volume(self, volume: float) -> None:
        self.volume = volume

    def set_rate(self, rate: float) -> None:
        self.rate = rate

    @property
    def last(self) -> str:
        return self.said[-1][-1] if self.said else ""


@pytest.fixture
def speaker() -> RecordingSpeaker:
    return RecordingSpeaker()


@pytest.fixture
def easy_kiosk(make_kiosk: Callable[..., KioskApp], speaker: RecordingSpeaker) -> KioskApp:
    return make_kiosk(speaker=speaker)


def press(key: Qt.Key, text: str = "") -> None:
    """A key of a physical keypad, delivered where Qt delivers it: to the focused widget."""
    target = QApplication.focusWidget() or QApplication.activeWindow()
    assert target is not None
    QTest.keyClick(target, key, Qt.KeyboardModifier.NoModifier)
    QApplication.processEvents()  # spoken focus is said once the focus has settled


def go_to(speaker: RecordingSpeaker, spoken: str, key: Qt.Key = Qt.Key.Key_Down) -> None:
    """Move with the arrow key until the voice names the wanted control, as a blind visitor does."""
    heard = []
    for _ in range(40):
        if speaker.last == spoken:
            return
        press(key)
        heard.append(speaker.last)
    raise AssertionError(f"never heard {spoken!r}; heard {heard}")


def band_top(kiosk: KioskApp) -> int:
    assert kiosk.easy is not None
    return round(kiosk.window.height() * (1 - kiosk.easy.low_share))


def test_easy_mode_button_turns_it_on_for_this_visit_and_a_reset_turns_it_off(
    easy_kiosk: KioskApp, speaker: RecordingSpeaker
) -> None:
    kiosk, driver = easy_kiosk, KioskDriver(easy_kiosk)
    normal_text = kiosk.window.home.title.font().pixelSize()
    driver.tap(kiosk.window.attract.easy)
    assert kiosk.session.step == Step.HOME and kiosk.session.view.easy_mode
    assert kiosk.window.home.title.font().pixelSize() == 2 * normal_text
    assert HIGH_CONTRAST.background in kiosk.window.styleSheet()
    assert speaker.said[0][0].startswith("쉬운 모드를 켰습니다")
    driver.switch_language("en")
    assert kiosk.window.home.top.easy.isChecked()
    driver.walk_away()
    assert not kiosk.session.view.easy_mode
    assert kiosk.window.home.title.font().pixelSize() == normal_text
    assert HIGH_CONTRAST.background not in kiosk.window.styleSheet()
    assert speaker.stopped >= 1
    driver.touch_attract()
    assert not kiosk.session.view.easy_mode  # the next visitor starts in the normal mode


def test_home_screen_toggle_and_keypad_key_switch_easy_mode(
    easy_kiosk: KioskApp, speaker: RecordingSpeaker
) -> None:
    kiosk, driver = easy_kiosk, KioskDriver(easy_kiosk)
    press(Qt.Key.Key_F1)  # on the attract screen: easy mode on, and the visit starts
    assert kiosk.session.step == Step.HOME and kiosk.session.view.easy_mode
    press(Qt.Key.Key_F1)
    assert not kiosk.session.view.easy_mode
    driver.tap(kiosk.window.home.top.easy)
    assert kiosk.session.view.easy_mode and kiosk.easy is not None and kiosk.easy.panel.isVisible()
    driver.tap(kiosk.window.home.top.easy)
    assert not kiosk.session.view.easy_mode and not kiosk.easy.panel.isVisible()


@pytest.mark.parametrize(
    ("width", "height", "width_mm", "language"),
    [(1080, 1920, 398.0, "en"), (1920, 1080, 708.0, "ko")],  # narrowest screen, lowest band
)
@pytest.mark.slow
def test_every_easy_mode_screen_reflows_unclipped_with_every_control_within_reach(
    make_kiosk: Callable[..., KioskApp],
    config: KioskConfig,
    speaker: RecordingSpeaker,
    width: int,
    height: int,
    width_mm: float,
    language: str,
) -> None:
    display = DisplaySettings(width_px=width, height_px=height, width_mm=width_mm)
    kiosk = make_kiosk(config.model_copy(update={"display": display}), speaker=speaker)
    driver = KioskDriver(kiosk)
    steps = [*_tour(driver, language, easy=True), *_keyboard_tour(driver, language)]
    top = band_top(kiosk)
    expected_top = height * (1 - config.model_copy(update={"display": display}).low_position_share)
    assert abs(top - expected_top) <= 1
    for name, action in steps:
        action()
        QApplication.processEvents()
        assert kiosk.session.view.easy_mode, name
        assert kiosk.window.size().toTuple() == (width, height), f"{name}: window had to grow"
        assert clipped_texts(kiosk.window) == [], name
        assert controls_above(kiosk.window, top) == [], name


def test_low_position_band_follows_the_mounting_height(
    make_kiosk: Callable[..., KioskApp], config: KioskConfig, speaker: RecordingSpeaker
) -> None:
    access = config.accessibility.model_copy(update={"panel_bottom_cm": 60.0})
    kiosk = make_kiosk(config.model_copy(update={"accessibility": access}), speaker=speaker)
    KioskDriver(kiosk).tap(kiosk.window.attract.easy)
    # 60 cm to 120 cm is 600 mm of a 708.5 mm tall panel.
    panel_mm = 1920 * 398.0 / 1080
    assert kiosk.easy is not None
    assert kiosk.easy.low_share == pytest.approx(600 / panel_mm)
    title = kiosk.window.home.title  # the space above the band holds content, not a banner
    assert title.isVisible() and title.mapTo(kiosk.window, title.rect().topLeft()).y() < band_top(
        kiosk
    )
    assert controls_above(kiosk.window, band_top(kiosk)) == []


def test_voice_reads_title_question_options_and_buttons_in_order_then_the_focus(
    easy_kiosk: KioskApp, speaker: RecordingSpeaker
) -> None:
    kiosk, driver = easy_kiosk, KioskDriver(easy_kiosk)
    driver.tap(kiosk.window.attract.easy)
    driver.switch_language("en")
    driver.open_form("weekly-climate-diplomacy")
    # Easy mode's doubled text gives the briefing a screen of its own, read before the questions.
    assert speaker.said[-1][:2] == (
        "This week: climate diplomacy",
        "Before you answer: climate diplomacy",
    )
    assert speaker.said[-1][-3:] == ("Back", "Start", "Start")
    speaker.said.clear()
    driver.start_questions()
    assert speaker.said[-1] == (
        "Question 1 of 6",
        "Korea should increase its support for developing countries' climate action.",
        "1, Strongly disagree",
        "2, disagree",
        "3, neither agree nor disagree",
        "4, agree",
        "5, Strongly agree",
        "1 = Strongly disagree",
        "5 = Strongly agree",
        "Back",
        "Next",
        "1, Strongly disagree",  # where the keypad focus starts
    )
    press(Qt.Key.Key_Right)
    assert speaker.said[-1] == ("2, disagree",) and speaker.interrupts[-1]
    press(Qt.Key.Key_Return)  # one press is the answer: shown chosen, then the next question
    assert speaker.said[-1] == ("2, disagree",)  # a press is not a move: nothing new to say
    driver.wait_until(lambda: driver.question_id == "why_not", "the follow-up question")
    assert "Question 2 of 6" in speaker.said[-1]  # answering 2 kept the "why not" question
    assert speaker.said[-1][-2].startswith("Text box")  # "why not?" starts in its text box
    assert speaker.last.startswith("The keyboard is open.")  # and how to type on the keypad
    press(Qt.Key.Key_Tab)
    press(Qt.Key.Key_Backspace)  # Backspace is "back" outside a text box
    assert speaker.said[-1][0] == "Question 1 of 6"
    assert speaker.last == "2, disagree, selected"  # back on the answer given


def test_validation_message_is_spoken(easy_kiosk: KioskApp, speaker: RecordingSpeaker) -> None:
    driver = KioskDriver(easy_kiosk)
    driver.tap(easy_kiosk.window.attract.easy)
    driver.switch_language("en")
    driver.open_form("open-opinion")
    go_to(speaker, "Next")
    press(Qt.Key.Key_Enter)
    assert speaker.said[-1] == ("Choose or write an answer to go on.",)


def test_volume_and_speed_controls_reach_the_speaker_and_say_the_new_levels(
    easy_kiosk: KioskApp, speaker: RecordingSpeaker
) -> None:
    driver = KioskDriver(easy_kiosk)
    driver.tap(easy_kiosk.window.attract.easy)
    assert easy_kiosk.easy is not None
    panel = easy_kiosk.easy.panel
    driver.tap(panel.volume_up)
    driver.tap(panel.slower)
    driver.tap(panel.slower)
    assert (speaker.volume, speaker.rate) == (pytest.approx(0.9), -0.5)
    assert panel.volume_label.text() == "음량 90%" and panel.rate_label.text() == "빠르기 3"
    assert speaker.said[-1] == ("음량 90%", "빠르기 3")
    for _ in range(5):
        driver.tap(panel.volume_up)
    assert speaker.volume == 1.0  # bounded, not past full volume


def test_a_survey_completed_with_key_events_alone(
    easy_kiosk: KioskApp, speaker: RecordingSpeaker
) -> None:
    kiosk, driver = easy_kiosk, KioskDriver(easy_kiosk)
    press(Qt.Key.Key_F1)  # on the attract screen: easy mode on, the visit starts in Korean
    go_to(speaker, "English")  # the top bar's language button
    press(Qt.Key.Key_Return)
    assert speaker.last.startswith("Survey ·")
    press(Qt.Key.Key_Return)  # the weekly survey, then its briefing
    assert speaker.last == "Start"
    press(Qt.Key.Key_Return)
    assert speaker.last == "1, Strongly disagree"
    go_to(speaker, "2, disagree", Qt.Key.Key_Right)
    press(Qt.Key.Key_Return)  # one press answers and goes on
    driver.wait_until(lambda: driver.question_id == "why_not", "the follow-up question")
    assert speaker.said[-1][-2] == "Text box. Tap here to write"  # low support asks why
    QTest.keyClicks(QApplication.focusWidget(), "Too costly")  # ASCII only: Hangul aborts
    answer = kiosk.window.question.answer
    assert answer is not None and answer.editor.toPlainText() == "Too costly"  # type: ignore[attr-defined]
    press(Qt.Key.Key_Down)  # arrows walk the on-screen keys, the text box keeps the focus
    assert answer.editor.hasFocus()  # type: ignore[attr-defined]
    press(Qt.Key.Key_Tab)
    go_to(speaker, "Next")
    press(Qt.Key.Key_Return)
    for question_id in ("priority", "join_briefing"):  # one-tap answers: the first one each
        if question_id == "join_briefing":  # news sources, a multiple choice: pick, then next
            press(Qt.Key.Key_Return)
            go_to(speaker, "Next")
            press(Qt.Key.Key_Return)
        assert driver.question_id == question_id
        press(Qt.Key.Key_Return)
        driver.wait_until(lambda q=question_id: driver.question_id != q, "the next question")
    go_to(speaker, "9")
    press(Qt.Key.Key_Return)  # the last question: one press submits
    driver.wait_until(lambda: kiosk.session.step == Step.THANKS, "the thank-you screen")
    (stored,) = list(kiosk.repository.iter_responses())
    answers = {a.question_id: a.value for a in stored.answers}
    assert answers["support_aid"] == 2 and answers["why_not"] == "Too costly"
    assert answers["recommend"] == 9 and len(answers) == 6
    assert stored.language == "en"


def test_keyboard_typing_still_works_in_easy_mode(
    easy_kiosk: KioskApp, speaker: RecordingSpeaker
) -> None:
    driver = KioskDriver(easy_kiosk)
    driver.tap(easy_kiosk.window.attract.easy)
    driver.open_form("open-opinion")
    driver.give("culture")
    answer = easy_kiosk.window.question.answer
    driver.tap(answer.editor)  # type: ignore[union-attr]
    assert easy_kiosk.easy is not None and not easy_kiosk.easy.panel.isVisible()
    driver.type_on_keyboard("쉬운 모드 좋아요")
    driver.next()
    (stored,) = list(easy_kiosk.repository.iter_responses())
    assert stored.answer("opinion") == "쉬운 모드 좋아요"


def test_easy_mode_is_in_the_session_view_and_reset_clears_it(easy_kiosk: KioskApp) -> None:
    session = easy_kiosk.session
    session.start()
    session.set_easy_mode(True)
    assert session.view.easy_mode
    session.reset("test")
    assert not session.view.easy_mode


def test_idle_countdown_is_spoken_once_and_enter_continues_the_visit(
    easy_kiosk: KioskApp, speaker: RecordingSpeaker
) -> None:
    driver = KioskDriver(easy_kiosk)
    driver.tap(easy_kiosk.window.attract.easy)
    driver.switch_language("en")
    easy_kiosk.idle.start_countdown()
    easy_kiosk.idle.tick()
    said = [text for texts in speaker.said for text in texts]
    assert said.count("Are you still there?") == 1  # not again on every tick
    assert speaker.said[-1][-1] == "Continue"
    press(Qt.Key.Key_Return)
    assert easy_kiosk.session.view.idle_seconds_left is None
    assert easy_kiosk.session.step == Step.HOME


def test_keypad_keys_that_easy_mode_consumes_still_count_as_activity(
    easy_kiosk: KioskApp, speaker: RecordingSpeaker
) -> None:
    driver = KioskDriver(easy_kiosk)
    driver.tap(easy_kiosk.window.attract.easy)
    easy_kiosk.idle.start_countdown()
    assert easy_kiosk.session.view.idle_seconds_left is not None
    press(Qt.Key.Key_Down)  # taken by the keypad navigator, seen first by the idle monitor
    assert easy_kiosk.session.view.idle_seconds_left is None


def test_easy_thanks_with_a_receipt_shows_short_lines_and_speaks_the_whole(
    easy_kiosk: KioskApp, speaker: RecordingSpeaker
) -> None:
    # Easy mode's doubled receipt fills the screen: the thanks and the receipt's explanation
    # shrink to one short line each, and voice guidance still reads them whole.
    kiosk, driver = easy_kiosk, KioskDriver(easy_kiosk)
    thanks = kiosk.window.thanks
    whole_thanks = "Your opinion is saved. The responsible team will read and consider it."
    whole_receipt = (
        "Use this code or the QR code to follow what happens next. It is not linked to you."
    )

    def leave_an_opinion() -> None:
        driver.open_form("open-opinion")
        driver.give("culture")
        driver.type_text("Please hold youth exchange programmes outside Seoul too.")
        driver.next()
        assert kiosk.session.step == Step.THANKS and thanks.receipt.isVisible()

    driver.pick_language("en")
    leave_an_opinion()
    assert (thanks.body.text(), thanks.receipt.body.text()) == (whole_thanks, whole_receipt)
    driver.walk_away()
    driver.tap(kiosk.window.attract.easy)
    driver.switch_language("en")
    leave_an_opinion()
    shown = (thanks.body.text(), thanks.receipt.body.text())
    assert shown == ("Your words are saved.", "Follow it with this code.")
    said = speaker.said[-1]
    assert whole_thanks in said and whole_receipt in said, said
    assert not clipped_texts(kiosk.window)
