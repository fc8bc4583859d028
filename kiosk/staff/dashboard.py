"""The staff dashboard's figures, gathered from the store into one immutable value (staff.views)."""

from __future__ import annotations

import shutil
from datetime import datetime, time, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from kiosk import __version__
from kiosk.content.models import ContentPack
from kiosk.core.records import KST
from kiosk.staff.views import DashboardView, FormFigures, SyncFacts
from kiosk.storage.queries import ResponseFilter, StaffQueries
from kiosk.storage.repository import Repository

if TYPE_CHECKING:
    from collections.abc import Sequence

    from kiosk.storage.outbox import QuarantinedResponse
    from kiosk.sync.engine import SyncStatus


# Quarantine reasons listed on the dashboard; the rest are counted, and the export has them all.
REASONS_SHOWN = 10


def sync_facts(status: SyncStatus, quarantined: Sequence[QuarantinedResponse]) -> SyncFacts:
    """The sync worker's latest status and the quarantined responses, as the dashboard shows them."""

    def stamp(moment: datetime | None) -> str:
        return "-" if moment is None else moment.astimezone(KST).strftime("%Y-%m-%d %H:%M")

    error = "-"
    if status.last_error:
        error = f"{stamp(status.last_error_at)} {status.last_error}"
    return SyncFacts(
        configured=status.state != "off",
        queued=status.queued + status.sending,
        quarantined=status.quarantined,
        last_success=stamp(status.last_success_at),
        last_error=error,
        reasons=tuple(
            f"{stamp(q.submitted_at)} {q.form_id} ({q.response_id[-8:]}): {q.reason}"
            for q in quarantined[:REASONS_SHOWN]
        ),
    )


def day_start(moment: datetime) -> datetime:
    """Midnight in Korea of the day `moment` falls on."""
    return datetime.combine(moment.astimezone(KST).date(), time(), KST)


def database_bytes(path: Path) -> int:
    total = 0
    for suffix in ("", "-wal"):
        part = path.with_name(path.name + suffix)
        if part.exists():
            total += part.stat().st_size
    return total


def build_dashboard(
    repository: Repository,
    queries: StaffQueries,
    content: ContentPack,
    db_path: Path,
    now: datetime,
    started_at: datetime,
    out_of_service: bool,
    sync: SyncFacts | None = None,
) -> DashboardView:
    """Count per form for today and this week (Monday) in Korean time, and the machine's facts."""
    today = day_start(now)
    week = today - timedelta(days=today.weekday())
    by_day = queries.counts_by_form(ResponseFilter(since=today))
    by_week = queries.counts_by_form(ResponseFilter(since=week))
    overall = queries.counts_by_form()
    ids = [f.id for f in content.forms] + sorted(set(overall) - {f.id for f in content.forms})
    figures = []
    for form_id in ids:
        form = content.form(form_id)
        figures.append(
            FormFigures(
                form_id,
                form.title.get("ko", form_id) if form else form_id,
                form.title.get("en", form_id) if form else form_id,
                sum(by_day.get(form_id, {}).values()),
                sum(by_week.get(form_id, {}).values()),
                sum(overall.get(form_id, {}).values()),
            )
        )
    outbox = repository.sync_counts()
    # Visits, not responses: a visitor who walks away from a form that keeps no partial answers
    # leaves no response at all, only this anonymous count.
    visits = repository.visit_counts()
    return DashboardView(
        forms=tuple(figures),
        abandoned=visits.get("abandoned_kept", 0) + visits.get("left", 0),
        total=sum(visits.values()),
        sync=sync
        or SyncFacts(
            configured=False,
            queued=outbox.get("queued", 0) + outbox.get("sending", 0),
            quarantined=outbox.get("quarantined", 0),
            last_success="-",
            last_error="-",
        ),
        free_disk_bytes=shutil.disk_usage(db_path.parent).free,
        database_bytes=database_bytes(db_path),
        content_version=content.version,
        app_version=__version__,
        uptime=now - started_at,
        out_of_service=out_of_service,
    )
