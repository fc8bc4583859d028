"""Getting in and out of the staff area through the real window: the hidden gesture, the PIN
pad and its lock (across a restart), changing the PIN, quitting, auto-logout."""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Callable
from datetime import timedelta

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest

from kiosk.app.composition import KioskApp
from kiosk.config.settings import KioskConfig
from kiosk.staff.controller import Page
from kiosk.storage.staff import StaffStore
from kiosk.tooling.driver import KioskDriver
from kiosk.visit.flow import Step
from tests.conftest import FakeClock
from tests.staff_support import (
    PIN,
    MakeKiosk,
    StaffHands,
    audit_actions,
)


def test_five_corner_taps_open_the_pin_pad_and_start_no_visit(staff_kiosk: KioskApp) -> None:
    hands = StaffHands(staff_kiosk)
    hands.corner_taps(4)
    assert hands.page == Page.CLOSED and staff_kiosk.session.step == Step.ATTRACT
    hands.corner_taps(1)
    assert hands.page == Page.PIN
    assert staff_kiosk.window.stack.currentWidget() is hands.area
    assert hands.area.pin.isVisible() and staff_kiosk.session.step == Step.ATTRACT
    hands.tap(hands.area.pin.cancel)
    assert hands.page == Page.CLOSED and staff_kiosk.window.attract.isVisible()
    # An ordinary touch anywhere else still starts a visit.
    KioskDriver(staff_kiosk).touch_attract()
    assert staff_kiosk.session.step == Step.HOME


def test_a_long_press_opens_the_pad_and_a_short_corner_tap_starts_a_visit(
    make_kiosk: MakeKiosk, config: KioskConfig, qtbot: object
) -> None:
    settings = config.staff.model_copy(update={"gesture": "hold", "hold_s": 0.5})
    kiosk = make_kiosk(config.model_copy(update={"staff": settings}))
    hands = StaffHands(kiosk)
    attract = kiosk.window.attract
    corner = QPoint(attract.width() - 5, 5)
    assert kiosk.gesture is not None
    QTest.mousePress(attract, Qt.MouseButton.LeftButton, pos=corner)
    with qtbot.waitSignal(kiosk.gesture.recognised, timeout=3000):  # type: ignore[attr-defined]
        pass
    QTest.mouseRelease(attract, Qt.MouseButton.LeftButton, pos=corner)
    KioskDriver(kiosk).settle()
    assert hands.page == Page.PIN and kiosk.session.step == Step.ATTRACT
    hands.tap(hands.area.pin.cancel)
    QTest.mouseClick(attract, Qt.MouseButton.LeftButton, pos=corner)
    KioskDriver(kiosk).settle()
    assert hands.page == Page.CLOSED and kiosk.session.step == Step.HOME


def test_five_wrong_pins_lock_the_pad_even_after_a_restart(
    make_kiosk: MakeKiosk, staff_config: KioskConfig, staff_kiosk: KioskApp, clock: FakeClock
) -> None:
    hands = StaffHands(staff_kiosk)
    hands.corner_taps()
    for attempt in range(1, 5):
        hands.type_pin("0000")
        assert "Wrong PIN" in hands.area.pin.notice.text()
        assert f"{5 - attempt} more" in hands.area.pin.notice.text()
    hands.type_pin("0000")
    assert "locked for 30 seconds" in hands.area.pin.notice.text()
    assert not hands.area.pin.ok.isEnabled() and not hands.area.pin.digits["4"].isEnabled()
    # Even the right PIN is refused while locked (the controller is asked directly: the
    # buttons are disabled).
    hands.controller.enter_pin(PIN)
    assert hands.page == Page.PIN
    staff_kiosk.close()

    restarted = make_kiosk(staff_config)
    hands = StaffHands(restarted)
    hands.corner_taps()
    assert "locked for 30 seconds" in hands.area.pin.notice.text()
    assert not hands.area.pin.ok.isEnabled()
    clock.now += timedelta(seconds=31)
    hands.controller.tick()
    assert hands.area.pin.ok.isEnabled()
    hands.type_pin("1111")  # the sixth wrong PIN locks for twice as long
    assert "locked for 60 seconds" in hands.area.pin.notice.text()
    clock.now += timedelta(seconds=61)
    hands.controller.tick()
    hands.type_pin(PIN)
    assert hands.page == Page.DASHBOARD and hands.area.dashboard.isVisible()
    actions = audit_actions(restarted)
    # Six wrong PINs and the right one tried while locked: every attempt is on record.
    assert actions.count("pin.rejected") == 7 and actions[-1] == "pin.accepted"
    with contextlib.closing(sqlite3.connect(staff_config.db_path)) as raw:
        stored = dict(raw.execute("select key, value from meta").fetchall())
        audit_text = " ".join(r[0] for r in raw.execute("select detail_json from audit_log"))
    assert stored["staff.pin_hash"].startswith("scrypt$") and PIN not in stored["staff.pin_hash"]
    assert stored.get("staff.failed_count") is None  # the right PIN cleared the count
    assert PIN not in audit_text and "0000" not in audit_text


def test_staff_are_logged_out_after_two_minutes_without_a_touch(
    staff_kiosk: KioskApp, clock: FakeClock
) -> None:
    hands = StaffHands(staff_kiosk)
    hands.log_in()
    clock.now += timedelta(seconds=100)
    hands.go(Page.AUDIT)  # a touch restarts the two minutes
    clock.now += timedelta(seconds=110)
    hands.controller.tick()
    assert hands.page == Page.AUDIT
    clock.now += timedelta(seconds=11)
    hands.controller.tick()
    assert hands.page == Page.CLOSED
    assert staff_kiosk.window.stack.currentWidget() is staff_kiosk.window.attract
    entry = staff_kiosk.repository.audit_entries(1)[0]
    assert entry.action == "logout" and entry.detail == {"reason": "auto-logout"}


@pytest.mark.slow
def test_change_pin_then_quit_needs_the_new_pin_and_a_confirmation(
    make_kiosk: MakeKiosk, staff_config: KioskConfig, clock: FakeClock
) -> None:
    quits: list[bool] = []
    kiosk = make_kiosk(staff_config, quit_app=lambda: quits.append(True))
    StaffStore(kiosk.database, clock).set_pin(PIN)
    hands = StaffHands(kiosk)
    hands.log_in()
    hands.go(Page.ACTIONS)
    actions = hands.area.actions_screen
    hands.tap(actions.change_pin)
    hands.type_pin(PIN)
    hands.type_pin("2468")  # four digits fall offline in minutes: refused
    assert "6 to 12 digits" in hands.area.pin.notice.text()
    assert "6~12자리" in hands.area.pin.notice.text()
    hands.type_pin("13579")
    assert "6 to 12 digits" in hands.area.pin.notice.text()
    hands.type_pin("135791")
    hands.type_pin("135790")
    assert "differ" in hands.area.pin.notice.text()
    hands.type_pin("135791")
    hands.type_pin("135791")
    assert "PIN is changed" in actions.notice.text()
    hands.tap(actions.quit)
    hands.type_pin(PIN)  # the old PIN no longer works
    assert "Wrong PIN" in hands.area.pin.notice.text()
    hands.type_pin("135791")
    assert actions.confirm.isVisible() and not quits
    hands.tap(actions.quit_no)
    assert not actions.confirm.isVisible() and not quits
    hands.tap(actions.quit)
    hands.type_pin("135791")
    hands.tap(actions.quit_yes)
    assert quits == [True]
    assert audit_actions(kiosk)[-6:] == [
        "pin.accepted",
        "pin.changed",
        "pin.rejected",
        "pin.accepted",
        "pin.accepted",
        "quit",
    ]


def test_the_export_job_runs_its_work_on_another_thread(qtbot: object) -> None:
    import threading

    from kiosk.staff.export_job import ExportJob

    seen: list[int] = []

    def work(progress: Callable[[int, int], None]) -> object:
        seen.append(threading.get_ident())
        progress(1, 1)
        return "result"

    job = ExportJob(work)  # type: ignore[arg-type]
    with qtbot.waitSignal(job.succeeded, timeout=5000) as done:  # type: ignore[attr-defined]
        job.start()
    job.wait()
    assert done.args == ["result"] and seen and seen[0] != threading.get_ident()
