"""The pace of a visit on the real window, counted in taps: language on the attract screen, one-tap
answers with a visible confirmation, start over, the thank-you countdown and its visit rating."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtTest import QTest

from kiosk.app.composition import KioskApp
from kiosk.tooling.driver import KioskDriver
from kiosk.ui.screens.question import CONFIRM_MS
from kiosk.visit.flow import Step

WEEKLY = "weekly-climate-diplomacy"
# The weekly survey before this design: attract, language, tile, briefing's start, then an answer
# and "next" for each of its 5 questions but the optional last one, skipped with "submit".
TAPS_BEFORE = 13
TAP_TARGET = 8


def test_the_weekly_survey_takes_at_most_eight_taps_from_the_attract_screen(
    kiosk: KioskApp, driver: KioskDriver
) -> None:
    driver.pick_language("en")
    driver.open_form(WEEKLY)  # its briefing shares the first question's screen
    for value in (4, "finance", ("tv",), True):
        driver.give(value)
    driver.next()  # the optional last question, skipped
    driver.expect(Step.THANKS)
    print(f"weekly survey: {driver.taps} taps (before: {TAPS_BEFORE}, target: {TAP_TARGET})")
    assert driver.taps <= TAP_TARGET
    (stored,) = list(kiosk.repository.iter_responses())
    assert {a.question_id: a.value for a in stored.answers} == {
        "support_aid": 4,
        "priority": "finance",
        "sources": ("tv",),
        "join_briefing": True,
    }


def test_answering_the_optional_last_question_costs_no_extra_tap(
    kiosk: KioskApp, driver: KioskDriver
) -> None:
    driver.pick_language("ko")
    driver.open_form(WEEKLY)
    for value in (4, "finance", ("tv",), True, 9):
        driver.give(value)
    driver.expect(Step.THANKS)
    assert driver.taps == TAP_TARGET
    (stored,) = list(kiosk.repository.iter_responses())
    assert stored.answer("recommend") == 9


def test_a_one_tap_answer_shows_as_chosen_then_goes_on_and_back_returns_to_it(
    kiosk: KioskApp, driver: KioskDriver
) -> None:
    driver.pick_language("en")
    driver.open_form(WEEKLY)
    screen = kiosk.window.question
    assert screen.briefing.isVisible() and "climate" in screen.briefing_title.text().lower()
    assert screen.progress_text.text() == "Question 1 of 6"
    answer = screen.answer
    assert answer is not None
    driver.tap(answer.buttons[4])  # type: ignore[attr-defined]
    # For a moment the choice shows, on the same question; then the next one comes.
    assert driver.question_id == "support_aid" and answer.buttons[4].isChecked()  # type: ignore[attr-defined]
    assert screen.advance_timer.isActive() and screen.advance_timer.interval() == CONFIRM_MS
    driver.wait_until(lambda: driver.question_id == "priority", "the next question")
    assert screen.progress_text.text() == "Question 2 of 5"  # agreeing dropped the follow-up
    assert not screen.briefing.isVisible()
    driver.back()
    assert driver.question_id == "support_aid"
    assert screen.answer is not None and screen.answer.buttons[4].isChecked()  # type: ignore[attr-defined]
    driver.next()  # the answer kept: "next" goes on as before
    assert driver.question_id == "priority"


def test_next_during_the_confirmation_goes_on_once_not_twice(
    kiosk: KioskApp, driver: KioskDriver
) -> None:
    driver.pick_language("en")
    driver.open_form(WEEKLY)
    answer = kiosk.window.question.answer
    assert answer is not None
    driver.tap(answer.buttons[5])  # type: ignore[attr-defined]
    driver.next()  # an impatient visitor
    assert driver.question_id == "priority"
    QTest.qWait(CONFIRM_MS * 2)
    assert driver.question_id == "priority"  # the pending advance saw the move and did nothing


def test_start_over_asks_once_when_answers_exist(kiosk: KioskApp, driver: KioskDriver) -> None:
    overlay = kiosk.window.restart_confirm
    driver.pick_language("en")
    driver.start_over()  # nothing answered yet: at once
    driver.expect(Step.ATTRACT)
    assert not overlay.isVisible()
    driver.pick_language("en")
    driver.open_form(WEEKLY)
    driver.give(4)
    driver.start_over()
    assert overlay.isVisible() and overlay.title.text() == "Start over?"
    assert overlay.keep.size() == overlay.restart.size()  # the pair the same size
    driver.confirm_start_over(False)
    assert not overlay.isVisible() and driver.question_id == "priority"
    assert kiosk.session.has_answers
    driver.start_over()
    driver.confirm_start_over()
    driver.expect(Step.ATTRACT)
    assert not overlay.isVisible() and list(kiosk.repository.iter_responses()) == []


def finish_opinion(driver: KioskDriver, language: str = "en") -> None:
    driver.pick_language(language)
    driver.open_form("open-opinion")
    driver.give("peace")
    driver.type_text("More exchange programmes")
    driver.next()
    driver.expect(Step.THANKS)


def test_the_thank_you_screen_counts_down_visibly_and_more_time_starts_it_again(
    make_kiosk: Callable[..., KioskApp],
) -> None:
    kiosk = make_kiosk(tick_ms=60_000)  # the test ticks by hand
    driver = KioskDriver(kiosk)
    finish_opinion(driver)
    thanks, full = kiosk.window.thanks, kiosk.config.visit.thanks_s
    assert thanks.countdown.isVisible()
    assert thanks.countdown.text() == f"Back to the start in {full} seconds."
    for _ in range(5):
        kiosk.idle.thanks_tick()
    assert thanks.countdown.text() == f"Back to the start in {full - 5} seconds."
    driver.more_time()
    assert thanks.countdown.text() == f"Back to the start in {full} seconds."
    for _ in range(full):
        kiosk.idle.thanks_tick()
    driver.expect(Step.ATTRACT)


def test_easy_mode_keeps_the_thank_you_and_receipt_screen_twice_as_long(
    make_kiosk: Callable[..., KioskApp],
) -> None:
    kiosk = make_kiosk(tick_ms=60_000)
    driver = KioskDriver(kiosk)
    driver.tap(kiosk.window.attract.easy)
    driver.open_form("open-opinion")
    driver.give("peace")
    driver.type_text("쉬운 모드")
    driver.next()
    driver.expect(Step.THANKS)
    assert kiosk.window.thanks.receipt.isVisible()
    assert kiosk.session.view.thanks_seconds_left == 2 * kiosk.config.visit.thanks_s


def test_the_visit_rating_is_one_tap_on_the_thank_you_screen(
    kiosk: KioskApp, driver: KioskDriver
) -> None:
    finish_opinion(driver)
    thanks = kiosk.window.thanks
    assert thanks.rating_box.isVisible()
    assert thanks.rating_prompt.text() == "How was your experience with this kiosk today?"
    taps = driver.taps
    driver.rate_visit(4)
    assert driver.taps == taps + 1
    assert thanks.rating_thanks.isVisible() and not thanks.rating_prompt.isVisible()
    driver.expect(Step.THANKS)  # the rating does not leave the screen
    rating = [r for r in kiosk.repository.iter_responses() if r.form_id == "visit-satisfaction"]
    assert [(r.answer("satisfaction"), r.status) for r in rating] == [(4, "complete")]
    driver.finish()
    driver.expect(Step.ATTRACT)  # no exit survey after "finish" any more


def test_a_validation_message_sits_between_the_question_and_its_answers(
    kiosk: KioskApp, driver: KioskDriver
) -> None:
    driver.pick_language("en")
    driver.open_form(WEEKLY)
    driver.give(4)
    driver.give("finance")
    driver.answer(("tv", "social", "government", "people"))
    driver.next()
    screen = kiosk.window.question
    message = screen.message
    assert message.isVisible()
    assert message.text() == "Choose up to 3: tap a chosen answer to remove it."
    answers = screen._scroll  # the answers' area
    top_of = lambda w: w.mapTo(screen, w.rect().topLeft()).y()  # noqa: E731
    bottom_of = lambda w: w.mapTo(screen, w.rect().bottomLeft()).y()  # noqa: E731
    assert top_of(screen.prompt) < top_of(message) < top_of(answers)
    assert top_of(answers) - bottom_of(message) < kiosk.theme.mm(15)  # right above the answers


def test_the_attract_screen_rotates_its_cards_and_starts_in_the_language_tapped(
    kiosk: KioskApp, driver: KioskDriver
) -> None:
    attract = kiosk.window.attract
    assert attract.purpose.text() and attract.purpose_en.text()  # what it is for, both languages
    voice = attract.voice.text()
    assert "키패드의 F1 키" in voice and "press F1 on the keypad" in voice
    assert attract.card_main.text() == "설문에 답하고 의견과 정책 제안을 남겨 주세요."
    assert attract.card_second.text().startswith("Answer a quick survey")
    assert set(attract.buttons) == {"ko", "en"}
    driver.pick_language("en")
    assert kiosk.session.view.language == "en" and kiosk.session.step == Step.HOME
