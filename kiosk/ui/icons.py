"""The kiosk's SVG icons (kiosk/assets/icons), drawn with QtSvg in the theme's colours and sizes."""

from __future__ import annotations

from functools import cache, lru_cache

from PySide6.QtCore import QByteArray, QRectF, Qt
from PySide6.QtGui import QIcon, QPainter, QPixmap
from PySide6.QtSvg import QSvgRenderer

from kiosk.ui.theme import assets_dir

# The picture of each form kind: the home screen's tiles, and the question beside its form's.
FORM_ICONS = {"survey": "survey", "opinion": "opinion", "proposal_call": "proposal_call"}

# The colour the icons are drawn in; replaced by the colour asked for.
INK = "#000000"


def icon_names() -> list[str]:
    return sorted(path.stem for path in (assets_dir() / "icons").glob("*.svg"))


@cache
def _svg(name: str) -> str:
    path = assets_dir() / "icons" / f"{name}.svg"
    if not path.is_file():
        raise FileNotFoundError(f"no icon {name!r}: expected {path}")
    return path.read_text(encoding="utf-8")


@lru_cache(maxsize=256)
def icon_pixmap(name: str, colour: str, size_px: int) -> QPixmap:
    """The icon drawn at `size_px` (device pixels) in `colour`."""
    renderer = QSvgRenderer(QByteArray(_svg(name).replace(INK, colour).encode("utf-8")))
    pixmap = QPixmap(size_px, size_px)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter, QRectF(0, 0, size_px, size_px))
    painter.end()
    return pixmap


def themed_icon(name: str, colour: str, size_px: int, checked_colour: str = "") -> QIcon:
    """A QIcon of the named drawing; a checkable button shows a check mark when checked."""
    icon = QIcon(icon_pixmap(name, colour, size_px))
    if checked_colour:
        check = icon_pixmap("check", checked_colour, size_px)
        icon.addPixmap(check, QIcon.Mode.Normal, QIcon.State.On)
    return icon
