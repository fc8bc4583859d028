"""Drive the real kiosk UI the way a visitor does: taps and key events, no shortcuts into state.

Used by `kiosk simulate`, `kiosk screenshots` and the tests' page objects. Every tap is counted
(`taps`), so a test can hold a visit to a number of taps.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QEvent, QPoint, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget

from kiosk.app.composition import KioskApp
from kiosk.core.records import AnswerValue
from kiosk.ui.answers import ChoiceAnswer, FreeTextAnswer, ScaleAnswer, YesNoAnswer
from kiosk.ui.keyboard.layouts import Action, keys_for_text, layer_for
from kiosk.ui.keyboard.widget import KeyButton
from kiosk.visit.flow import Step

# How long the driver waits for a one-tap answer to go on by itself (it takes CONFIRM_MS).
ADVANCE_TIMEOUT_S = 5.0


class DriverError(AssertionError):
    """The UI is not where the driver expected it."""


class KioskDriver:
    """A visitor's hands on the kiosk window."""

    def __init__(self, kiosk: KioskApp, pace_ms: int = 0, hurry: bool = False) -> None:
        self.kiosk = kiosk
        self.window = kiosk.window
        self.taps = 0  # every tap on the screen, whatever it hit
        # > 0: after each tap the event loop runs this long, as between a real visitor's taps
        # (timers fire, deleteLater() frees what it should); 0: pending events only, fastest.
        self.pace_ms = pace_ms
        # True: a one-tap answer's confirmation timer fires at once, through the event loop as
        # always (the same slot runs), instead of after its 400 ms (long runs such as the soak).
        self.hurry = hurry

    # -- primitives ----------------------------------------------------------------------
    @staticmethod
    def settle() -> None:
        QApplication.processEvents()

    def rest(self) -> None:
        """After an action: pending events, or with `pace_ms` the event loop for that long."""
        if self.pace_ms > 0:
            QTest.qWait(self.pace_ms)  # timers and posted events, then deferred deletes
        else:
            QApplication.processEvents()

    def tap(self, widget: QWidget) -> None:
        if not widget.isVisible() or not widget.isEnabled():
            raise DriverError(f"{widget.objectName() or widget} is not visible and enabled")
        self.taps += 1
        QTest.mouseClick(widget, Qt.MouseButton.LeftButton, pos=widget.rect().center())
        self.rest()

    def wait_until(
        self, done: Callable[[], bool], what: str, timeout_s: float = ADVANCE_TIMEOUT_S
    ) -> None:
        """Let the event loop run (timers fire) until `done()` holds."""
        deadline = time.monotonic() + timeout_s
        while not done():
            if time.monotonic() > deadline:
                raise DriverError(f"timed out waiting for {what}")
            QTest.qWait(10)
        self.rest()  # widgets just added to a shown screen show on the next round

    def expect(self, step: Step) -> None:
        if self.kiosk.session.step != step:
            raise DriverError(
                f"expected the {step} screen, the kiosk shows {self.kiosk.session.step}"
            )

    def type_text(self, value: str) -> None:
        """Type into the focused free-text box with key events carrying text (Hangul-safe)."""
        answer = self.window.question.answer
        if not isinstance(answer, FreeTextAnswer):
            raise DriverError("the question on screen is not a free-text question")
        editor = answer.editor
        editor.setFocus()
        for char in value:
            if char == "\n":
                key, payload = Qt.Key.Key_Return, "\r"
            else:
                key, payload = Qt.Key.Key_unknown, char
            for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
                QApplication.sendEvent(
                    editor, QKeyEvent(kind, key, Qt.KeyboardModifier.NoModifier, payload)
                )
        self.rest()

    def type_on_keyboard(self, value: str) -> None:
        """Type with taps on the on-screen keyboard, switching layers and shift like a visitor."""
        for key in keys_for_text(value):
            self.tap(self.keyboard_key(key))

    def keyboard_key(self, char: str) -> KeyButton:
        """The key that types `char`, after tapping the layer and shift keys needed to show it."""
        keyboard = self.window.keyboard
        if not keyboard.isVisible():
            raise DriverError("the on-screen keyboard is not showing")
        special = {" ": Action.SPACE, "\b": Action.BACKSPACE}
        if char in special:
            return keyboard.action_button(special[char])
        where = layer_for(char)
        if where is None:
            raise DriverError(f"no key of the on-screen keyboard types {char!r}")
        layer, shifted = where
        for _ in range(3):
            if keyboard.button_for(char) is not None or keyboard.layer == layer:
                break
            switch = Action.SYMBOLS if "symbols" in (layer, keyboard.layer) else Action.LANGUAGE
            self.tap(keyboard.action_button(switch))
        if keyboard.button_for(char) is None and keyboard.shifted != shifted:
            self.tap(keyboard.action_button(Action.SHIFT))
        button = keyboard.button_for(char)
        if button is None:
            raise DriverError(f"could not bring up the key for {char!r}")
        return button

    # -- a visit -------------------------------------------------------------------------
    def touch_attract(self) -> None:
        """A touch on the attract screen away from its buttons: the visit starts in Korean."""
        self.expect(Step.ATTRACT)
        self.taps += 1
        QTest.mouseClick(self.window.attract, Qt.MouseButton.LeftButton, pos=QPoint(10, 10))
        self.rest()

    def pick_language(self, language: str) -> None:
        """Start the visit with the attract screen's button for `language`."""
        self.expect(Step.ATTRACT)
        self.tap(self.window.attract.buttons[language])

    def switch_language(self, language: str) -> None:
        """The top bar's language button, if the visit is not in `language` already."""
        if self.kiosk.session.view.language != language:
            page = self.window.stack.currentWidget()
            self.tap(page.top.language)  # type: ignore[union-attr]
        if self.kiosk.session.view.language != language:
            raise DriverError(f"the top bar did not switch to {language}")

    def open_form(self, form_id: str) -> None:
        self.expect(Step.HOME)
        self.tap(self.window.home.tiles[form_id])

    def start_questions(self) -> None:
        self.expect(Step.BRIEFING)
        self.tap(self.window.briefing.start)

    def answer(self, value: AnswerValue) -> None:
        """Give an answer to the question on screen through its widget; a one-tap answer goes on
        by itself after its confirmation, and the driver waits for that."""
        self.expect(Step.QUESTION)
        before = self._place()
        auto = self.kiosk.session.view.auto_advance
        changed = self._give(value)
        if auto and changed:
            timer = self.window.question.advance_timer
            interval = timer.interval()
            if self.hurry and timer.isActive():
                timer.start(0)
            try:
                self.wait_until(lambda: self._place() != before, "the answer to go on")
            finally:
                if timer.interval() != interval:
                    timer.setInterval(interval)  # restarts it only if still active: not here

    def give(self, value: AnswerValue) -> None:
        """Answer and go on: one tap for a one-tap answer, else the answer and "next"."""
        before = self._place()
        self.answer(value)
        if self._place() == before:
            self.next()

    def _place(self) -> tuple[object, ...]:
        view = self.kiosk.session.view
        return (view.step, view.question.id if view.question else None)

    def _give(self, value: AnswerValue) -> bool:
        """Tap or type `value` into the answer widget; whether anything was tapped or typed."""
        widget = self.window.question.answer
        taps = self.taps
        if isinstance(widget, ChoiceAnswer):
            wanted = set(value) if isinstance(value, tuple) else {value}
            for option_id, button in widget.buttons.items():
                if button.isChecked() != (option_id in wanted):
                    self.tap(button)
        elif isinstance(widget, FreeTextAnswer) and isinstance(value, str):
            self.type_text(value)
            return True
        elif isinstance(widget, ScaleAnswer | YesNoAnswer) and value in widget.buttons:
            self.tap(widget.buttons[value])  # type: ignore[index]
        else:
            raise DriverError(f"cannot give {value!r} to {type(widget).__name__}")
        return self.taps > taps

    def next(self) -> None:
        self.expect(Step.QUESTION)
        self.tap(self.window.question.next)

    def back(self) -> None:
        page = (
            self.window.question
            if self.kiosk.session.step == Step.QUESTION
            else self.window.briefing
        )
        self.tap(page.back)

    def another(self) -> None:
        self.expect(Step.THANKS)
        self.tap(self.window.thanks.another)

    def finish(self) -> None:
        self.expect(Step.THANKS)
        self.tap(self.window.thanks.finish)

    def rate_visit(self, value: int) -> None:
        """One tap on the thank-you screen's visit rating."""
        self.expect(Step.THANKS)
        rating = self.window.thanks.rating
        if rating is None:
            raise DriverError("the thank-you screen offers no visit rating")
        self.tap(rating.buttons[value])

    def more_time(self) -> None:
        self.expect(Step.THANKS)
        self.tap(self.window.thanks.more_time)

    def start_over(self) -> None:
        """The top bar's "start over" on the screen showing (it may ask to confirm)."""
        page = self.window.stack.currentWidget()
        self.tap(page.top.restart)  # type: ignore[union-attr]

    def confirm_start_over(self, confirm: bool = True) -> None:
        overlay = self.window.restart_confirm
        self.tap(overlay.restart if confirm else overlay.keep)

    def walk_away(self) -> None:
        """Nobody touches anything: the idle countdown runs out."""
        idle = self.kiosk.idle
        idle.start_countdown()
        while idle.counting_down:
            idle.tick()
        self.rest()

    # -- consent and contact details ------------------------------------------------------
    def consent(self, item: str, agreed: bool) -> None:
        self.expect(Step.CONSENT)
        self.tap(self.window.consent.buttons[(item, agreed)])

    def confirm_consent(self) -> None:
        self.expect(Step.CONSENT)
        self.tap(self.window.consent.next)

    def refuse_contact(self) -> None:
        self.expect(Step.CONSENT)
        self.tap(self.window.consent.no_thanks)

    def type_contact(self, item: str, value: str) -> None:
        """Type into a contact field with key events, as the on-screen keyboard will."""
        self.expect(Step.CONTACT)
        field = self.window.contact.fields[item]
        self.tap(field)
        for char in value:
            for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
                QApplication.sendEvent(
                    field, QKeyEvent(kind, Qt.Key.Key_unknown, Qt.KeyboardModifier.NoModifier, char)
                )
        self.rest()

    def send_contact(self) -> None:
        self.expect(Step.CONTACT)
        self.tap(self.window.contact.send)

    def skip_contact(self) -> None:
        self.expect(Step.CONTACT)
        self.tap(self.window.contact.skip)

    @property
    def question_id(self) -> str | None:
        view = self.kiosk.session.view
        return view.question.id if view.question else None
