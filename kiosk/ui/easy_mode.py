"""Easy mode (쉬운 모드): large high-contrast text, controls low on the screen, voice, keypad."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QHBoxLayout,
    QVBoxLayout,
    QWidget,
)

from kiosk.config.settings import AccessibilitySettings
from kiosk.i18n.texts import text
from kiosk.ui.event_gate import install_filter, remove_filter
from kiosk.ui.keyboard.widget import KeyButton, is_text_field
from kiosk.ui.keypad import KeypadNavigator
from kiosk.ui.main_window import MainWindow
from kiosk.ui.narration import describe, first_control, screen_texts
from kiosk.ui.speech import RATE_STEP, VOLUME_STEP, Speaker
from kiosk.ui.theme import Theme
from kiosk.ui.widgets import make_button, make_label
from kiosk.visit.flow import SessionView, Step, ValidationMessage

SpeakerFactory = Callable[[], Speaker]


def easy_style_sheet(theme: Theme) -> str:
    """Rules added to the theme's sheet in easy mode: slimmer padding, a thick focus frame."""
    p, frame = theme.palette, theme.mm(2)
    return f"""
    QPushButton {{ padding: {theme.mm(1.5)}px {theme.mm(2.5)}px; border-width: {frame}px;
        min-height: {round(theme.text_px * 1.3)}px; }}
    QPushButton:focus, QPushButton[role="primary"]:focus, QPushButton:checked:focus {{
        border: {frame}px solid {p.focus}; }}
    QPlainTextEdit:focus, QLineEdit:focus {{ border: {frame}px solid {p.focus}; }}
    """


class SpeechPanel(QWidget):
    """Volume and speed of voice guidance, always within reach in easy mode."""

    volume_changed = Signal(float)
    rate_changed = Signal(float)

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("speechPanel")
        layout = QHBoxLayout(self)
        self.volume_down = make_button(name="volumeDown")
        self.volume_label = make_label(wrap=False, name="volumeLabel")
        self.volume_up = make_button(name="volumeUp")
        self.slower = make_button(name="slower")
        self.rate_label = make_label(wrap=False, name="rateLabel")
        self.faster = make_button(name="faster")
        for label in (self.volume_label, self.rate_label):
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        for button, sign in (
            (self.volume_down, "-"),
            (self.volume_up, "+"),
            (self.slower, "-"),
            (self.faster, "+"),
        ):
            button.setText(sign)
        for widget in (
            self.volume_down,
            self.volume_label,
            self.volume_up,
            self.slower,
            self.rate_label,
            self.faster,
        ):
            layout.addWidget(widget, 2 if widget in (self.volume_label, self.rate_label) else 1)
        self.volume, self.rate = 0.8, 0.0
        self.volume_down.clicked.connect(lambda: self._set(self.volume - VOLUME_STEP, self.rate))
        self.volume_up.clicked.connect(lambda: self._set(self.volume + VOLUME_STEP, self.rate))
        self.slower.clicked.connect(lambda: self._set(self.volume, self.rate - RATE_STEP))
        self.faster.clicked.connect(lambda: self._set(self.volume, self.rate + RATE_STEP))
        self._language = "ko"

    def show_levels(self, volume: float, rate: float, language: str) -> None:
        self.volume, self.rate, self._language = volume, rate, language
        self.volume_label.setText(text("easy.volume", language, percent=round(volume * 100)))
        self.rate_label.setText(text("easy.rate", language, level=round(rate / RATE_STEP) + 5))
        for button, key in (
            (self.volume_down, "easy.volume_down"),
            (self.volume_up, "easy.volume_up"),
            (self.slower, "easy.slower"),
            (self.faster, "easy.faster"),
        ):
            button.setAccessibleName(text(key, language))

    def _set(self, volume: float, rate: float) -> None:
        volume, rate = max(0.0, min(1.0, volume)), max(-1.0, min(1.0, rate))
        if volume != self.volume:
            self.volume_changed.emit(volume)
        if rate != self.rate:
            self.rate_changed.emit(rate)


class EasyMode(QObject):
    """Turns the window's easy mode on and off with the session's flag; speaks and takes keys."""

    toggle_requested = Signal()

    def __init__(
        self,
        window: MainWindow,
        theme: Theme,
        settings: AccessibilitySettings,
        low_share: float,
        make_speaker: SpeakerFactory,
    ) -> None:
        super().__init__()
        self._window = window
        self.normal_theme = theme
        self.easy_theme = theme.easy(settings.text_scale)
        self.low_share = low_share
        self._make_speaker = make_speaker
        self._speaker: Speaker | None = None
        self.on = False
        self._view: SessionView | None = None
        self._spoken_key: tuple[object, ...] = ()
        self._announced: QWidget | None = None
        self._just_turned_on = False
        self._spoken_message: ValidationMessage | None = None
        self._idle_spoken = False
        # No banner: what is read sits up top in each screen's reading zone, the controls below
        # the reach line, so the whole panel holds content.
        self.panel = SpeechPanel()
        layout = window.layout()
        assert isinstance(layout, QVBoxLayout)
        layout.addWidget(self.panel)
        self.panel.hide()
        # While the on-screen keyboard is up, its keys take the panel's place in the low band.
        window.keyboard.shown.connect(self._keyboard_shown)
        self.panel.volume_changed.connect(self._set_volume)
        self.panel.rate_changed.connect(self._set_rate)
        self.keypad = KeypadNavigator(
            window, settings.easy_mode_key, self._back_button, window.keyboard, self._next_button
        )
        # The keypad's key on the on-screen keyboard is named, and what a key typed is echoed.
        window.keyboard.key_highlighted.connect(self._say_key)
        window.keyboard.typed.connect(self._say_key)
        self.keypad.toggle_requested.connect(self.toggle_requested)
        install_filter(self.keypad, (QEvent.Type.KeyPress,))
        app = QApplication.instance()
        assert isinstance(app, QApplication)
        app.focusChanged.connect(self._focus_changed)

    @property
    def speaker(self) -> Speaker:
        """The speech engine, started the first time a visitor turns easy mode on."""
        if self._speaker is None:
            self._speaker = self._make_speaker()
        return self._speaker

    def close(self) -> None:
        app = QApplication.instance()
        remove_filter(self.keypad)
        if isinstance(app, QApplication):
            app.focusChanged.disconnect(self._focus_changed)
        if self._speaker is not None:
            self._speaker.stop()
            close = getattr(self._speaker, "close", None)  # a threaded engine stops its thread
            if close is not None:
                close()

    # -- following the session -----------------------------------------------------------------
    def follow_mode(self, view: SessionView) -> None:
        """Restyle the window for the mode before any screen draws the view: the attract screen
        is never laid out in easy mode's doubled size, nor a screen in the wrong mode."""
        if view.easy_mode != self.on:
            self._switch(view.easy_mode)
            self._just_turned_on = self.on

    def show_view(self, view: SessionView) -> None:
        self._view = view
        self.follow_mode(view)
        if not self.on or view.step == Step.ATTRACT:
            return
        self.panel.show_levels(self.speaker.volume, self.speaker.rate, view.language)
        key = (
            view.visit,
            view.step,
            view.form.id if view.form else None,
            view.question.id if view.question else None,
            view.language,
        )
        if key != self._spoken_key:
            self._spoken_key = key
            first = [text("easy.turned_on", view.language)] if self._just_turned_on else []
            self._just_turned_on = False
            self._read_screen(first, view.language)
        elif view.message is not None and view.message != self._spoken_message:
            self.speaker.say(
                [text(view.message.key, view.language, **dict(view.message.values))], view.language
            )
        self._spoken_message = view.message
        counting = view.idle_seconds_left is not None
        if counting and not self._idle_spoken:
            self._read_idle_overlay(view.language)
        self._idle_spoken = counting

    def _switch(self, on: bool) -> None:
        self.on = on
        self.keypad.active = on
        theme = self.easy_theme if on else self.normal_theme
        # On the window, over the application's sheet: only this window is restyled, and
        # turning easy mode off just drops the window's own sheet.
        self._window.setStyleSheet(theme.style_sheet() + easy_style_sheet(theme) if on else "")
        self._window.keyboard.apply_theme(theme)
        self._keyboard_shown(self._window.keyboard.isVisible())
        self._spoken_key = ()
        if not on and self._speaker is not None:
            self._speaker.stop()

    def _keyboard_shown(self, up: bool) -> None:
        """The keys take the speech panel's place, and the question drops its progress line."""
        self.panel.setVisible(self.on and not up)
        self._window.question.set_compact(self.on and up)

    def _page(self) -> QWidget:
        page = self._window.stack.currentWidget()
        assert page is not None
        return page

    def _next_button(self) -> QAbstractButton | None:
        forward = getattr(self._page(), "next", None)
        return forward if isinstance(forward, QAbstractButton) else None

    def _back_button(self) -> QAbstractButton | None:
        back = getattr(self._page(), "back", None)
        return back if isinstance(back, QAbstractButton) else None

    # -- speaking ----------------------------------------------------------------------------
    def _read_screen(self, first: list[str], language: str) -> None:
        """Read the screen aloud, then put the keypad focus on its first control and say it."""
        page = self._page()
        texts = [*first, *screen_texts(page, language)]
        target = first_control(page)
        if target is not None:
            target.setFocus(Qt.FocusReason.OtherFocusReason)
            texts.extend(self._focus_words(target, language))
        self._announced = target
        self.speaker.say(texts, language)

    def _read_idle_overlay(self, language: str) -> None:
        """'Are you still there?' said once, with Enter ready on its continue button."""
        overlay = self._window.idle_overlay
        overlay.button.setFocus(Qt.FocusReason.OtherFocusReason)
        self._announced = overlay.button
        texts = [overlay.title.text(), overlay.body.text(), describe(overlay.button, language)]
        self.speaker.say(texts, language)

    def _focus_changed(self, old: QWidget | None, new: QWidget | None) -> None:
        if self.on:
            # Later, not now: while a screen changes, the focus passes through controls that
            # are about to disappear; only where it settles is worth saying.
            QTimer.singleShot(0, self._say_focus)

    def _say_focus(self) -> None:
        focus = QApplication.focusWidget()
        if not self.on or focus is None or self._view is None or focus is self._announced:
            return
        if isinstance(focus, KeyButton) or not self._window.isAncestorOf(focus):
            return
        self._announced = focus
        language = self._view.language
        self.speaker.say(self._focus_words(focus, language), language)

    def _focus_words(self, focus: QWidget, language: str) -> list[str]:
        """What to say of the control just focused; a text box adds how to type on the keypad."""
        words = [describe(focus, language)]
        if is_text_field(focus) and self._window.keyboard.isVisible():
            words.append(text("easy.keyboard", language))
        return words

    def _say_key(self, words: str) -> None:
        if self.on and self._view is not None:
            self.speaker.say([words], self._view.language)

    def _set_volume(self, volume: float) -> None:
        self.speaker.set_volume(volume)
        self._levels_changed()

    def _set_rate(self, rate: float) -> None:
        self.speaker.set_rate(rate)
        self._levels_changed()

    def _levels_changed(self) -> None:
        language = self._view.language if self._view else "ko"
        self.panel.show_levels(self.speaker.volume, self.speaker.rate, language)
        self.speaker.say([self.panel.volume_label.text(), self.panel.rate_label.text()], language)
