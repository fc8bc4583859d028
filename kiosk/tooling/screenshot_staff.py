"""Screenshot tour steps for the consent and contact screens and the staff pages.

These need a kiosk with the ministry's public key and a staff PIN, so they run on a kiosk of
their own: the key is a throwaway pair made for the pictures, the PIN a fixed one.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from kiosk.app.composition import KioskApp
from kiosk.config.settings import KioskConfig
from kiosk.privacy.sealing import generate_key_files
from kiosk.staff.views import Page
from kiosk.storage.staff import StaffStore
from kiosk.tooling.driver import KioskDriver

PIN = "482913"


def keyed_config(config: KioskConfig, key_dir: Path) -> KioskConfig:
    """The config with a throwaway public key, so the consent and contact steps appear."""
    pair = generate_key_files(key_dir)
    privacy = config.privacy.model_copy(update={"public_key_file": pair.public_path})
    return config.model_copy(update={"privacy": privacy})


def staff_tour(kiosk: KioskApp, language: str) -> list[tuple[str, Callable[[], None]]]:
    """Consent, contact, then the hidden staff area page by page and the out-of-service notice."""
    driver = KioskDriver(kiosk)
    assert kiosk.staff is not None
    controller = kiosk.staff
    area = kiosk.window.staff_area

    def to_consent() -> None:
        driver.pick_language(language)
        driver.open_form("open-opinion")
        driver.give("peace")
        driver.type_text(
            "평화 협력에 대한 설명회를 더 자주 열어 주세요."
            if language == "ko"
            else "Please hold more public briefings on peace cooperation."
        )
        driver.next()

    def to_contact() -> None:
        driver.consent("email", True)
        driver.consent("phone", False)
        driver.confirm_consent()
        driver.type_contact("email", "visitor@example.com")

    def to_pin() -> None:
        driver.send_contact()
        driver.walk_away()
        StaffStore(kiosk.database, kiosk.repository._clock).set_pin(PIN)
        controller.open()
        driver.settle()
        for digit in PIN[:3]:
            driver.tap(area.pin.digits[digit])

    def log_in() -> None:
        for digit in PIN[3:]:
            driver.tap(area.pin.digits[digit])
        driver.tap(area.pin.ok)

    def page(target: Page) -> Callable[[], None]:
        return lambda: driver.tap(area.nav_buttons[target])

    def out_of_service() -> None:
        controller.set_out_of_service(True)
        controller.close("screenshots")
        driver.settle()

    return [
        ("consent", to_consent),
        ("contact", to_contact),
        ("staff-pin", to_pin),
        ("staff-dashboard", log_in),
        ("staff-results", page(Page.RESULTS)),
        ("staff-export", page(Page.EXPORT)),
        ("staff-actions", page(Page.ACTIONS)),
        ("staff-audit", page(Page.AUDIT)),
        ("out-of-service", out_of_service),
    ]
