"""Soak benchmark: N synthetic visitors through the real kiosk under the real event loop (exec()),
with the process's RSS and the live QObject count sampled along the way.

Run: `QT_QPA_PLATFORM=offscreen .venv/bin/python bench/soak.py [--visitors 10000] [--every 250]
[--csv soak.csv] [--pace-ms 5] [--fail-above-goal]`.
Each visitor starts from a zero timer of the running event loop, and after each tap the driver lets
that loop run `--pace-ms` (QTimers fire, deleteLater() frees), as between a real visitor's taps.
The baseline is the kiosk itself after the first `--warmup` visitors (500: caches, fonts and the
database's page cache filled); the goals are growth after it of at most 5 MB and a flat QObject
count. RSS and live QObjects are sampled every `--every` visitors, printed and appended to the CSV
as they are taken (a run cut short still has its figures); at the end the growth and the verdict.
"""

from __future__ import annotations

import argparse
import csv
import os
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))  # the checkout, also when the package is not installed

GOAL_MB = 5.0


def rss_mb() -> float:
    """Resident set size of this process, from /proc (what the lobby PC's RAM pays)."""
    pages = int(Path("/proc/self/statm").read_text().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 2**20


def live_qobjects() -> int:
    """QObjects alive: every top-level widget and the application, with all their children."""
    from PySide6.QtCore import QObject
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance()
    assert app is not None
    total = 1 + len(app.findChildren(QObject))
    for widget in QApplication.topLevelWidgets():
        total += 1 + len(widget.findChildren(QObject))
    return total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--visitors", type=int, default=10_000)
    parser.add_argument("--warmup", type=int, default=500, help="visitors before the baseline")
    parser.add_argument(
        "--samples", type=int, default=20, help="samples after the warm-up (unless --every)"
    )
    parser.add_argument("--every", type=int, help="sample every N visitors after the warm-up")
    parser.add_argument("--csv", type=Path, help="append each sample to this CSV as it is taken")
    parser.add_argument("--pace-ms", type=int, default=5, help="event loop time after each tap")
    parser.add_argument(
        "--real-time-confirm",
        action="store_true",
        help="wait out each one-tap answer's 400 ms confirmation (default: its timer fires at once)",
    )
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--fail-above-goal", action="store_true", help="exit 1 when a goal is missed"
    )
    args = parser.parse_args()
    warmup = min(args.warmup, max(1, args.visitors // 2))

    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from kiosk.app.composition import build_app
    from kiosk.config.settings import load_config
    from kiosk.tooling.simulate import run_visitors
    from kiosk.ui.speech import SilentSpeaker

    with tempfile.TemporaryDirectory() as data_dir:
        kiosk = build_app(load_config().with_data_dir(Path(data_dir)), speaker=SilentSpeaker())
        kiosk.show(windowed=True)
        app = QApplication.instance()
        assert app is not None
        every = args.every or max(1, (args.visitors - warmup) // args.samples)
        samples: list[tuple[int, float, int]] = []
        done = 0
        started = time.perf_counter()
        log = args.csv.open("w", newline="", encoding="utf-8") if args.csv else None
        writer = csv.writer(log) if log else None
        if writer:
            writer.writerow(("visitors", "elapsed_s", "rss_mb", "qobjects"))

        def sample() -> None:
            samples.append((done, rss_mb(), live_qobjects()))
            elapsed = time.perf_counter() - started
            # As it goes, so a run cut short still shows its figures.
            print(f"  sample: {done} visitors, {elapsed:.0f} s, {samples[-1][1]:.1f} MB, "
                  f"{samples[-1][2]} QObjects", file=sys.stderr, flush=True)  # fmt: skip
            if writer and log:
                writer.writerow((done, f"{elapsed:.1f}", f"{samples[-1][1]:.2f}", samples[-1][2]))
                log.flush()

        def next_visitor() -> None:
            nonlocal done
            # Sampled here, after a turn of the event loop: the last visit's deferred deletes ran.
            if done == warmup or (done > warmup and (done - warmup) % every == 0):
                sample()
            if done >= args.visitors:
                if samples[-1][0] != done:
                    sample()
                app.exit(0)  # not quit(): that asks the kiosk window, which refuses to close
                return
            run_visitors(
                kiosk,
                1,
                seed=args.seed * 1_000_003 + done,
                pace_ms=args.pace_ms,
                hurry=not args.real_time_confirm,
            )
            done += 1
            if done % 100 == 0:
                print(
                    f"  ... {done} visitors, {time.perf_counter() - started:.0f} s", file=sys.stderr
                )
            QTimer.singleShot(0, next_visitor)  # back to the event loop between visitors

        QTimer.singleShot(0, next_visitor)
        app.exec()
        elapsed = time.perf_counter() - started
        stored = kiosk.repository.sync_counts()
        kiosk.close()
        if log:
            log.close()

    print(
        f"soak: {done} visitors through exec() in {elapsed:.0f} s ({done / elapsed:.1f}/s, "
        f"{args.pace_ms} ms of event loop after each tap, one-tap confirmations "
        f"{'waited out' if args.real_time_confirm else 'fired at once'})"
    )
    print(f"responses stored: {sum(stored.values())}")
    print("  visitors    RSS MB   QObjects")
    for visitors, rss, objects in samples:
        print(f"  {visitors:8d}  {rss:8.1f}  {objects:9d}")
    (_, base_rss, base_objects) = samples[0]
    (_, end_rss, end_objects) = samples[-1]
    peak_objects = max(s[2] for s in samples)
    growth = end_rss - base_rss
    peak_growth = max(s[1] for s in samples) - base_rss
    print(f"baseline after {warmup} visitors: {base_rss:.1f} MB, {base_objects} QObjects")
    print(
        f"RSS growth after visitor {warmup}: {growth:+.1f} MB at the end, {peak_growth:+.1f} MB "
        f"at the peak (goal <= {GOAL_MB:.0f} MB): {'pass' if growth <= GOAL_MB else 'FAIL'}"
    )
    print(f"ratio RSS end / baseline: {end_rss / base_rss:.3f}x")
    print(
        f"ratio QObjects end / baseline: {end_objects / base_objects:.3f}x "
        f"(peak {peak_objects}; goal: flat)"
    )
    # The live count depends on the screen showing when a sample is taken (824 or 924 in one
    # run): compare the peaks of the two halves of the run, not the peak with the first sample.
    half = max(1, len(samples) // 2)
    early_peak = max(s[2] for s in samples[:half])
    late_peak = max(s[2] for s in samples[half:] or samples[-1:])
    flat = late_peak <= early_peak * 1.02
    print(
        f"QObjects flat (peak of the second half {late_peak} within 2% of the first half's "
        f"{early_peak}): {'pass' if flat else 'FAIL'}"
    )
    print(f"within goals: {'yes' if growth <= GOAL_MB and flat else 'NO'}")
    if args.fail_above_goal and not (growth <= GOAL_MB and flat):
        sys.exit(1)


if __name__ == "__main__":
    main()
