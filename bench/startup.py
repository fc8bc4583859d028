"""Startup benchmark: process start to the attract screen painted, against a bare Qt window.

Run: `make bench` (or `QT_QPA_PLATFORM=offscreen .venv/bin/python bench/startup.py [--runs N]`).
Prints the median and spread of both, and their ratio (goal: kiosk / bare <= 4).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))  # the checkout, also when the package is not installed


def child(kind: str, data_dir: str) -> None:
    """Runs in the measured process: print the wall clock when the first frame is painted."""
    from PySide6.QtCore import QEvent, QObject
    from PySide6.QtWidgets import QApplication, QLabel

    class FirstPaint(QObject):
        def report(self) -> None:
            print(time.time(), flush=True)
            os._exit(0)

        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            if event.type() == QEvent.Type.Paint:
                self.report()
            return False

    app = QApplication([sys.argv[0]])
    spy = FirstPaint()
    if kind == "bare":
        window = QLabel("광화문 1번가")
        window.resize(1080, 1920)
        window.installEventFilter(spy)
        window.show()
    else:
        # The same path as `kiosk run`: kiosk.app.launch paints the attract screen, then builds the rest.
        from kiosk.app.launch import launch
        from kiosk.config.settings import load_config

        config = load_config().with_data_dir(Path(data_dir))
        started = launch(app, config, windowed=True, warm_speech=False)  # paints in app.exec()
        if kind == "kiosk-ready":
            started.on_ready.append(lambda _kiosk: spy.report())
        else:
            started.window.attract.installEventFilter(spy)
    app.exec()


def measure(kind: str, data_dir: str) -> float:
    env = {**os.environ, "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen")}
    started = time.time()
    output = subprocess.run(
        [sys.executable, __file__, "--child", kind, "--data-dir", data_dir],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    ).stdout
    return float(output.strip().splitlines()[-1]) - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--child", choices=["bare", "kiosk", "kiosk-ready"])
    parser.add_argument("--data-dir", default="")
    args = parser.parse_args()
    if args.child:
        child(args.child, args.data_dir)
        return
    with tempfile.TemporaryDirectory() as data_dir:
        first_start = measure("kiosk", data_dir)  # creates and migrates the database
        bare: list[float] = []
        kiosk: list[float] = []
        ready: list[float] = []
        for _ in range(args.runs):  # interleaved, so drift in machine load hits all alike
            bare.append(measure("bare", data_dir))
            kiosk.append(measure("kiosk", data_dir))
            ready.append(measure("kiosk-ready", data_dir))
    bare_median, kiosk_median = statistics.median(bare), statistics.median(kiosk)
    print(
        f"runs: {args.runs} each, interleaved; platform {os.environ.get('QT_QPA_PLATFORM', 'offscreen')}"
    )
    print(
        f"bare Qt window     median {bare_median * 1000:7.1f} ms  (min {min(bare) * 1000:.1f}, max {max(bare) * 1000:.1f})"
    )
    print(
        f"kiosk attract      median {kiosk_median * 1000:7.1f} ms  (min {min(kiosk) * 1000:.1f}, max {max(kiosk) * 1000:.1f})"
    )
    print(
        f"kiosk ready        median {statistics.median(ready) * 1000:7.1f} ms  (store open, content loaded: a touch starts a visit)"
    )
    print(f"kiosk first start  {first_start * 1000:7.1f} ms  (creates and migrates the database)")
    print(f"ratio kiosk / bare: {kiosk_median / bare_median:.2f}  (goal <= 4)")


if __name__ == "__main__":
    main()
