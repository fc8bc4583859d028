"""The audit log as staff read it: newest first, time in Korea, who, what and the details."""

from __future__ import annotations

import json

from PySide6.QtWidgets import QListWidget, QVBoxLayout, QWidget

from kiosk.core.records import KST
from kiosk.i18n.texts import both
from kiosk.staff.views import StaffView
from kiosk.ui.theme import Theme
from kiosk.ui.widgets import make_label


class StaffAuditScreen(QWidget):
    """A read-only list; nothing on it can be changed from the kiosk."""

    def __init__(self, theme: Theme) -> None:
        super().__init__()
        layout = QVBoxLayout(self)
        layout.setSpacing(theme.mm(3))
        self.empty = make_label("muted")
        self.entries = QListWidget()
        self.entries.setObjectName("auditList")
        self.entries.setWordWrap(True)
        layout.addWidget(self.empty)
        layout.addWidget(self.entries, 1)

    def show_view(self, view: StaffView) -> None:
        self.entries.clear()
        self.empty.setText(both("staff.audit.empty"))
        self.empty.setVisible(not view.audit)
        for entry in view.audit:
            stamp = entry.at.astimezone(KST).strftime("%Y-%m-%d %H:%M:%S")
            detail = json.dumps(entry.detail, ensure_ascii=False, sort_keys=True)
            suffix = "" if detail == "{}" else f"  {detail}"
            self.entries.addItem(f"{stamp}  {entry.actor}  {entry.action}{suffix}")

    def clear(self) -> None:
        self.entries.clear()

    def lines(self) -> list[str]:
        return [self.entries.item(i).text() for i in range(self.entries.count())]
