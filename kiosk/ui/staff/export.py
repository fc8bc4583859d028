"""Export to a USB drive: format, drive, forms and dates; progress while the worker writes."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QBoxLayout, QHBoxLayout, QProgressBar, QVBoxLayout, QWidget

from kiosk.core.records import EXPORT_FORMATS as FORMATS
from kiosk.core.units import human_bytes
from kiosk.i18n.texts import both
from kiosk.staff.views import StaffView
from kiosk.ui.staff.widgets import DateRangePicker, StaffPage, ToggleRow
from kiosk.ui.theme import Theme
from kiosk.ui.widgets import make_button, make_label

FORMAT_LABELS = {"csv": "CSV (Excel)", "xlsx": "XLSX (Excel)", "jsonl": "JSON Lines"}


class StaffExportScreen(StaffPage):
    """Emits export_requested(format, drive path, form ids, first day, last day)."""

    export_requested = Signal(str, str, object, object, object)
    refresh_requested = Signal()

    def __init__(self, theme: Theme) -> None:
        super().__init__(theme)
        self.notice = make_label(name="exportNotice")
        self.progress = QProgressBar()
        self.progress.setObjectName("exportProgress")
        self.help = make_label(name="exportHelp")
        self.no_drive = make_label("error", name="noDrive")
        for widget in (self.help, self.no_drive, self.notice, self.progress):
            self.reading.addWidget(widget)
        self.reading.addStretch(1)
        self.format_label = make_label("muted")
        self.formats = ToggleRow(theme, exclusive=True, prefix="format")
        self.drive_label = make_label("muted")
        self.drives = ToggleRow(theme, exclusive=True, prefix="drive", columns=2)
        self.refresh = make_button(name="refreshDrives")
        self.forms_label = make_label("muted")
        self.forms = ToggleRow(theme, exclusive=False, prefix="exportForm", columns=2)
        self.range = DateRangePicker(theme, prefix="exportRange")
        self.start = make_button("primary", name="startExport")
        drive_row = QHBoxLayout()
        drive_row.setSpacing(theme.mm(4))
        drive_row.addWidget(self.drives, 1)
        drive_row.addWidget(self.refresh)
        self.columns = QBoxLayout(QBoxLayout.Direction.TopToBottom)
        self.columns.setSpacing(theme.mm(8))
        left = QVBoxLayout()
        left.setSpacing(theme.mm(3))
        right = QVBoxLayout()
        right.setSpacing(theme.mm(3))
        for item in (self.format_label, self.formats, self.drive_label, drive_row):
            if isinstance(item, QWidget):
                left.addWidget(item)
            else:
                left.addLayout(item)
        for part in (self.forms_label, self.forms, self.range):
            right.addWidget(part)
        left.addStretch(1)
        right.addStretch(1)
        self.columns.addLayout(left, 1)
        self.columns.addLayout(right, 1)
        self.reach.addLayout(self.columns)
        self.reach.addWidget(self.start)
        self.refresh.clicked.connect(self.refresh_requested)
        self.start.clicked.connect(self._start)
        self.formats.toggled.connect(self._explain)

    def _explain(self) -> None:
        chosen = self.formats.checked()
        self.help.setText(both(f"staff.export.help.{chosen[0]}") if chosen else "")

    def orientation_changed(self, landscape: bool) -> None:
        """Side by side in landscape (what and where | which forms and dates), stacked in
        portrait."""
        self.columns.setDirection(
            QBoxLayout.Direction.LeftToRight if landscape else QBoxLayout.Direction.TopToBottom
        )

    def _start(self) -> None:
        formats, drives = self.formats.checked(), self.drives.checked()
        if formats and drives:
            first, last = self.range.value()
            self.export_requested.emit(
                formats[0], drives[0], tuple(self.forms.checked()), first, last
            )

    def clear(self) -> None:
        for row in (self.formats, self.drives, self.forms):
            row.set_items([])
        self.range.set_range(None, None)
        self.notice.setText("")

    def show_view(self, view: StaffView) -> None:
        self.formats.set_items([(f, FORMAT_LABELS[f]) for f in FORMATS])
        self._explain()
        self.format_label.setText(both("staff.export.format"))
        self.drive_label.setText(both("staff.export.drive"))
        self.forms_label.setText(both("staff.export.forms"))
        self.refresh.setText(both("staff.export.refresh"))
        self.start.setText(both("staff.export.start"))
        self.drives.set_items(
            [(str(d.path), f"{d.label}\n{human_bytes(d.free_bytes)}") for d in view.drives]
        )
        self.no_drive.setText(both("staff.export.no_drive"))
        self.no_drive.setVisible(not view.drives)
        self.forms.set_items([(f.id, f"{f.title_ko}\n{f.title_en}") for f in view.forms])
        if view.today is not None:
            self.range.set_today(view.today)
        self.start.setEnabled(bool(view.drives) and not view.exporting)
        done, total = view.export_progress
        self.progress.setVisible(view.exporting or done > 0)
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)
        notice = view.export_notice
        if view.exporting:
            self.notice.setText(both("staff.export.running", done=done, total=total))
            self.notice.setProperty("role", "")
        elif notice is not None:
            self.notice.setText(both(notice.key, **dict(notice.values)))
            self.notice.setProperty("role", "error" if notice.error else "")
        else:
            self.notice.setText("")
        self.notice.style().polish(self.notice)
