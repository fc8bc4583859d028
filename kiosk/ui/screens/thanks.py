"""Thank-you: shown only after the response is committed to the store.

It offers the one-tap visit rating (the exit survey, folded in here), shows the visitor's receipt
and results, and counts down, visibly, to the start screen, with a button for more time."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QSizePolicy,
    QSpacerItem,
    QVBoxLayout,
    QWidget,
)

from kiosk.i18n.texts import localized, text
from kiosk.ui.answers import ScaleAnswer
from kiosk.ui.next_steps import NextStepsCard
from kiosk.ui.receipt_panel import ReceiptPanel
from kiosk.ui.results_panel import ResultsPanel
from kiosk.ui.theme import Space, Theme
from kiosk.ui.widgets import Zones, make_button, make_label
from kiosk.visit.flow import SessionView


class ThanksScreen(QWidget):
    """Says what happens next; offers a rating, another topic, more time or finishing."""

    another_requested = Signal()
    finish_requested = Signal()
    rated = Signal(int)
    more_time_requested = Signal()

    def __init__(self, theme: Theme) -> None:
        super().__init__()
        self._theme = theme
        zones = Zones(self, theme, spacing_mm=Space.M)
        margin = theme.margin_px
        self.title = make_label("hero")
        self.body = make_label()
        for label in (self.title, self.body):
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.another = make_button(name="anotherButton")
        self.finish = make_button("primary", name="finishButton")
        self.receipt = ReceiptPanel(theme)
        self.next_steps = NextStepsCard(theme)
        self.results = ResultsPanel(theme)
        # The visit rating: one tap on a number is the whole answer.
        self.rating_box = QFrame()
        self.rating_box.setObjectName("visitRating")
        self.rating_box.setProperty("role", "card")
        rating_layout = QVBoxLayout(self.rating_box)
        rating_layout.setContentsMargins(margin // 2, margin // 2, margin // 2, margin // 2)
        self.rating_prompt = make_label(name="ratingPrompt")
        self.rating_thanks = make_label(name="ratingThanks")
        rating_layout.addWidget(self.rating_prompt)
        rating_layout.addWidget(self.rating_thanks)
        self._rating_layout = rating_layout
        self.rating: ScaleAnswer | None = None
        self._rating_key: tuple[object, ...] = ()
        countdown = QHBoxLayout()
        countdown.setSpacing(theme.mm(Space.S))
        self.countdown = make_label("muted", name="thanksCountdown")
        self.more_time = make_button(name="moreTimeButton")
        countdown.addWidget(self.countdown, 1)
        countdown.addWidget(self.more_time)
        # Read at the top: thanks, what happens next, the receipt to scan.
        self.heading = QWidget()
        heading = QVBoxLayout(self.heading)
        heading.setContentsMargins(0, 0, 0, 0)
        heading.setSpacing(theme.mm(Space.S))
        heading.addWidget(self.title)
        heading.addWidget(self.body)
        # Portrait: what is read sits on the reach line, right above the rating; landscape: both
        # columns start under the thanks.
        policy = QSizePolicy.Policy
        self._above = QSpacerItem(0, 0, policy.Minimum, policy.Expanding)
        self._below = QSpacerItem(0, 0, policy.Minimum, policy.Fixed)
        zones.reading.addSpacerItem(self._above)
        zones.reading.addWidget(self.heading)
        zones.reading.addWidget(self.next_steps)
        zones.reading.addWidget(self.receipt)
        zones.reading.addSpacerItem(self._below)
        self._zones = zones
        self._wide = self._easy = False
        self._steps = True
        zones.when_arranged(self._arranged)
        # Within reach: the results (they scroll), the rating, more time, and the way on.
        # With no results, the rating follows what was read and the way on stays at the bottom.
        zones.action.addWidget(self.results, 1)
        zones.action.addWidget(self.rating_box)
        zones.action.addStretch(0)
        zones.action.addLayout(countdown)
        buttons = QHBoxLayout()
        buttons.setSpacing(theme.mm(Space.M))
        buttons.addWidget(self.another, 1)  # a pair: the same size
        buttons.addWidget(self.finish, 1)
        zones.bottom.addLayout(buttons)
        self.another.clicked.connect(self.another_requested)
        self.finish.clicked.connect(self.finish_requested)
        self.more_time.clicked.connect(self.more_time_requested)

    def show_view(self, view: SessionView) -> None:
        language = view.language
        self.title.setText(text("thanks.title", language))
        kind = view.finished_kind or "survey"
        # Easy mode's doubled receipt leaves room for one short line of thanks; voice guidance
        # reads the whole of it, and of the receipt's explanation.
        short = view.easy_mode and view.receipt is not None
        whole = text(f"thanks.{kind}", language)
        self.body.setText(text("thanks.saved", language) if short else whole)
        self.body.setAccessibleName(whole if short else "")
        self.another.setText(text("thanks.another", language))
        self.finish.setText(text("thanks.finish", language))
        self.more_time.setText(text("thanks.more_time", language))
        seconds = view.thanks_seconds_left
        self.countdown.setText(
            text("thanks.countdown", language, seconds=seconds) if seconds is not None else ""
        )
        self.countdown.setVisible(seconds is not None)
        self.more_time.setVisible(seconds is not None)
        self.receipt.show_receipt(view.receipt, language, short=short)
        self.next_steps.show_steps(
            view.has_feed, view.receipt is not None, language, lead=not view.easy_mode
        )
        self._easy = view.easy_mode
        # Easy mode's doubled receipt already says how to follow what happens next.
        self._steps = not short
        self._place()
        # Easy mode's doubled text leaves no room for the results beside the rating: the one tap
        # that is asked of the visitor comes first.
        self.results.show_results(None if view.easy_mode else view.results, language)
        self._show_rating(view)

    def _arranged(self, wide: bool) -> None:
        self._wide = wide
        grow, keep = QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed
        self._above.changeSize(0, 0, QSizePolicy.Policy.Minimum, keep if wide else grow)
        self._below.changeSize(0, 0, QSizePolicy.Policy.Minimum, grow if wide else keep)
        self._zones.reading.invalidate()
        self._place()

    def _place(self) -> None:
        """Landscape: the thanks across the page, not squeezed into the half beside the results;
        easy mode's doubled text leaves a landscape panel room for the rating alone beside it."""
        across = self._wide and not self._easy
        reading, outer = self._zones.reading, self._zones.outer
        if (outer.indexOf(self.heading) >= 0) != across:
            reading.removeWidget(self.heading)
            outer.removeWidget(self.heading)
            if across:
                outer.insertWidget(0, self.heading)
            else:
                reading.insertWidget(1, self.heading)
        self.next_steps.setVisible(self._steps and not (self._wide and self._easy))

    def _show_rating(self, view: SessionView) -> None:
        question, language = view.visit_rating, view.language
        self.rating_box.setVisible(question is not None)
        if question is None:
            self._drop_rating()
            return
        rated = view.visit_rated
        self.rating_prompt.setText(localized(question.text, language))
        self.rating_thanks.setText(text("thanks.rated", language))
        self.rating_prompt.setVisible(rated is None)
        self.rating_thanks.setVisible(rated is not None)
        # The same rating question in the same language keeps its buttons from visit to visit;
        # show_value below clears the last visitor's choice.
        key = (question, language)
        if key != self._rating_key:
            self._drop_rating()
            self.rating = ScaleAnswer(question, language, self._theme)
            self.rating.setObjectName("ratingScale")
            self.rating.changed.connect(self._rated)
            self._rating_layout.addWidget(self.rating)
            self._rating_key = key
        assert self.rating is not None
        self.rating.show_value(rated)
        self.rating.setVisible(rated is None)

    def _rated(self, value: object) -> None:
        if isinstance(value, int):
            self.rated.emit(value)

    def _drop_rating(self) -> None:
        if self.rating is not None:
            self.rating.hide()
            self.rating.deleteLater()
            self.rating = None
        self._rating_key = ()
