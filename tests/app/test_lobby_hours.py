"""Lobby hours: the panel sleeps outside opening hours, wakes on a touch, and the retention purge
goes on while it sleeps."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from PySide6.QtCore import Qt

from kiosk.app.composition import KioskApp
from kiosk.config.settings import KioskConfig, LobbyHoursSettings
from kiosk.core.records import KST
from kiosk.tooling.driver import KioskDriver
from kiosk.visit.flow import Step
from tests.conftest import FakeClock

# A Wednesday: 2026-12-02.
EVENING = datetime(2026, 12, 2, 22, 30, tzinfo=KST).astimezone(UTC)
MORNING = datetime(2026, 12, 3, 9, 5, tzinfo=KST).astimezone(UTC)


def hours_config(config: KioskConfig) -> KioskConfig:
    hours = LobbyHoursSettings(enabled=True, open="09:00", close="18:00", wake_s=60)
    return config.model_copy(update={"hours": hours})


def test_the_panel_sleeps_when_closed_wakes_on_a_touch_and_purges_while_asleep(
    make_kiosk: Callable[..., KioskApp], config: KioskConfig, clock: FakeClock, qtbot: object
) -> None:
    clock.now = EVENING
    kiosk = make_kiosk(hours_config(config))
    hours = kiosk.hours
    assert hours is not None and hours.asleep  # started after closing time: blank at once
    hours.check()
    assert hours.blank.isVisible() and hours.blank.geometry() == kiosk.window.rect()
    # The purge is due (after purge_hour, never run today) and runs under the blank screen.
    assert kiosk.retention is not None and kiosk.retention.check() is True
    assert kiosk.session.step == Step.ATTRACT and hours.asleep
    # A touch wakes it for wake_s; then it sleeps again.
    qtbot.mouseClick(hours.blank, Qt.MouseButton.LeftButton)  # type: ignore[attr-defined]
    assert not hours.asleep
    hours.check()
    assert not hours.asleep
    clock.now = EVENING + timedelta(seconds=61)
    hours.check()
    assert hours.asleep
    # Morning: open, awake.
    clock.now = MORNING
    hours.check()
    assert not hours.asleep


def test_a_visitor_is_never_blanked_mid_visit(
    make_kiosk: Callable[..., KioskApp], config: KioskConfig, clock: FakeClock
) -> None:
    clock.now = MORNING
    kiosk = make_kiosk(hours_config(config))
    assert kiosk.hours is not None and not kiosk.hours.asleep
    KioskDriver(kiosk).touch_attract()
    clock.now = EVENING
    kiosk.hours.check()
    assert kiosk.session.step != Step.ATTRACT and not kiosk.hours.asleep


def test_closed_days_and_hours_across_midnight() -> None:
    from kiosk.app.lobby_hours import LobbyHours

    class Probe(LobbyHours):
        def __init__(self, settings: LobbyHoursSettings) -> None:  # no window needed
            self._settings, self._zone = settings, KST

    monday = datetime(2026, 11, 30, 12, 0, tzinfo=KST)
    assert not Probe(LobbyHoursSettings(enabled=True)).is_open(monday)  # closed on Mondays
    night = LobbyHoursSettings(enabled=True, open="20:00", close="02:00", days=["mon"])
    assert Probe(night).is_open(monday.replace(hour=23))
    assert not Probe(night).is_open(monday.replace(hour=12))
