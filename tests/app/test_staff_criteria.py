"""Every staff page against the barrier-free kiosk criteria (all but the 12 mm text rule), in both
orientations, measured from the live widgets: controls at or below 120 cm, targets at least
15 mm and 2 mm apart, text contrast at least 4.5:1; and no text clipped."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication

from kiosk.app.composition import KioskApp
from kiosk.config.settings import DisplaySettings, KioskConfig
from kiosk.staff.controller import Page
from tests.conftest import SAMPLE_CONTENT, FakeClock
from tests.criteria import REACH_CM, Figures, Panel, measure
from tests.layout_checks import clipped_texts
from tests.staff_support import PIN, MakeKiosk, StaffHands, seed, staff_kiosk_for

ORIENTATIONS = [(1080, 1920, 398.0), (1920, 1080, 708.0)]


def staff_tour(
    hands: StaffHands, clock: FakeClock, usb: Path
) -> list[tuple[str, Callable[[], None]]]:
    """Steps that bring up every staff page and the states that change what is on it."""
    area = hands.area

    def locked_pad() -> None:
        hands.corner_taps()
        for _ in range(5):
            hands.type_pin("0000")

    def log_in() -> None:
        clock.now += timedelta(seconds=31)
        hands.controller.tick()
        hands.type_pin(PIN)

    def results_scrolled() -> None:
        bar = area.results.list_area.verticalScrollBar()
        bar.setValue(bar.maximum())

    def results_today() -> None:
        hands.tap(area.results.range.presets["today"])
        hands.tap(area.results.range.steps[("first", -7)])
        hands.tap(area.results.apply)

    def exported() -> None:
        hands.tap(area.export.drives.buttons[str(usb)])
        hands.tap(area.export.range.presets["week"])
        hands.tap(area.export.start)
        hands.controller.wait_for_export()
        QApplication.processEvents()

    def no_drive() -> None:
        shutil.rmtree(usb)
        hands.tap(area.export.refresh)

    def pack_found() -> None:
        usb.mkdir()
        shutil.copytree(SAMPLE_CONTENT, usb / "kiosk-content")
        hands.tap(area.actions_screen.import_pack)

    def quit_confirm() -> None:
        hands.tap(area.actions_screen.quit)
        hands.type_pin(PIN)

    def audit_second_page() -> None:
        hands.tap(area.audit.following)

    def pin_typing() -> None:
        hands.corner_taps()
        hands.tap(area.pin.digits["4"])

    def other_pin_pad() -> None:
        hands.tap(area.pin.cancel)
        quit_confirm()

    return [
        ("pin-typing", pin_typing),
        ("pin-cancelled", lambda: hands.tap(area.pin.cancel)),
        ("pin-locked", locked_pad),
        ("dashboard", log_in),
        ("results", lambda: hands.go(Page.RESULTS)),
        ("results-scrolled", results_scrolled),
        ("results-chosen-dates", results_today),
        ("export", lambda: hands.go(Page.EXPORT)),
        ("export-done", exported),
        ("export-no-drive", no_drive),
        ("actions", lambda: hands.go(Page.ACTIONS)),
        ("actions-pack", pack_found),
        ("actions-change-pin", lambda: hands.tap(area.actions_screen.change_pin)),
        ("actions-quit-confirm", other_pin_pad),
        ("audit", lambda: hands.go(Page.AUDIT)),
        ("audit-page-2", audit_second_page),
    ]


@pytest.mark.parametrize(("width", "height", "width_mm"), ORIENTATIONS)
def test_every_staff_page_meets_reach_target_and_contrast_criteria(
    make_kiosk: MakeKiosk,
    staff_config: KioskConfig,
    clock: FakeClock,
    usb: Path,
    width: int,
    height: int,
    width_mm: float,
) -> None:
    display = DisplaySettings(width_px=width, height_px=height, width_mm=width_mm, fullscreen=False)
    config = staff_config.model_copy(update={"display": display})
    kiosk: KioskApp = staff_kiosk_for(make_kiosk, config, clock)
    kiosk.window.resize(width, height)
    seed(kiosk, 30)
    for count in range(20):  # more than a page of the audit log
        kiosk.repository.record_audit("staff", "export", format="csv", responses=count)
    hands = StaffHands(kiosk)
    panel = Panel.of(config)
    total = Figures()
    pages: set[Page] = set()
    for name, action in staff_tour(hands, clock, usb):
        action()
        for _ in range(3):  # nested layouts settle one level per pass, as in the running loop
            QApplication.processEvents()
        assert kiosk.window.size().toTuple() == (width, height)
        if hands.page != Page.CLOSED:
            pages.add(hands.page)
        total.merge(measure(kiosk.window, panel), name)
        total.problems += [f"{name}: {problem}" for problem in clipped_texts(kiosk.window)]
    print(
        f"\n{width}x{height}: smallest target {total.smallest_target_mm:.1f} mm "
        f"({total.smallest_target}); highest control {total.highest_control_cm:.1f} cm "
        f"({total.highest_control}); lowest contrast {total.lowest_contrast:.2f} "
        f"({total.lowest_contrast_text})"
    )
    assert pages == set(Page) - {Page.CLOSED}
    assert not total.problems, "\n".join(total.problems)
    assert total.highest_control_cm <= REACH_CM and total.smallest_target_mm >= 15.0


def test_the_measures_catch_a_control_out_of_reach_too_small_or_faint(
    make_kiosk: MakeKiosk, staff_config: KioskConfig, clock: FakeClock
) -> None:
    """The helpers fail what they should: a button moved to the top, shrunk, drawn grey on grey."""
    kiosk: KioskApp = staff_kiosk_for(make_kiosk, staff_config, clock)
    hands = StaffHands(kiosk)
    hands.log_in()
    panel = Panel.of(staff_config)
    assert not measure(kiosk.window, panel).problems
    logout = hands.area.logout
    logout.setParent(kiosk.window)
    logout.setStyleSheet("background: #777777; color: #888888; min-height: 10px;")
    logout.setGeometry(0, 0, 300, 20)
    logout.show()
    QApplication.processEvents()
    problems = "\n".join(measure(kiosk.window, panel).problems)
    assert "'nav_logout'" in problems
    assert "cm" in problems and "mm on its short side" in problems and "contrast" in problems
