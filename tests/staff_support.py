"""Staff hands for the maintenance tests: the gesture, the PIN pad, the pages; quick data."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QWidget

from kiosk.app.composition import KioskApp
from kiosk.config.settings import KioskConfig
from kiosk.core.records import Answer, ResponseDraft
from kiosk.staff.controller import Page
from kiosk.storage.staff import StaffStore
from kiosk.tooling.driver import KioskDriver
from kiosk.visit.flow import Step

from .conftest import FakeClock

PIN = "482913"
MakeKiosk = Callable[..., KioskApp]


class StaffHands:
    """A staff member's hands on the kiosk: the gesture, the PIN pad, the staff pages."""

    def __init__(self, kiosk: KioskApp) -> None:
        self.kiosk = kiosk
        self.window = kiosk.window
        self.area = kiosk.window.staff_area
        assert kiosk.staff is not None
        self.controller = kiosk.staff

    def tap(self, widget: QWidget) -> None:
        KioskDriver(self.kiosk).tap(widget)

    def corner_taps(self, count: int = 5) -> None:
        screen = (
            self.window.out_of_service
            if self.kiosk.session.step == Step.OUT_OF_SERVICE
            else self.window.attract
        )
        corner = QPoint(screen.width() - 5, 5)
        for _ in range(count):
            QTest.mouseClick(screen, Qt.MouseButton.LeftButton, pos=corner)
        KioskDriver(self.kiosk).settle()

    def type_pin(self, pin: str) -> None:
        for digit in pin:
            self.tap(self.area.pin.digits[digit])
        self.tap(self.area.pin.ok)

    def log_in(self, pin: str = PIN) -> None:
        self.corner_taps()
        self.type_pin(pin)

    def go(self, page: Page) -> None:
        self.tap(self.area.nav_buttons[page])

    @property
    def page(self) -> Page:
        return self.controller.view.page


OPINIONS = [
    "해외 여행객 안전 안내를 강화해 주세요 😊",
    "Keep the lobby open on Saturdays.",
    "청년 외교",
]


def seed(kiosk: KioskApp, count: int, days_ago: int = 0, first: int = 0) -> None:
    """Opinions written through the real repository (faster than driving the UI for each)."""
    now = kiosk.repository._clock() - timedelta(days=days_ago)
    for n in range(first, first + count):
        answers = [Answer("topic", ("consular", "other", "economy")[n % 3])]
        if n % 4:
            answers.append(Answer("opinion", f"{OPINIONS[n % 3]} #{n}"))
        kiosk.repository.save_response(
            ResponseDraft(
                id=str(uuid.UUID(int=n + 1)),
                form_id="open-opinion",
                form_version=1,
                form_hash="h" * 64,
                content_version=kiosk.content.version,
                language=("ko", "en")[n % 2],
                status="complete" if n % 5 else "abandoned",
                started_at=now - timedelta(minutes=n + 2),
                submitted_at=now - timedelta(minutes=n),
                answers=tuple(answers),
            )
        )


def audit_actions(kiosk: KioskApp) -> list[str]:
    return [e.action for e in reversed(kiosk.repository.audit_entries(500))]


def staff_config_for(config: KioskConfig, usb: Path) -> KioskConfig:
    """Five taps on the top-right corner; the "USB stick" is a plain directory (export root)."""
    staff = config.staff.model_copy(update={"gesture": "taps", "export_roots": [usb]})
    return config.model_copy(update={"staff": staff})


def staff_kiosk_for(make_kiosk: MakeKiosk, config: KioskConfig, clock: FakeClock) -> KioskApp:
    kiosk = make_kiosk(config)
    StaffStore(kiosk.database, clock).set_pin(PIN)
    return kiosk
