"""What the staff pages draw: immutable values the staff controller publishes. No store in here."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum
from typing import Any

from kiosk.core.records import AuditEntry
from kiosk.staff.drives import Drive
from kiosk.staff.tallies import ResultsView


@dataclass(frozen=True)
class FormFigures:
    """Responses of one form (complete and abandoned) today, this week and in total."""

    form_id: str
    title_ko: str
    title_en: str
    today: int
    week: int
    total: int


@dataclass(frozen=True)
class SyncFacts:
    """The outbox as the dashboard shows it; `configured` is False until sync lands."""

    configured: bool
    queued: int
    quarantined: int
    last_success: str
    last_error: str
    reasons: tuple[str, ...] = ()  # why responses were quarantined, oldest first


@dataclass(frozen=True)
class DashboardView:
    """Everything on the dashboard, as plain values."""

    forms: tuple[FormFigures, ...]
    abandoned: int
    total: int
    sync: SyncFacts
    free_disk_bytes: int
    database_bytes: int
    content_version: str
    app_version: str
    uptime: timedelta
    out_of_service: bool

    @property
    def abandoned_share(self) -> str:
        return f"{100 * self.abandoned / self.total:.1f}%" if self.total else "-"


class Page(StrEnum):
    """Which staff page shows (CLOSED: the visitor screens)."""

    CLOSED = "closed"
    PIN = "pin"
    DASHBOARD = "dashboard"
    RESULTS = "results"
    EXPORT = "export"
    ACTIONS = "actions"
    AUDIT = "audit"


class PinPurpose(StrEnum):
    """What the PIN pad is asking for."""

    LOGIN = "login"
    QUIT = "quit"
    CHANGE_OLD = "change_old"
    CHANGE_NEW = "change_new"
    CHANGE_CONFIRM = "change_confirm"


@dataclass(frozen=True)
class Notice:
    """A message for staff: a text key (shown in Korean and English) and its values."""

    key: str
    values: tuple[tuple[str, Any], ...] = ()
    error: bool = False


@dataclass(frozen=True)
class FormChoice:
    """A form staff can pick, with its titles."""

    id: str
    title_ko: str
    title_en: str


@dataclass(frozen=True)
class StaffView:
    """Everything the staff pages draw, as immutable values."""

    page: Page
    pin_purpose: PinPurpose = PinPurpose.LOGIN
    pin_notice: Notice | None = None
    locked_seconds: int | None = None
    forms: tuple[FormChoice, ...] = ()
    dashboard: DashboardView | None = None
    results: ResultsView | None = None
    results_range: tuple[date | None, date | None] = (None, None)
    drives: tuple[Drive, ...] = ()
    exporting: bool = False
    export_progress: tuple[int, int] = (0, 0)
    export_notice: Notice | None = None
    out_of_service: bool = False
    actions_notice: Notice | None = None
    pack_ready: bool = False
    confirm_quit: bool = False
    audit: tuple[AuditEntry, ...] = field(default_factory=tuple)
    today: date | None = None  # the kiosk's date in Korea, for the date pickers' presets
    # The lower share of the screen a seated person can reach (controls go there); 1.0: all of it.
    reach_share: float = 1.0
