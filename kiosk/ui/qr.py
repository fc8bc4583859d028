"""A QR code drawn from `qrcode`'s module matrix with QPainter: whole-pixel modules, quiet zone."""

from __future__ import annotations

from functools import lru_cache

from PySide6.QtCore import QRect, QSize, Qt
from PySide6.QtGui import QColor, QImage, QPainter, QPaintEvent
from PySide6.QtWidgets import QSizePolicy, QWidget

QUIET_ZONE = 4  # modules of white around the code, as ISO/IEC 18004 asks

Matrix = tuple[tuple[bool, ...], ...]


@lru_cache(maxsize=64)
def qr_matrix(data: str) -> Matrix:
    """The code's modules (True = dark), without the quiet zone; medium error correction.

    Cached: making a code (fitting the version, trying all eight masks) takes 10-15 ms, and the
    phone-form codes of the question screens are the same few links at every visit.
    """
    import qrcode  # here: the attract screen paints before any code is drawn

    code = qrcode.QRCode(border=0, error_correction=qrcode.constants.ERROR_CORRECT_M)
    code.add_data(data)
    code.make(fit=True)
    return tuple(tuple(row) for row in code.get_matrix())


def module_px(matrix_size: int, side_px: int) -> int:
    """The largest whole number of pixels per module that fits the code and its quiet zone."""
    return max(side_px // (matrix_size + 2 * QUIET_ZONE), 1)


def paint_qr(painter: QPainter, matrix: Matrix, area: QRect) -> QRect:
    """Paint white background, quiet zone and modules centred in `area`; returns the code's box.

    Modules are whole pixels (no scaling, no antialiasing), so edges stay sharp for a camera.
    """
    size = len(matrix)
    unit = module_px(size, min(area.width(), area.height()))
    side = (size + 2 * QUIET_ZONE) * unit
    left = area.x() + (area.width() - side) // 2
    top = area.y() + (area.height() - side) // 2
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
    painter.fillRect(QRect(left, top, side, side), QColor("white"))
    dark = QColor("black")
    origin_x, origin_y = left + QUIET_ZONE * unit, top + QUIET_ZONE * unit
    for row, cells in enumerate(matrix):
        for column, is_dark in enumerate(cells):
            if is_dark:
                painter.fillRect(origin_x + column * unit, origin_y + row * unit, unit, unit, dark)
    return QRect(left, top, side, side)


class QrCodeWidget(QWidget):
    """Shows one QR code as large as its square allows."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._data = ""
        self._matrix: Matrix = ()
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent, False)

    @property
    def data(self) -> str:
        return self._data

    def set_data(self, data: str) -> None:
        if data != self._data:
            self._data = data
            self._matrix = qr_matrix(data) if data else ()
            self.update()

    def sizeHint(self) -> QSize:
        return QSize(300, 300)

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        return width

    def paintEvent(self, event: QPaintEvent) -> None:
        if not self._matrix:
            return
        painter = QPainter(self)
        try:
            paint_qr(painter, self._matrix, self.rect())
        finally:
            painter.end()

    def render_image(self, side_px: int) -> QImage:
        """The code alone as an image of `side_px` square (tests decode it; print could use it)."""
        image = QImage(side_px, side_px, QImage.Format.Format_RGB32)
        image.fill(QColor("white"))
        painter = QPainter(image)
        try:
            paint_qr(painter, self._matrix, image.rect())
        finally:
            painter.end()
        return image
