"""A card with a QR code of the hub's mobile web form, for answering on one's own phone.

It is read and scanned, never touched, so it may sit above the reach line; it stays hidden while
no `[feedback] phone_form_url` is configured.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout

from kiosk.feedback.phone_form import phone_form_link
from kiosk.i18n.texts import text
from kiosk.ui.qr import QrCodeWidget
from kiosk.ui.theme import PHONE_QR_MM, Space, Theme
from kiosk.ui.widgets import make_label


class PhoneFormCard(QFrame):
    """The QR code beside its caption ("Answer on your phone") in the languages asked for."""

    def __init__(self, theme: Theme) -> None:
        super().__init__()
        self.setObjectName("phoneFormCard")
        self.setProperty("role", "card")
        layout = QHBoxLayout(self)
        pad = theme.mm(Space.S)
        layout.setContentsMargins(pad, pad, pad, pad)
        layout.setSpacing(theme.mm(Space.S))
        self.qr = QrCodeWidget()
        self.qr.setObjectName("phoneFormQr")
        side = theme.mm(PHONE_QR_MM)
        self.qr.setFixedSize(side, side)
        self.caption = make_label(name="phoneFormCaption")
        layout.addWidget(self.qr, 0, Qt.AlignmentFlag.AlignVCenter)
        layout.addWidget(self.caption, 1, Qt.AlignmentFlag.AlignVCenter)
        self._base: str | None = None
        self.hide()

    def set_base(self, base: str | None) -> None:
        """The configured phone_form_url; None hides the card for good."""
        self._base = base
        if base is None:
            self.show_link(None, ())

    def show_link(self, form_id: str | None, languages: tuple[str, ...], lang: str = "") -> None:
        """The form list (no form_id) or one form in `lang`, captioned in `languages`."""
        if self._base is None or not languages:
            self.qr.set_data("")
            self.hide()
            return
        self.qr.set_data(phone_form_link(self._base, form_id, lang or None))
        self.caption.setText("\n".join(text("phone.caption", language) for language in languages))
        self.show()
