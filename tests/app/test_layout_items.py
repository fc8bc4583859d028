"""Refilled layouts free their items: PySide does not own what QLayout.takeAt() returns, so an
item only dropped (the stretch under the answers, the item wrapping each widget) stayed in the C
heap for ever, a few hundred bytes at every question of every visitor."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QLayoutItem, QSpacerItem, QVBoxLayout, QWidget
from pytestqt.qtbot import QtBot
from shiboken6 import Shiboken

from kiosk.app.composition import KioskApp
from kiosk.tooling.driver import KioskDriver
from kiosk.tooling.simulate import release_deleted_widgets, run_visitors
from kiosk.ui.widgets import take_widgets
from kiosk.visit.flow import Step

WEEKLY = "weekly-climate-diplomacy"


def items_of(layout: QVBoxLayout) -> list[QLayoutItem]:
    found = [layout.itemAt(index) for index in range(layout.count())]
    return [item for item in found if item is not None]


def test_take_widgets_deletes_the_items_and_nested_layouts_but_not_the_widgets(
    qtbot: QtBot,
) -> None:
    page = QWidget()
    qtbot.addWidget(page)
    layout = QVBoxLayout(page)
    first, second = QLabel("one"), QLabel("two")
    layout.addWidget(first)
    inner = QVBoxLayout()
    inner.addWidget(second)
    layout.addLayout(inner)
    spacer = QSpacerItem(0, 10)
    layout.addItem(spacer)
    layout.addStretch(1)
    items = items_of(layout) + items_of(inner)

    assert take_widgets(layout) == [first, second]

    assert layout.count() == 0
    assert [Shiboken.isValid(item) for item in items] == [False] * len(items)
    assert not Shiboken.isValid(spacer)
    assert not Shiboken.isValid(inner)
    assert Shiboken.isValid(first) and Shiboken.isValid(second)  # the caller decides their fate
    assert first.parent() is page


def test_the_question_screen_frees_the_items_of_past_questions_and_visitors(
    kiosk: KioskApp, driver: KioskDriver
) -> None:
    body = kiosk.window.question._body_layout
    driver.pick_language("en")
    driver.open_form(WEEKLY)
    driver.expect(Step.QUESTION)
    shown = items_of(body)  # the answer buttons' item and the stretch under them
    assert len(shown) >= 2, f"expected the answers and a stretch, found {len(shown)} item(s)"

    driver.give(4)  # on to the next question: the first one's items are put away
    assert [Shiboken.isValid(item) for item in shown] == [False] * len(shown)

    driver.walk_away()
    driver.expect(Step.ATTRACT)
    run_visitors(kiosk, 20, seed=12)
    release_deleted_widgets()
    # The layout holds only what one question shows, not what every visitor saw.
    assert body.count() <= len(shown)
