"""The staff dashboard: responses per form today, this week and in total, and the kiosk's health."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGridLayout, QLabel

from kiosk.core.units import human_bytes
from kiosk.i18n.texts import both
from kiosk.staff.views import StaffView
from kiosk.ui.staff.widgets import StaffPage, clear_layout
from kiosk.ui.theme import Theme
from kiosk.ui.widgets import make_label


def _duration(seconds: float) -> str:
    minutes = int(seconds // 60)
    days, minutes = divmod(minutes, 24 * 60)
    hours, minutes = divmod(minutes, 60)
    return f"{days}d {hours}h {minutes}m" if days else f"{hours}h {minutes}m"


class StaffDashboardScreen(StaffPage):
    """Big figures, both languages; rebuilt from a DashboardView each time it is shown."""

    def __init__(self, theme: Theme) -> None:
        super().__init__(theme)
        layout = self.reading
        layout.setSpacing(theme.mm(4))
        self.oos = make_label("error", name="dashOutOfService")
        layout.addWidget(self.oos)
        self._grid = QGridLayout()
        self._grid.setHorizontalSpacing(theme.mm(6))
        layout.addLayout(self._grid)
        self.abandoned = make_label(name="dashAbandoned")
        self.sync = make_label(name="dashSync")
        self.disk = make_label(name="dashDisk")
        self.versions = make_label("muted", name="dashVersions")
        for label in (self.abandoned, self.sync, self.disk, self.versions):
            layout.addWidget(label)
        layout.addStretch(1)
        self.cells: dict[tuple[str, str], QLabel] = {}

    def clear(self) -> None:
        clear_layout(self._grid)
        self.cells = {}

    def show_view(self, view: StaffView) -> None:
        dash = view.dashboard
        if dash is None:
            return
        clear_layout(self._grid)
        self.cells = {}
        for column, key in enumerate(("form", "today", "week", "total")):
            header = make_label("muted", wrap=True)
            header.setText(f"{both(f'staff.dash.{key}')}")
            self._grid.addWidget(header, 0, column)
        for row, form in enumerate(dash.forms, start=1):
            title = make_label()
            title.setText(f"{form.title_ko}\n{form.title_en}")
            self._grid.addWidget(title, row, 0)
            for column, (key, value) in enumerate(
                (("today", form.today), ("week", form.week), ("total", form.total)), start=1
            ):
                cell = make_label("title", name=f"dash_{form.form_id}_{key}")
                cell.setText(str(value))
                cell.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self._grid.addWidget(cell, row, column)
                self.cells[(form.form_id, key)] = cell
        self._grid.setColumnStretch(0, 3)
        self.oos.setText(both("staff.dash.out_of_service") if dash.out_of_service else "")
        self.oos.setVisible(dash.out_of_service)
        self.abandoned.setText(
            both(
                "staff.dash.abandoned",
                share=dash.abandoned_share,
                abandoned=dash.abandoned,
                total=dash.total,
            )
        )
        sync = dash.sync
        if sync.configured:
            self.sync.setText(
                both(
                    "staff.dash.sync",
                    queued=sync.queued,
                    quarantined=sync.quarantined,
                    last_success=sync.last_success,
                    last_error=sync.last_error,
                )
                + "".join(
                    f"\n{line}"
                    for line in ((both("staff.dash.sync_reasons"),) if sync.reasons else ())
                    + sync.reasons
                )
            )
        else:
            self.sync.setText(both("staff.dash.sync_off", queued=sync.queued))
        self.disk.setText(
            both(
                "staff.dash.disk",
                free=human_bytes(dash.free_disk_bytes),
                db=human_bytes(dash.database_bytes),
            )
        )
        self.versions.setText(
            both(
                "staff.dash.versions",
                content=dash.content_version,
                app=dash.app_version,
                uptime=_duration(dash.uptime.total_seconds()),
            )
        )
