"""The polite notice visitors see while staff have the kiosk out of service."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QVBoxLayout, QWidget

from kiosk.i18n.texts import text
from kiosk.ui.theme import Theme
from kiosk.ui.widgets import make_label
from kiosk.visit.flow import SessionView


class OutOfServiceScreen(QWidget):
    """Korean and English together; no button, nothing to start."""

    def __init__(self, theme: Theme, languages: tuple[str, ...] = ("ko", "en")) -> None:
        super().__init__()
        layout = QVBoxLayout(self)
        margin = theme.margin_px
        layout.setContentsMargins(margin, margin * 2, margin, margin * 2)
        layout.addStretch(1)
        self.labels = []
        for language in ("ko", "en"):
            for key, role in (("oos.title", "hero"), ("oos.body", "")):
                label = make_label(role, name=f"oos_{key.split('.')[1]}_{language}")
                label.setAlignment(Qt.AlignmentFlag.AlignCenter)
                label.setText(text(key, language))
                layout.addWidget(label)
                self.labels.append(label)
            layout.addStretch(1)

    def show_view(self, view: SessionView) -> None:
        """The notice does not depend on the visit."""
