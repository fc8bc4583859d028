"""The staff area without widgets: login and PIN flows, auto-logout, and the screens'
intents turned into store, export, content and session calls. Screens render StaffView."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal

from kiosk.config.settings import KioskConfig
from kiosk.content.install import PackPreview, find_packs, install_pack, preview_pack
from kiosk.core.errors import ContentError, KioskError
from kiosk.core.records import KST, ExportFormat
from kiosk.staff.dashboard import build_dashboard
from kiosk.staff.drives import find_drives, mount_sticks, release_stick
from kiosk.staff.export_job import ExportJob
from kiosk.staff.tallies import build_results
from kiosk.staff.views import FormChoice, Notice, Page, PinPurpose, StaffView, SyncFacts
from kiosk.storage.export import ExportRequest, ExportResult, Progress, run_export
from kiosk.storage.queries import ResponseFilter, StaffQueries, day_bounds
from kiosk.storage.repository import Repository
from kiosk.storage.staff import PinFormatError, StaffStore, check_pin_format
from kiosk.sync.worker import SyncNowResult
from kiosk.visit.flow import VisitorSession

log = logging.getLogger(__name__)
Clock = Callable[[], datetime]
__all__ = ["Notice", "Page", "PinPurpose", "StaffController", "StaffView"]


class StaffController(QObject):
    """Holds the staff login state; every staff action goes through here and into the audit."""

    changed = Signal(object)
    quit_confirmed = Signal()

    def __init__(
        self,
        config: KioskConfig,
        repository: Repository,
        queries: StaffQueries,
        staff: StaffStore,
        session: VisitorSession,
        clock: Clock,
        sync_now: Callable[[], SyncNowResult] | None = None,
        sync_facts: Callable[[], SyncFacts] | None = None,
        requeue: Callable[[], int] | None = None,
        integrity_problem: Callable[[], str | None] | None = None,
    ) -> None:
        super().__init__()
        self._config = config
        self._repository = repository
        self._queries = queries
        self._staff = staff
        self._session = session
        self._clock = clock
        self._sync_now = sync_now
        self._sync_facts = sync_facts
        self._requeue = requeue
        self._integrity_problem = integrity_problem
        self._started = clock()
        self._last_touch = clock()
        self._logged_in = False
        self._new_pin: str | None = None  # between the two entries of a new PIN; never stored
        self._pack: PackPreview | None = None
        self._job: ExportJob | None = None
        self._view = StaffView(
            Page.CLOSED,
            out_of_service=staff.out_of_service,
            reach_share=config.low_position_share,
        )
        self._timer = QTimer(self, interval=1000)
        self._timer.timeout.connect(self.tick)

    # -- state -------------------------------------------------------------------------------
    @property
    def view(self) -> StaffView:
        return self._view

    @property
    def is_open(self) -> bool:
        return self._view.page != Page.CLOSED

    def _set(self, **changes: Any) -> None:
        self._view = replace(self._view, **changes)
        self.changed.emit(self._view)

    def _audit(self, action: str, **detail: Any) -> None:
        self._repository.record_audit("staff", action, **detail)

    def _forms(self) -> tuple[FormChoice, ...]:
        return tuple(
            FormChoice(f.id, f.title.get("ko", f.id), f.title.get("en", f.id))
            for f in self._session.content.forms
        )

    def _locked_seconds(self) -> int | None:
        until = self._staff.locked_until()
        return (
            None if until is None else max(1, int((until - self._clock()).total_seconds() + 0.999))
        )

    # -- getting in and out ------------------------------------------------------------------
    def open(self) -> None:
        """The hidden gesture: show the PIN pad."""
        if self.is_open:
            return
        self._last_touch = self._clock()
        self._timer.start()
        self._pin(PinPurpose.LOGIN, None if self._staff.pin_set else Notice("staff.pin.not_set"))

    def _pin(self, purpose: PinPurpose, notice: Notice | None = None) -> None:
        locked = self._locked_seconds()
        if locked and notice is None:
            notice = Notice("staff.pin.locked", (("seconds", locked),), error=True)
        self._set(page=Page.PIN, pin_purpose=purpose, pin_notice=notice, locked_seconds=locked)

    def enter_pin(self, pin: str) -> None:
        purpose = self._view.pin_purpose
        if purpose == PinPurpose.CHANGE_NEW:
            try:
                self._new_pin = check_pin_format(pin)
            except PinFormatError:
                self._pin(purpose, Notice("staff.pin.bad_format", error=True))
                return
            self._pin(PinPurpose.CHANGE_CONFIRM)
            return
        if purpose == PinPurpose.CHANGE_CONFIRM:
            if pin != self._new_pin:
                self._new_pin = None
                self._pin(PinPurpose.CHANGE_NEW, Notice("staff.pin.mismatch", error=True))
                return
            self._staff.set_pin(pin)
            self._new_pin = None
            self._audit("pin.changed")
            self._actions(Notice("staff.pin.changed"))
            return
        check = self._staff.check_pin(pin)
        if not check.pin_set:
            self._pin(purpose, Notice("staff.pin.not_set", error=True))
            return
        if not check.accepted:
            self._audit(
                "pin.rejected",
                purpose=str(purpose),
                failed_count=check.failed_count,
                locked_until=check.locked_until.isoformat() if check.locked_until else None,
            )
            left = self._config.staff.lockout_after - check.failed_count
            notice = (
                None if check.locked_until else Notice("staff.pin.wrong", (("left", left),), True)
            )
            self._pin(purpose, notice)
            return
        self._audit("pin.accepted", purpose=str(purpose))
        if purpose == PinPurpose.LOGIN:
            self._logged_in = True
            self.show_page(Page.DASHBOARD)
        elif purpose == PinPurpose.QUIT:
            self._actions(confirm_quit=True)
        else:
            self._pin(PinPurpose.CHANGE_NEW)

    def cancel_pin(self) -> None:
        self._new_pin = None
        if self._logged_in:
            self._actions()
        else:
            self.close("cancelled")

    def close(self, reason: str) -> None:
        """Back to the visitor screens."""
        if not self.is_open:
            return
        if self._logged_in:
            self._audit("logout", reason=reason)
        self._logged_in = False
        self._new_pin = None
        self._timer.stop()
        self._set(page=Page.CLOSED, confirm_quit=False, pin_notice=None)

    def touch(self) -> None:
        """Staff touched the screen: the auto-logout clock starts again."""
        self._last_touch = self._clock()

    def tick(self) -> None:
        """Every second while open: auto-logout after the configured silence; refresh a lock."""
        if not self.is_open:
            return
        idle = (self._clock() - self._last_touch).total_seconds()
        if idle >= self._config.staff.auto_logout_s and self._job is None:
            self.close("auto-logout")
            return
        if self._view.page == Page.PIN and self._view.locked_seconds:
            self._pin(self._view.pin_purpose)

    # -- pages -------------------------------------------------------------------------------
    def show_page(self, page: Page) -> None:
        if not self._logged_in or page in (Page.CLOSED, Page.PIN):
            return
        common: dict[str, Any] = {
            "page": page,
            "forms": self._forms(),
            "confirm_quit": False,
            "today": self._clock().astimezone(KST).date(),
        }
        if page == Page.DASHBOARD:
            common["dashboard"] = build_dashboard(
                self._repository,
                self._queries,
                self._session.content,
                self._config.db_path,
                self._clock(),
                self._started,
                self._session.out_of_service,
                self._sync_facts() if self._sync_facts else None,
                (self._integrity_problem() if self._integrity_problem else None) or "",
            )
        elif page == Page.RESULTS:
            self._set(**common)
            first = self._view.results.form_id if self._view.results else None
            self.show_results(first or (self._forms()[0].id if self._forms() else ""))
            return
        elif page == Page.EXPORT:
            mount_sticks()  # with no desktop, nothing else mounts a stick plugged in
            common["drives"] = tuple(find_drives(self._config.export_roots))
        elif page == Page.ACTIONS:
            common["out_of_service"] = self._session.out_of_service
        elif page == Page.AUDIT:
            common["audit"] = tuple(self._repository.audit_entries(200))
        self._set(**common)

    def show_results(
        self, form_id: str, first: date | None = None, last: date | None = None
    ) -> None:
        form = self._session.content.form(form_id)
        if form is None:
            self._set(results=None, results_range=(first, last))
            return
        since, until = day_bounds(first, last)
        responses = self._queries.iter_responses(ResponseFilter((form_id,), since, until))
        self._set(results=build_results(form, responses), results_range=(first, last))

    # -- export ------------------------------------------------------------------------------
    def start_export(
        self,
        fmt: ExportFormat,
        drive: Path,
        form_ids: tuple[str, ...] = (),
        first: date | None = None,
        last: date | None = None,
    ) -> None:
        if self._job is not None or not self._logged_in:
            return
        since, until = day_bounds(first, last)
        stamp = self._clock().astimezone(UTC).strftime("%Y%m%d-%H%M%S")
        out = drive / f"kiosk-export-{self._config.device.name}-{stamp}-{fmt}"
        request = ExportRequest(fmt, out, ResponseFilter(form_ids, since, until))
        forms = self._session.content.forms
        self._released: set[Path] = set()

        def work(progress: Progress) -> ExportResult:
            result = run_export(
                self._repository, self._queries, forms, request, progress, clock=self._clock
            )
            # On the export's thread: flushing and unmounting a stick can take seconds.
            if release_stick(result.out_dir):
                self._released.add(result.out_dir)
            return result

        job = ExportJob(work)
        job.progressed.connect(lambda done, total: self._set(export_progress=(done, total)))
        job.succeeded.connect(lambda result: self._export_done(request, result, None))
        job.failed.connect(lambda message: self._export_done(request, None, message))
        self._job = job
        self._set(exporting=True, export_progress=(0, 0), export_notice=None)
        job.start()

    def _export_done(
        self, request: ExportRequest, result: ExportResult | None, error: str | None
    ) -> None:
        assert self._job is not None
        self._job.wait()
        self._job.deleteLater()
        self._job = None
        if result is not None:
            self._audit(
                "export",
                format=request.format,
                responses=result.responses,
                files={f.name: f.rows for f in result.files},
            )
            values = (
                ("responses", result.responses),
                ("files", len(result.files)),
                ("path", str(result.out_dir)),
            )
            removable = result.out_dir in getattr(self, "_released", set())
            key = "staff.export.done_remove" if removable else "staff.export.done"
            notice = Notice(key, values)
        else:
            self._audit("export.failed", format=request.format, reason=error)
            notice = Notice("staff.export.failed", (("reason", error),), error=True)
        self._set(exporting=False, export_notice=notice)

    def wait_for_export(self, timeout_ms: int = 30000) -> None:
        """Block until the export thread ends (tests and shutdown only, never from a screen)."""
        if self._job is not None:
            self._job.wait(timeout_ms)

    # -- actions -----------------------------------------------------------------------------
    def _actions(self, notice: Notice | None = None, confirm_quit: bool = False) -> None:
        self._set(
            page=Page.ACTIONS,
            actions_notice=notice,
            confirm_quit=confirm_quit,
            out_of_service=self._session.out_of_service,
            pack_ready=self._pack is not None,
        )

    def sync_now(self) -> None:
        configured = self._sync_now is not None and (
            self._sync_facts is None or self._sync_facts().configured
        )
        if self._sync_now is None or not configured:
            self._audit("sync.requested", configured=False)
            self._actions(Notice("staff.actions.sync_off"))
            return
        result = self._sync_now()
        self._audit(
            "sync.requested", configured=True, started=result.started, message=result.message
        )
        if result.started:
            self._actions(Notice("staff.actions.sync_started"))
        else:
            self._actions(Notice("staff.actions.sync_running", (("reason", result.message),)))

    def requeue_quarantined(self) -> None:
        """Put every quarantined response back in the queue (the server side was fixed), then
        ask for a pass."""
        if not self._logged_in:
            return
        moved = self._requeue() if self._requeue is not None else 0
        self._audit("sync.requeued", responses=moved)
        if moved and self._sync_now is not None:
            self._sync_now()
        self._actions(Notice("staff.actions.requeued", (("count", moved),)))

    def sync_changed(self) -> None:
        """The worker published a status: refresh the dashboard's sync line if it is showing."""
        dash = self._view.dashboard
        if self._view.page == Page.DASHBOARD and dash is not None and self._sync_facts:
            self._set(dashboard=replace(dash, sync=self._sync_facts()))

    def find_pack(self) -> None:
        """Look for a pack on the drives, validate it and show what it would change."""
        self._pack = None
        packs = find_packs([d.path for d in find_drives(self._config.export_roots)])
        if not packs:
            self._actions(Notice("staff.actions.no_pack", error=True))
            return
        try:
            preview = preview_pack(
                packs[0],
                self._session.content,
                self._config.visit.languages,
                self._config.content.accepted_signing_keys,
            )
        except ContentError as exc:
            self._audit("content.rejected", source=str(packs[0]), problems=len(exc.problems))
            shown = "\n".join(exc.problems[:5])
            self._actions(Notice("staff.actions.pack_invalid", (("problems", shown),), True))
            return
        self._pack = preview
        values = tuple(
            (name, ", ".join(getattr(preview, name)) or "-")
            for name in ("added", "changed", "removed", "unchanged")
        )
        self._actions(Notice("staff.actions.preview", values))

    def apply_pack(self) -> None:
        preview, self._pack = self._pack, None
        if preview is None:
            return
        try:
            install_pack(preview, self._config)
        except ContentError as exc:
            self._audit("content.rejected", source=str(preview.source), problems=len(exc.problems))
            shown = "\n".join(exc.problems[:5])
            self._actions(Notice("staff.actions.pack_invalid", (("problems", shown),), True))
            return
        except OSError as exc:
            log.error("could not install content pack from %s: %s", preview.source, exc)
            self._actions(Notice("staff.actions.import_failed", (("reason", str(exc)),), True))
            return
        self._session.replace_content(preview.pack)
        self._audit(
            "content.imported",
            version=preview.pack.version,
            added=list(preview.added),
            changed=list(preview.changed),
            removed=list(preview.removed),
        )
        self._actions(Notice("staff.actions.applied", (("version", preview.pack.version),)))

    def set_out_of_service(self, value: bool) -> None:
        self._staff.set_out_of_service(value)
        self._session.set_out_of_service(value)
        self._audit("out_of_service", on=value)
        self._actions()

    def change_pin(self) -> None:
        if self._logged_in:
            self._pin(PinPurpose.CHANGE_OLD)

    def quit(self) -> None:
        if self._logged_in:
            self._pin(PinPurpose.QUIT)

    def answer_quit(self, confirmed: bool) -> None:
        if not self._view.confirm_quit:
            return
        if not confirmed:
            self._actions()
            return
        self._audit("quit")
        log.warning("staff quit the kiosk to the desktop")
        self.quit_confirmed.emit()

    def stop(self) -> None:
        self._timer.stop()
        self.wait_for_export()


def restore_service_state(staff: StaffStore, session: VisitorSession) -> None:
    """After a restart: an out-of-service kiosk stays out of service."""
    try:
        if staff.out_of_service:
            session.set_out_of_service(True)
    except KioskError as exc:
        log.error("could not read the service state: %s", exc)
