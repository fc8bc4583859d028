"""What happens to a visitor's answers next, on the thank-you screen: three numbered steps.

Only what the kiosk knows is said: received today; the ministry reviews what it receives (no
cadence, as none is configured); and where its answers appear, here in "You said, we did" and on
the receipt page, each only when this kiosk has it.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QGridLayout, QLabel

from kiosk.i18n.texts import N_, text
from kiosk.ui.theme import Space, Theme
from kiosk.ui.widgets import IconLabel, make_label

# Where the ministry's answers appear, by (the feed is on, the visitor has a receipt).
PUBLISHED = {
    (True, True): N_("thanks.next.published_both"),
    (True, False): N_("thanks.next.published_feed"),
    (False, True): N_("thanks.next.published_receipt"),
}


def step_keys(has_feed: bool, has_receipt: bool) -> list[tuple[str, str]]:
    """(icon, message key) of each step; the last only where the answers can be seen."""
    steps = [("check", N_("thanks.next.received")), ("survey", N_("thanks.next.reviewed"))]
    published = PUBLISHED.get((has_feed, has_receipt))
    if published is not None:
        steps.append(("feed", published))
    return steps


class NextStepsCard(QFrame):
    """A card headed "What happens next": a number, an icon and a sentence per step."""

    def __init__(self, theme: Theme) -> None:
        super().__init__()
        self.setObjectName("nextSteps")
        self.setProperty("role", "card")
        grid = QGridLayout(self)
        pad = theme.mm(Space.S)
        grid.setContentsMargins(pad, pad, pad, pad)
        grid.setHorizontalSpacing(theme.mm(Space.M))
        grid.setVerticalSpacing(theme.mm(Space.XS))
        self.title = make_label("title", name="nextStepsTitle")
        grid.addWidget(self.title, 0, 0, 1, 3)
        self.numbers: list[QLabel] = []
        self.icons: list[IconLabel] = []
        self.steps: list[QLabel] = []
        for row in range(1, len(PUBLISHED) + 1):
            number = make_label("title", wrap=False, name=f"nextStepNumber{row}")
            number.setText(str(row))
            number.setAlignment(Qt.AlignmentFlag.AlignCenter)
            icon = IconLabel("check", scale=1.2)
            step = make_label(name=f"nextStep{row}")
            grid.addWidget(number, row, 0, Qt.AlignmentFlag.AlignVCenter)
            grid.addWidget(icon, row, 1, Qt.AlignmentFlag.AlignVCenter)
            grid.addWidget(step, row, 2)
            self.numbers.append(number)
            self.icons.append(icon)
            self.steps.append(step)
        grid.setColumnStretch(2, 1)

    def show_steps(
        self, has_feed: bool, has_receipt: bool, language: str, lead: bool = True
    ) -> None:
        """The steps in `language`; `lead`: at the lead size (easy mode's doubled body is enough)."""
        self.title.setText(text("thanks.next.title", language))
        role = "lead" if lead else ""
        for label in self.steps:
            if label.property("role") != role:
                label.setProperty("role", role)
                label.style().unpolish(label)
                label.style().polish(label)
        steps = step_keys(has_feed, has_receipt)
        for row, (number, icon, label) in enumerate(
            zip(self.numbers, self.icons, self.steps, strict=True)
        ):
            shown = row < len(steps)
            for widget in (number, icon, label):
                widget.setVisible(shown)
            if shown:
                name, key = steps[row]
                icon.set_icon_name(name)
                label.setText(text(key, language))
