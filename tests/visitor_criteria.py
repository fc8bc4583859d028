"""Visitor-side additions to tests/criteria.py: text size, placeholders, scroll panes, easy-mode scale.

tests/criteria.py measures reach, targets and contrast on any window; the visitor screens add the
12 mm text rule (the staff area is exempt), placeholder contrast (placeholders are not labels, so
the rendered-pixel check cannot see them), finger scrolling, and that easy mode scales icons too.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import combinations

from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QAbstractButton,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QScroller,
    QWidget,
)

from kiosk.ui.theme import Type, contrast_ratio
from kiosk.ui.widgets import ScrollPane
from tests.criteria import Figures, Panel, describe, measure, on_screen, visible_rect
from tests.layout_checks import clipped_texts

TEXT_EDITS = (QPlainTextEdit, QLineEdit)


def visitor_widgets(window: QWidget, kinds: tuple[type, ...]) -> list[QWidget]:
    """On-screen widgets of these kinds outside the staff area (exempt from the text rule)."""
    staff = getattr(window, "staff_area", None)
    return [w for w in on_screen(window, kinds) if staff is None or not staff.isAncestorOf(w)]


def text_sizes(window: QWidget, panel: Panel) -> list[tuple[float, str]]:
    """(font size in mm, what) for every visitor-facing text on screen, text boxes included."""
    sizes = []
    for widget in visitor_widgets(window, (QLabel, QAbstractButton, *TEXT_EDITS)):
        shown = widget.text() if isinstance(widget, QLabel | QAbstractButton) else "edit"  # type: ignore[union-attr]
        if not shown.strip():
            continue
        sizes.append((panel.mm(widget.fontInfo().pixelSize()), describe(widget)))
    return sizes


def placeholder_contrasts(window: QWidget) -> list[tuple[float, str]]:
    """(contrast, what) of every text box's placeholder against the box's own background."""
    found = []
    for widget in visitor_widgets(window, TEXT_EDITS):
        palette = widget.palette()
        placeholder = palette.color(QPalette.ColorRole.PlaceholderText).name()
        base = palette.color(QPalette.ColorRole.Base).name()
        found.append((contrast_ratio(placeholder, base), f"{describe(widget)} placeholder"))
    return found


def scroll_problems(window: QWidget) -> list[str]:
    """Every scrolling pane on screen needs kinetic scrolling and, with more below, the cue."""
    problems = []
    for pane in visitor_widgets(window, (ScrollPane,)):
        assert isinstance(pane, ScrollPane)
        if not QScroller.hasScroller(pane.viewport()):
            problems.append(f"{describe(pane)}: no kinetic scrolling")
        bar = pane.verticalScrollBar()
        if bar.value() < bar.maximum() and not pane.more.isVisible():
            problems.append(f"{describe(pane)}: more below but no cue")
        if bar.maximum() > 0 and not pane.bar.isVisible():
            problems.append(f"{describe(pane)}: scrolls without a visible bar")
    return problems


def icon_problems(window: QWidget) -> list[str]:
    """Icons grow with their text (easy mode's 200% enlarges pictures too)."""
    problems = []
    for button in visitor_widgets(window, (QAbstractButton,)):
        assert isinstance(button, QAbstractButton)
        if button.icon().isNull():
            continue
        if button.iconSize().height() < 0.8 * button.fontInfo().pixelSize():
            problems.append(
                f"{describe(button)}: icon {button.iconSize().height()} px beside "
                f"{button.fontInfo().pixelSize()} px text"
            )
    return problems


def overlap_problems(window: QWidget) -> list[str]:
    """Texts and controls drawn over one another (a layout squeezed past its minimum)."""
    shown = [
        w
        for w in visitor_widgets(window, (QLabel, QAbstractButton, *TEXT_EDITS))
        if not isinstance(w, QLabel) or w.text().strip()
    ]
    rects = {w: visible_rect(w, window) for w in shown}
    problems = []
    for a, b in combinations(shown, 2):
        if a.isAncestorOf(b) or b.isAncestorOf(a):
            continue
        if rects[a].intersects(rects[b]):
            problems.append(f"{describe(a)} overlaps {describe(b)}")
    return problems


PAIRS = (
    ("backButton", "nextButton"),
    ("backButton", "startButton"),
    ("noThanksButton", "consentNextButton"),
    ("answer_yes", "answer_no"),
)


def look_problems(window: QWidget) -> list[str]:
    """KRDS on a kiosk: at most one filled primary button, and the buttons of a pair alike."""
    buttons = visitor_widgets(window, (QAbstractButton,))
    primary = [b for b in buttons if b.property("role") == "primary"]
    problems = []
    if len(primary) > 1:
        problems.append("primary buttons: " + ", ".join(describe(b) for b in primary))
    by_name: dict[str, list[QWidget]] = {}
    for button in buttons:
        by_name.setdefault(button.objectName(), []).append(button)
    for first, second in PAIRS:
        for a in by_name.get(first, []):
            for b in by_name.get(second, []):
                if a.parentWidget() is b.parentWidget() and a.size() != b.size():
                    problems.append(
                        f"{describe(a)} {a.size().toTuple()} and {describe(b)} "
                        f"{b.size().toTuple()} differ"
                    )
    return problems


@dataclass
class VisitorFigures:
    """Per mode and orientation: the three criteria of tests/criteria.py plus text size."""

    figures: Figures = field(default_factory=Figures)
    smallest_text_mm: float = float("inf")
    smallest_text: str = ""
    lowest_placeholder: float = float("inf")
    screens: int = 0
    problems: list[str] = field(default_factory=list)

    def line(self) -> str:
        f = self.figures
        return (
            f"{self.screens} screens: text >= {self.smallest_text_mm:.1f} mm "
            f"({self.smallest_text}); highest control {f.highest_control_cm:.1f} cm "
            f"({f.highest_control}); smallest target {f.smallest_target_mm:.1f} mm "
            f"({f.smallest_target}); contrast >= {f.lowest_contrast:.2f} "
            f"({f.lowest_contrast_text}); placeholders >= {self.lowest_placeholder:.2f}"
        )


def measure_visitor_screen(
    window: QWidget, panel: Panel, where: str, into: VisitorFigures, easy: bool
) -> None:
    """Measure the window as it is now into `into`, adding every failed criterion as a problem."""
    # An overlay (idle question, topic briefing) covers the screen: only it can be seen or touched.
    for name in ("idle_overlay", "topic_briefing", "restart_confirm"):
        overlay = getattr(window, name, None)
        if isinstance(overlay, QWidget) and overlay.isVisible():
            window = overlay
    minimum_text = Type.MIN * (2 if easy else 1)
    minimum_contrast = 7.0 if easy else 4.5
    figures = measure(window, panel)
    # tests/criteria.py checks 4.5:1; easy mode's 7:1 is checked here on the same figures.
    figures.problems = [p for p in figures.problems if ": contrast " not in p]
    if figures.lowest_contrast < minimum_contrast:
        figures.problems.append(
            f"{figures.lowest_contrast_text}: contrast {figures.lowest_contrast:.2f}"
        )
    into.figures.merge(figures, where)
    into.screens += 1
    for size, what in text_sizes(window, panel):
        if size < into.smallest_text_mm:
            into.smallest_text_mm, into.smallest_text = size, f"{where}: {what}"
        if size < minimum_text - 0.05:
            into.problems.append(f"{where}: {what} is {size:.1f} mm (< {minimum_text} mm)")
    for ratio, what in placeholder_contrasts(window):
        into.lowest_placeholder = min(into.lowest_placeholder, ratio)
        if ratio < minimum_contrast:
            into.problems.append(f"{where}: {what} contrast {ratio:.2f}")
    into.problems += [f"{where}: {problem}" for problem in scroll_problems(window)]
    into.problems += [f"{where}: {problem}" for problem in icon_problems(window)]
    into.problems += [f"{where}: clipped {problem}" for problem in clipped_texts(window)]
    into.problems += [f"{where}: {problem}" for problem in overlap_problems(window)]
    into.problems += [f"{where}: {problem}" for problem in look_problems(window)]
