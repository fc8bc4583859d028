"""The kiosk with a damaged store: out of service at start, or after the daily check at the
attract screen; staff are told, the file is kept, the readable rows are copied aside."""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

from PySide6.QtWidgets import QApplication
from sqlalchemy import text

from kiosk.app.composition import KioskApp
from kiosk.app.launch import launch
from kiosk.config.settings import KioskConfig
from kiosk.staff.controller import Page
from kiosk.storage import open_database
from kiosk.storage.bulk import save_many, synthetic_drafts
from kiosk.storage.staff import StaffStore
from kiosk.tooling.driver import KioskDriver
from kiosk.visit.flow import Step
from tests.conftest import FakeClock

from ..staff_support import PIN, StaffHands, staff_config_for

PAGE = 4096


def spoil(path: Path) -> None:
    """Random bytes over two pages in the middle of the file."""
    pages = path.stat().st_size // PAGE
    assert pages > 20
    with path.open("r+b") as handle:
        handle.seek((pages // 2) * PAGE)
        handle.write(random.Random(3).randbytes(2 * PAGE))


def test_a_damaged_store_at_start_shows_the_out_of_service_notice_and_stays(
    qtbot: object, config: KioskConfig, capsys: object
) -> None:
    config.data_dir.mkdir(parents=True)
    database = open_database(config.db_path)
    save_many(database, synthetic_drafts(400, seed=3))
    database.close()
    spoil(config.db_path)
    app = QApplication.instance()

    started = launch(app, config, windowed=True, warm_speech=False)  # type: ignore[arg-type]

    window = started.window
    try:
        qtbot.waitUntil(lambda: started.damaged is not None, timeout=10000)  # type: ignore[attr-defined]
        assert window.stack.currentWidget() is window.out_of_service
        assert started.kiosk is None and started.exit_timer is None  # no restart loop
        out = capsys.readouterr().out  # type: ignore[attr-defined]
        assert "damaged" in out and ".recovered-" in out
        assert list(config.data_dir.glob("kiosk.sqlite3.recovered-*"))
    finally:
        window.allow_close = True
        window.close()


def test_the_daily_check_at_the_attract_screen_stops_visitors_and_tells_staff(
    make_kiosk: Callable[..., KioskApp], config: KioskConfig, clock: FakeClock, tmp_path: Path
) -> None:
    kiosk = make_kiosk(staff_config_for(config, tmp_path / "usb"))
    StaffStore(kiosk.database, clock).set_pin(PIN)
    save_many(kiosk.database, synthetic_drafts(400, seed=4))
    with kiosk.database.engine.connect() as connection:
        connection.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))
    integrity = kiosk.integrity
    assert integrity is not None
    assert integrity.tick() and integrity.problem is None  # sound today
    assert not integrity.tick()  # once a day

    spoil(kiosk.config.db_path)
    driver = KioskDriver(kiosk)
    driver.touch_attract()
    clock.now += timedelta(days=1)
    assert not integrity.tick()  # never in the middle of a visit
    kiosk.session.reset("finished")
    assert kiosk.session.step == Step.ATTRACT

    assert integrity.tick()

    assert integrity.problem
    assert kiosk.session.step == Step.OUT_OF_SERVICE
    assert list(kiosk.config.data_dir.glob("kiosk.sqlite3.recovered-*"))
    hands = StaffHands(kiosk)
    hands.log_in()
    hands.go(Page.DASHBOARD)
    notice = hands.area.dashboard.oos.text()
    assert "Database damaged" in notice and "데이터베이스 손상" in notice
