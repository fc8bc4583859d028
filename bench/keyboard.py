"""Keyboard latency benchmark: a tap on an on-screen key to the text box repainted, against a bare
QLineEdit receiving a typed character, measured in the same process.

Run: `QT_QPA_PLATFORM=offscreen .venv/bin/python bench/keyboard.py [--keys N]`.
Prints the median and 99th percentile of both and their ratio; the goal is that a key press is
repainted within one frame (16.7 ms at 60 Hz) so a fast typist never waits for the screen.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))  # the checkout, also when the package is not installed

from _measure import percentile  # noqa: E402  (bench/ is the script's own directory)

FRAME_MS = 1000 / 60
SENTENCE = "해외 여행객 안전 안내를 강화해 주세요. 청년 교류 프로그램도 늘려 주세요. "


def time_to_repaint(press: Callable[[], None], painted: Callable[[], bool]) -> float:
    """Milliseconds from the press to the end of the event-loop pass that repainted the field."""
    from PySide6.QtWidgets import QApplication

    started = time.perf_counter()
    press()
    while not painted():
        QApplication.processEvents()
    return (time.perf_counter() - started) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--keys", type=int, default=300, help="key presses per measurement")
    args = parser.parse_args()

    from PySide6.QtCore import QEvent, QObject, Qt
    from PySide6.QtGui import QKeyEvent
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication, QLineEdit, QWidget

    from kiosk.app.composition import build_app
    from kiosk.config.settings import load_config
    from kiosk.tooling.driver import KioskDriver
    from kiosk.ui.keyboard.layouts import keys_for_text
    from kiosk.ui.speech import SilentSpeaker

    class PaintSpy(QObject):
        """Notes that a widget got a paint event; the pass that delivered it also painted it."""

        def __init__(self, widget: QWidget) -> None:
            super().__init__()
            self.seen = False
            widget.installEventFilter(self)

        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            if event.type() == QEvent.Type.Paint:
                self.seen = True
            return False

        def take(self) -> bool:
            seen, self.seen = self.seen, False
            return seen

    with tempfile.TemporaryDirectory() as data_dir:
        kiosk = build_app(load_config().with_data_dir(Path(data_dir)), speaker=SilentSpeaker())
        kiosk.show(windowed=True)
        driver = KioskDriver(kiosk)
        driver.pick_language("ko")
        driver.open_form("open-opinion")
        driver.give("culture")
        editor = kiosk.window.question.answer.editor  # type: ignore[union-attr]
        driver.tap(editor)
        spy = PaintSpy(editor.viewport())
        keys = keys_for_text(SENTENCE * (1 + args.keys // len(SENTENCE)))[: args.keys]
        on_screen = []
        for key in keys:
            button = driver.keyboard_key(key)  # may tap shift first, outside the timing
            QApplication.processEvents()
            spy.take()
            on_screen.append(
                time_to_repaint(
                    lambda b=button: QTest.mousePress(b, Qt.MouseButton.LeftButton),
                    spy.take,
                )
            )
            QTest.mouseRelease(button, Qt.MouseButton.LeftButton)
        typed = editor.toPlainText() + kiosk.window.keyboard.preedit
        kiosk.close()

    line = QLineEdit()
    line.resize(800, 80)
    line.show()
    line.setFocus()
    QApplication.processEvents()
    line_spy = PaintSpy(line)
    plain = []
    for char in ("abcdefghij " * (1 + args.keys // 11))[: args.keys]:
        line_spy.take()
        event = QKeyEvent(QEvent.Type.KeyPress, Qt.Key.Key_A, Qt.KeyboardModifier.NoModifier, char)
        plain.append(
            time_to_repaint(lambda e=event: QApplication.sendEvent(line, e), line_spy.take)
        )

    assert typed.startswith(SENTENCE.strip()[:10]), f"the keyboard typed {typed[:20]!r}"
    print(f"on-screen keyboard, key tap -> text box repainted ({len(on_screen)} keys):")
    print(
        f"  median {statistics.median(on_screen):6.2f} ms   p99 {percentile(on_screen, 0.99):6.2f} ms"
    )
    print(f"plain QLineEdit, key event -> repainted ({len(plain)} keys):")
    print(f"  median {statistics.median(plain):6.2f} ms   p99 {percentile(plain, 0.99):6.2f} ms")
    ratio = statistics.median(on_screen) / statistics.median(plain)
    p99_ratio = percentile(on_screen, 0.99) / percentile(plain, 0.99)
    print(f"ratio keyboard / plain: median {ratio:.1f}x, p99 {p99_ratio:.1f}x")
    within = percentile(on_screen, 0.99) <= FRAME_MS
    print(f"p99 within one 60 Hz frame ({FRAME_MS:.1f} ms): {'yes' if within else 'NO'}")


if __name__ == "__main__":
    main()
