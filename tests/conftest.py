"""Shared fixtures: a fresh kiosk (real SQLite file, real window offscreen) per test."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from kiosk.config.settings import BUNDLED_CONFIG, BUNDLED_CONTENT, KioskConfig, load_config
from kiosk.storage.staff import PinCost

REPO = Path(__file__).resolve().parent.parent
SAMPLE_CONTENT = BUNDLED_CONTENT
# Inside the sample call for proposals' window (2026-11-01 .. 2027-01-31 KST).
NOW = datetime(2026, 11, 27, 3, 0, tzinfo=UTC)


class FakeClock:
    """A settable UTC clock."""

    def __init__(self, now: datetime = NOW) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


# The production PIN hash costs a second a guess on purpose; tests hash with a cheap cost (the
# rehash-on-login test raises it again to see an old hash replaced).
CHEAP_PIN_COST = PinCost(2**10, 8, 1)


# What tools keep in the checkout (all in .gitignore). Anything else a test run leaves there (a
# stray tmp*/k.sqlite3 was committed once) is a test writing beside the code instead of in tmp_path.
TOOL_CACHES = frozenset(
    {".venv", "__pycache__", ".hypothesis", ".mypy_cache", ".ruff_cache", ".import_linter_cache",
     ".pytest_cache"}
)  # fmt: skip


def untracked_files() -> set[str] | None:
    """The checkout's untracked and ignored paths other than tool caches (None: not a checkout)."""
    try:
        listed = subprocess.run(
            ["git", "status", "--porcelain", "--ignored", "-z"],
            cwd=REPO, capture_output=True, text=True, timeout=120, check=True,
        )  # fmt: skip
    except (OSError, subprocess.SubprocessError):
        return None  # no git, or the tests of an installed copy: nothing to compare
    found = set()
    for entry in listed.stdout.split("\0"):
        if not entry.startswith(("?? ", "!! ")):
            continue
        parts = entry[3:].rstrip("/").split("/")
        if TOOL_CACHES.isdisjoint(parts) and not parts[-1].endswith(".egg-info"):
            found.add(entry[3:])
    return found


@pytest.fixture(autouse=True, scope="session")
def checkout_stays_clean() -> Iterator[None]:
    """Fail the run when the tests left files in the checkout (they belong in tmp_path)."""
    before = untracked_files()
    yield
    after = untracked_files()
    if before is not None and after is not None and after - before:
        pytest.fail(
            "the tests left files in the checkout (write them under tmp_path): "
            + ", ".join(sorted(after - before)),
            pytrace=False,
        )


@pytest.fixture(autouse=True)
def cheap_pin_hash(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("kiosk.storage.staff.PIN_COST", CHEAP_PIN_COST)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def config(tmp_path: Path) -> KioskConfig:
    """The bundled config with a fresh data directory."""
    return load_config(BUNDLED_CONFIG).with_data_dir(tmp_path / "data")


@pytest.fixture
def make_kiosk(
    qtbot: object, config: KioskConfig, clock: FakeClock
) -> Iterator[Callable[..., object]]:
    """Build kiosks on demand (several per test for restarts); all are closed afterwards."""
    from kiosk.app.composition import KioskApp, build_app

    built: list[KioskApp] = []

    def make(cfg: KioskConfig | None = None, **kwargs: object) -> KioskApp:
        kiosk = build_app(cfg or config, clock=clock, **kwargs)  # type: ignore[arg-type]
        kiosk.show(windowed=True)
        built.append(kiosk)
        return kiosk

    yield make
    for kiosk in built:
        kiosk.close()
    # No event loop runs between tests, so deleteLater alone would keep every closed window
    # alive, and each new application style sheet would restyle all of them.
    from PySide6.QtCore import QEvent
    from PySide6.QtWidgets import QApplication

    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


@pytest.fixture
def kiosk(make_kiosk: Callable[..., object]) -> object:
    return make_kiosk()


@pytest.fixture
def driver(kiosk: object) -> object:
    from kiosk.tooling.driver import KioskDriver

    return KioskDriver(kiosk)  # type: ignore[arg-type]


@pytest.fixture
def usb(tmp_path: Path) -> Path:
    """A folder standing in for a mounted USB stick (the export root of staff_config)."""
    stick = tmp_path / "usb"
    stick.mkdir()
    return stick


@pytest.fixture
def staff_config(config: KioskConfig, usb: Path) -> KioskConfig:
    from .staff_support import staff_config_for

    return staff_config_for(config, usb)


@pytest.fixture
def staff_kiosk(
    make_kiosk: Callable[..., object], staff_config: KioskConfig, clock: FakeClock
) -> object:
    """A kiosk with a staff PIN set, for the maintenance tests."""
    from .staff_support import staff_kiosk_for

    return staff_kiosk_for(make_kiosk, staff_config, clock)  # type: ignore[arg-type]
