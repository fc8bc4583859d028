"""The receipt on the thank-you screen: the code, large, and a QR code of its tracking page."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QVBoxLayout

from kiosk.feedback.receipts import Receipt
from kiosk.i18n.texts import text
from kiosk.ui.qr import QrCodeWidget
from kiosk.ui.theme import Theme
from kiosk.ui.widgets import make_label


class ReceiptPanel(QFrame):
    """Code on the left, QR on the right; hidden when the visit earned no receipt."""

    def __init__(self, theme: Theme) -> None:
        super().__init__()
        self.setProperty("role", "card")
        self.setObjectName("receiptPanel")
        layout = QHBoxLayout(self)
        pad = theme.mm(6)
        layout.setContentsMargins(pad, pad, pad, pad)
        layout.setSpacing(theme.mm(8))
        words = QVBoxLayout()
        self.title = make_label("muted")
        self.code = make_label("hero", wrap=False, name="receiptCode")
        self.code.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
        self.body = make_label("muted")
        words.addWidget(self.title)
        words.addWidget(self.code)
        words.addWidget(self.body)
        words.addStretch(1)
        self.qr = QrCodeWidget()
        # About 90 mm across (5-6 px a module on a 32-inch panel): a phone reads it at arm's length.
        side = theme.mm(90)
        self.qr.setFixedSize(side, side)
        layout.addLayout(words, 1)
        layout.addWidget(self.qr, 0, Qt.AlignmentFlag.AlignVCenter)
        self.hide()

    def show_receipt(self, receipt: Receipt | None, language: str, short: bool = False) -> None:
        """`short`: one short line under the code (easy mode's doubled text on a full screen);
        voice guidance still reads the whole explanation."""
        if receipt is None:
            self.qr.set_data("")
            self.hide()
            return
        self.title.setText(text("receipt.title", language))
        self.code.setText(receipt.shown)
        whole = text("receipt.body", language)
        self.body.setText(text("receipt.body_short", language) if short else whole)
        self.body.setAccessibleName(whole if short else "")
        self.qr.set_data(receipt.url)
        self.show()
