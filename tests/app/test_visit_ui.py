"""The real kiosk window, offscreen, driven like a visitor: every sample form in both languages,
validation, conditions, idle timeout, reset without a trace, and the lockdown."""

from __future__ import annotations

import subprocess
import sys
import unicodedata
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QFontInfo, QFontMetrics, QInputMethodEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractButton, QApplication, QLabel, QPlainTextEdit, QScrollArea

from kiosk.app.composition import KioskApp
from kiosk.tooling.driver import KioskDriver
from kiosk.ui.theme import BRAND_FAMILY, KOREAN_FAMILIES
from kiosk.visit.flow import SessionView, Step
from tests.conftest import REPO

PLANS: dict[str, dict[str, dict[str, object]]] = {
    "weekly-climate-diplomacy": {
        "ko": {
            "support_aid": 1,
            "why_not": "재정 부담이 걱정됩니다.",
            "priority": "technology",
            "sources": ("tv", "people"),
            "join_briefing": True,
            "recommend": 9,
        },
        "en": {
            "support_aid": 5,
            "priority": "finance",
            "sources": ("social",),
            "join_briefing": False,
            "recommend": 0,
        },
    },
    "open-opinion": {
        "ko": {"topic": "consular", "opinion": "해외 여행객 안전 안내를 강화해 주세요 😊"},
        "en": {"topic": "other", "opinion": "Keep the lobby open on Saturdays, please."},
    },
    "proposal-youth-public-diplomacy": {
        "ko": {
            "title": "청년 외교 서포터즈",
            "proposal": "대학생이 해외 공관과 함께 한국 문화를 알리는 프로그램",
            "age_group": "age20s",
        },
        "en": {
            "title": "Youth envoys",
            "proposal": "Pair students with embassies for cultural events.",
        },
    },
}


def follow_plan(driver: KioskDriver, plan: dict[str, object]) -> list[str]:
    """Answer whatever question is on screen from the plan until the form is submitted."""
    asked = []
    session = driver.kiosk.session
    while session.step == Step.QUESTION:
        qid = driver.question_id
        assert qid is not None
        asked.append(qid)
        if qid in plan:
            driver.give(plan[qid])  # type: ignore[arg-type]
        else:
            driver.next()
    return asked


@pytest.mark.parametrize("language", ["ko", "en"])
@pytest.mark.parametrize("form_id", sorted(PLANS))
def test_every_sample_form_completes_and_stores_exactly_what_was_given(
    kiosk: KioskApp, driver: KioskDriver, form_id: str, language: str
) -> None:
    plan = PLANS[form_id][language]
    driver.pick_language(language)
    driver.open_form(form_id)
    if kiosk.session.step == Step.BRIEFING:
        driver.start_questions()
    asked = follow_plan(driver, plan)
    assert kiosk.session.step == Step.THANKS
    assert kiosk.window.stack.currentWidget() is kiosk.window.thanks
    (stored,) = list(kiosk.repository.iter_responses())
    form = kiosk.content.form(form_id)
    assert form is not None
    assert (stored.form_id, stored.form_version, stored.form_hash) == (
        form_id,
        form.version,
        form.definition_hash,
    )
    assert (stored.language, stored.status, stored.sync_state) == (language, "complete", "queued")
    assert {a.question_id: a.value for a in stored.answers} == {
        q: plan[q] for q in asked if q in plan
    }
    assert stored.started_at <= stored.submitted_at


def test_required_question_shows_a_message_in_the_visitors_language(
    kiosk: KioskApp, driver: KioskDriver
) -> None:
    driver.pick_language("en")
    driver.open_form("open-opinion")
    driver.next()
    message = kiosk.window.question.message
    assert message.isVisible() and message.text() == "Choose or write an answer to go on."
    driver.answer("peace")
    assert not message.isVisible()
    kiosk.window.question.top.language.click()  # switch to Korean mid-form
    assert kiosk.window.question.prompt.text() == "어떤 주제에 대한 의견인가요?"
    assert kiosk.window.question.answer.buttons["peace"].isChecked()  # type: ignore[union-attr]


def test_conditional_question_appears_only_when_its_condition_holds(
    kiosk: KioskApp, driver: KioskDriver
) -> None:
    driver.pick_language("ko")
    driver.open_form("weekly-climate-diplomacy")
    driver.give(4)
    assert driver.question_id == "priority"
    driver.back()
    driver.give(2)
    assert driver.question_id == "why_not"


def test_hangul_typed_on_the_kiosk_is_stored_exactly_as_nfc(
    kiosk: KioskApp, driver: KioskDriver
) -> None:
    driver.pick_language("ko")
    driver.open_form("open-opinion")
    driver.give("peace")
    driver.type_text("한반도 평화, ")
    editor = kiosk.window.question.answer.editor  # type: ignore[union-attr]
    decomposed = unicodedata.normalize("NFD", "통일을 바랍니다")
    event = QInputMethodEvent("", [])
    event.setCommitString(decomposed)
    QApplication.sendEvent(editor, event)
    driver.next()
    (stored,) = list(kiosk.repository.iter_responses())
    assert stored.answer("opinion") == "한반도 평화, 통일을 바랍니다"
    assert unicodedata.is_normalized("NFC", stored.answer("opinion"))  # type: ignore[arg-type]


def visible_traces(kiosk: KioskApp, secret: str) -> list[str]:
    """Every place in the window where something of the previous visitor could still show."""
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    window = kiosk.window
    found = []
    for widget in window.findChildren(QPlainTextEdit):
        if widget.toPlainText():
            found.append(f"text box {widget.objectName()} holds {widget.toPlainText()!r}")
    for label in window.findChildren(QLabel):
        if secret in label.text():
            found.append(f"label shows {label.text()!r}")
    for button in window.findChildren(QAbstractButton):
        if button.isChecked():
            found.append(f"button {button.objectName()} is still selected")
    for area in window.findChildren(QScrollArea):
        if area.verticalScrollBar().value():
            found.append("a list is still scrolled")
    return found


def test_idle_timeout_counts_down_then_resets_and_leaves_no_trace(
    make_kiosk: Callable[..., KioskApp], qtbot: object
) -> None:
    kiosk = make_kiosk(idle_ms=400, tick_ms=50)  # time enough for a page switch under load
    driver = KioskDriver(kiosk)
    driver.pick_language("en")
    driver.open_form("open-opinion")
    driver.give("culture")
    driver.type_text("My secret opinion")
    shown: list[tuple[int, bool, str]] = []  # (seconds left, overlay visible, its text) per change

    def watch(view: SessionView) -> None:
        if view.idle_seconds_left is not None:
            overlay = kiosk.window.idle_overlay
            shown.append((view.idle_seconds_left, overlay.isVisible(), overlay.body.text()))

    kiosk.session.subscribe(watch)
    qtbot.waitUntil(lambda: kiosk.session.step == Step.ATTRACT, timeout=5000)  # type: ignore[attr-defined]
    countdown = kiosk.config.visit.idle_countdown_s
    assert [seconds for seconds, _, _ in shown] == list(range(countdown, 0, -1))
    assert all(visible for _, visible, _ in shown)
    assert (
        shown[0][2] == f"In {countdown} seconds the kiosk starts over and clears what you entered."
    )
    assert not kiosk.window.idle_overlay.isVisible()
    assert list(kiosk.repository.iter_responses()) == []  # the opinion form keeps no partials
    # The next visitor walks through every screen and sees nothing of the previous one.
    driver.pick_language("ko")
    assert kiosk.session.view.language == "ko"
    driver.open_form("open-opinion")
    assert visible_traces(kiosk, "secret") == []
    driver.give("peace")
    assert visible_traces(kiosk, "secret") == []


def test_touching_during_the_countdown_keeps_the_visit(
    kiosk: KioskApp, driver: KioskDriver
) -> None:
    driver.pick_language("ko")
    driver.open_form("weekly-climate-diplomacy")
    driver.answer(3)  # one tap: on to the next question
    kiosk.idle.start_countdown()
    driver.tap(kiosk.window.idle_overlay.button)
    assert not kiosk.window.idle_overlay.isVisible()
    assert driver.question_id == "priority"
    driver.back()
    assert kiosk.session.view.answer == 3


def test_walking_away_mid_survey_keeps_an_abandoned_partial(
    kiosk: KioskApp, driver: KioskDriver
) -> None:
    driver.pick_language("ko")
    driver.open_form("weekly-climate-diplomacy")
    driver.give(4)
    driver.answer("finance")
    driver.walk_away()
    (stored,) = list(kiosk.repository.iter_responses())
    assert stored.status == "abandoned"
    assert [(a.question_id, a.value) for a in stored.answers] == [
        ("support_aid", 4),
        ("priority", "finance"),
    ]
    assert visible_traces(kiosk, "finance") == []


def test_escape_shortcuts_and_close_requests_cannot_leave_the_kiosk(kiosk: KioskApp) -> None:
    window = kiosk.window
    for key, modifier in (
        (Qt.Key.Key_F4, Qt.KeyboardModifier.AltModifier),
        (Qt.Key.Key_Escape, Qt.KeyboardModifier.NoModifier),
        (Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier),
        (Qt.Key.Key_W, Qt.KeyboardModifier.ControlModifier),
    ):
        QTest.keyClick(window, key, modifier)
    assert kiosk.lockdown.swallowed == 4
    window.close()
    QApplication.processEvents()
    assert window.isVisible()


def test_korean_renders_with_a_real_korean_font(kiosk: KioskApp) -> None:
    label = kiosk.window.attract.purpose
    assert "외교" in label.text()
    info = QFontInfo(label.font())
    # The bundled Pretendard GOV (KRDS's typeface), loaded from kiosk/assets at start.
    assert info.family() == BRAND_FAMILY, f"Korean text would use {info.family()!r}"
    assert BRAND_FAMILY not in KOREAN_FAMILIES  # the fallbacks are another family
    metrics = QFontMetrics(label.font())
    assert all(metrics.inFontUcs4(ord(c)) for c in "외교정책광화문")


def test_the_thank_you_screen_shows_only_after_the_commit(
    kiosk: KioskApp, driver: KioskDriver, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen_at_commit = []
    save = kiosk.repository.save_response

    def spy(draft: object) -> object:
        seen_at_commit.append(kiosk.window.stack.currentWidget())
        return save(draft)  # type: ignore[arg-type]

    monkeypatch.setattr(kiosk.session, "_save", spy)
    driver.pick_language("ko")
    driver.open_form("open-opinion")
    driver.give("peace")
    driver.type_text("의견")
    driver.next()
    assert seen_at_commit == [kiosk.window.question]
    assert kiosk.window.stack.currentWidget() is kiosk.window.thanks


def test_run_without_a_display_says_so_plainly(tmp_path: Path) -> None:
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}
    result = subprocess.run(
        [sys.executable, "-m", "kiosk", "run", "--data-dir", str(tmp_path)],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert "no display" in result.stdout and "make screenshots" in result.stdout
    assert "kiosk simulate" in result.stdout and "qt.qpa" not in result.stderr
