"""`kiosk doctor`: is this PC ready to be a lobby kiosk? Each check says what it found in plain
words; the command exits 0 only when every check holds, and prints JSON with --json."""

from __future__ import annotations

import argparse
import ctypes
import ctypes.util
import json
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from contextlib import closing
from dataclasses import asdict, dataclass

from kiosk.config.settings import KioskConfig

MIN_FREE_BYTES = 500 * 1024 * 1024
MIN_FREE_SHARE = 0.05
PROBE_TIMEOUT_S = 15.0


@dataclass(frozen=True)
class Finding:
    """One check: its name, whether it holds, and what was found, for a person."""

    check: str
    ok: bool
    detail: str


def check_display(config: KioskConfig) -> Finding:
    from kiosk.cli.main import _has_display

    want = (config.display.width_px, config.display.height_px)
    if not _has_display():
        return Finding("display", False, "no display here (run doctor inside the kiosk session)")
    code = (
        "import sys; from PySide6.QtGui import QGuiApplication; app = QGuiApplication([]); "
        "s = app.primaryScreen(); r = s.devicePixelRatio(); g = s.geometry(); "
        "print(round(g.width() * r), round(g.height() * r))"
    )
    try:
        found = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, timeout=30
        )
        width, height = (int(part) for part in found.stdout.split())
    except (subprocess.TimeoutExpired, ValueError, OSError):
        return Finding("display", False, "could not read the screen size from Qt")
    if (width, height) == want:
        return Finding("display", True, f"{width}x{height} px, as configured")
    if (height, width) == want:
        return Finding(
            "display", False, f"{width}x{height} px: the panel is turned (config says {want[0]}x"
            f"{want[1]}); rotate the output or fix [display]"
        )  # fmt: skip
    return Finding(
        "display", False, f"{width}x{height} px, but [display] says {want[0]}x{want[1]} px"
    )


def check_korean_font(_config: KioskConfig) -> Finding:
    try:
        found = subprocess.run(
            ["fc-list", ":lang=ko", "family"], capture_output=True, text=True, timeout=30
        )
    except (OSError, subprocess.TimeoutExpired):
        return Finding("korean_font", False, "fc-list is missing (install fontconfig)")
    families = sorted({line.split(",")[0] for line in found.stdout.splitlines() if line})
    if not families:
        return Finding(
            "korean_font", False, "no Korean font installed (apt-get install fonts-nanum)"
        )
    return Finding("korean_font", True, f"{len(families)} Korean font(s), e.g. {families[0]}")


def check_speech(config: KioskConfig) -> Finding:
    """The same child-process probe the kiosk runs before it makes its speech engine."""
    from kiosk.ui.speech import PROBE

    engine = config.accessibility.speech_engine
    try:
        probe = subprocess.run(
            [sys.executable, "-c", PROBE, engine], capture_output=True, timeout=PROBE_TIMEOUT_S
        )
    except subprocess.TimeoutExpired:
        return Finding(
            "speech", False, f"speech engine {engine!r} gave no answer in {PROBE_TIMEOUT_S:.0f} s "
            "(is speech-dispatcher running, is there a sound device?)"
        )  # fmt: skip
    if probe.returncode != 0:
        return Finding("speech", False, f"speech engine {engine!r} did not start")
    return Finding("speech", True, f"speech engine {engine!r} answers")


def check_keyring(config: KioskConfig) -> Finding:
    try:
        from kiosk.sync.setup import configured_keyring

        configured_keyring(config)
    except Exception as exc:  # any backend failure is the finding itself
        return Finding("keyring", False, f"the {config.sync.keyring} keyring cannot open: {exc}")
    path = config.keyring_path
    if config.sync.keyring == "file" and path.exists():
        mode = path.stat().st_mode & 0o777
        if mode & 0o077:
            return Finding("keyring", False, f"{path} is mode {mode:o}; it must be 600")
    return Finding("keyring", True, f"{config.sync.keyring} keyring opens ({path})")


def _adjtimex_synchronised() -> bool | None:
    libc_name = ctypes.util.find_library("c")
    if libc_name is None:
        return None
    buffer = ctypes.create_string_buffer(512)  # struct timex, modes = 0: read only
    state = int(ctypes.CDLL(libc_name, use_errno=True).adjtimex(buffer))
    return None if state < 0 else state != 5  # TIME_ERROR: the clock is not synchronised


def check_clock(_config: KioskConfig) -> Finding:
    try:
        answer = subprocess.run(
            ["timedatectl", "show", "-p", "NTPSynchronized", "--value"],
            capture_output=True, text=True, timeout=10,
        )  # fmt: skip
        if answer.returncode == 0 and answer.stdout.strip() in ("yes", "no"):
            ok = answer.stdout.strip() == "yes"
            return Finding(
                "clock", ok, "synchronised (timedatectl)" if ok else "NOT synchronised: "
                "timestamps may be wrong (enable systemd-timesyncd or chrony)"
            )  # fmt: skip
    except (OSError, subprocess.TimeoutExpired):
        pass
    synced = _adjtimex_synchronised()
    if synced is None:
        return Finding("clock", False, "cannot tell whether the clock is synchronised")
    return Finding(
        "clock", synced, "synchronised (kernel)" if synced else "NOT synchronised (kernel)"
    )


def check_disk(config: KioskConfig) -> Finding:
    place = config.data_dir if config.data_dir.exists() else config.data_dir.parent
    try:
        usage = shutil.disk_usage(place)
    except OSError as exc:
        return Finding("disk", False, f"{place}: cannot read free space ({exc.strerror})")
    free_mb = usage.free // (1024 * 1024)
    ok = usage.free >= MIN_FREE_BYTES and usage.free >= MIN_FREE_SHARE * usage.total
    return Finding(
        "disk", ok, f"{free_mb} MB free at {place}" + ("" if ok else " (too little: free space)")
    )


def check_database(config: KioskConfig) -> Finding:
    path = config.db_path
    if not path.exists():
        return Finding(
            "database", False, f"{path}: no store yet (the kiosk's first start makes it)"
        )
    try:
        with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=10)) as raw:
            rows = [row[0] for row in raw.execute("PRAGMA quick_check")]
    except sqlite3.Error as exc:
        return Finding("database", False, f"{path}: cannot be read ({exc})")
    if rows == ["ok"]:
        return Finding("database", True, f"{path}: integrity check passed")
    return Finding("database", False, f"{path}: DAMAGED: {'; '.join(rows[:3])}")


def check_content(config: KioskConfig) -> Finding:
    from kiosk.content import validate_paths
    from kiosk.content.install import active_content_dir

    directory = active_content_dir(config)
    forms, problems = validate_paths([directory], config.visit.languages)
    if problems:
        return Finding("content", False, f"{len(problems)} problem(s), first: {problems[0]}")
    if not forms:
        return Finding("content", False, f"{directory}: no forms")
    return Finding("content", True, f"{len(forms)} valid form(s) in {directory}")


def check_backend(config: KioskConfig) -> Finding:
    if not config.db_path.exists():
        return Finding("backend", False, "no store yet, so no enrolment to check")
    from kiosk.storage import open_database
    from kiosk.sync.client import Blocked, RetryLater
    from kiosk.sync.setup import build_engine, plan_sync

    database = open_database(config.db_path, config.storage.backups_kept)
    try:
        plan = plan_sync(config, database)
        if not plan.enabled:
            return Finding("backend", False, plan.off_reason or "sync is off")
        engine = build_engine(config, database, plan)
        try:
            outcome = engine.client.get_content(None)
        finally:
            engine.close()
    finally:
        database.close()
    if isinstance(outcome, Blocked):
        return Finding("backend", False, f"{plan.backend_url} refuses this kiosk: {outcome.reason}")
    if isinstance(outcome, RetryLater):
        return Finding("backend", False, f"{plan.backend_url} not reachable: {outcome.reason}")
    return Finding("backend", True, f"{plan.backend_url} reachable, device token accepted")


def check_usb(config: KioskConfig) -> Finding:
    from kiosk.staff.drives import mounting_tool

    tool = mounting_tool()
    if tool is None:
        return Finding(
            "usb", False, "udisksctl is missing: USB sticks cannot be mounted without a desktop "
            "(apt-get install udisks2)"
        )  # fmt: skip
    try:
        answer = subprocess.run([tool, "status"], capture_output=True, text=True, timeout=15)
    except (OSError, subprocess.TimeoutExpired):
        answer = None
    if answer is None or answer.returncode != 0:
        return Finding("usb", False, "udisks2 does not answer on D-Bus (is udisksd running?)")
    roots = ", ".join(str(root) for root in config.export_roots)
    return Finding("usb", True, f"udisks2 answers; sticks are looked for under {roots}")


CHECKS: tuple[Callable[[KioskConfig], Finding], ...] = (
    check_display,
    check_korean_font,
    check_speech,
    check_keyring,
    check_clock,
    check_disk,
    check_database,
    check_content,
    check_backend,
    check_usb,
)


def run_checks(config: KioskConfig) -> list[Finding]:
    findings = []
    for check in CHECKS:
        name = check.__name__.removeprefix("check_")
        try:
            findings.append(check(config))
        except Exception as exc:  # a check that breaks is a failed check, never a traceback
            findings.append(Finding(name, False, f"the check itself failed: {exc}"))
    return findings


def cmd_doctor(args: argparse.Namespace, config: KioskConfig) -> int:
    findings = run_checks(config)
    healthy = all(f.ok for f in findings)
    if args.json:
        print(json.dumps({"ok": healthy, "checks": [asdict(f) for f in findings]}, indent=2,
                         ensure_ascii=False))  # fmt: skip
    else:
        for finding in findings:
            print(f"{'OK  ' if finding.ok else 'FAIL'} {finding.check:<12} {finding.detail}")
        failed = sum(not f.ok for f in findings)
        print("All checks hold." if healthy else f"{failed} check(s) need attention.")
    return 0 if healthy else 1
