"""`kiosk doctor`: plain words, JSON for fleet tools, exit 0 only when every check holds."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kiosk.cli import doctor
from kiosk.cli.main import main
from tests.unit.test_data_dir import real_store


# The speech probe's module loads Qt's multimedia, which notes the missing PipeWire library.
@pytest.mark.qt_log_ignore("pipewire")
def test_doctor_reports_every_check_and_a_damaged_store(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    good = tmp_path / "good"
    real_store(good)
    assert main(["doctor", "--json", "--data-dir", str(good)]) in (0, 1)
    report = json.loads(capsys.readouterr().out)
    names = [c["check"] for c in report["checks"]]
    assert names == ["display", "korean_font", "speech", "keyring", "clock", "disk", "database",
                     "content", "backend", "usb"]  # fmt: skip
    found = {c["check"]: c for c in report["checks"]}
    assert found["database"]["ok"] and "integrity check passed" in found["database"]["detail"]
    assert found["content"]["ok"]
    assert not found["backend"]["ok"] and "sync is off" in found["backend"]["detail"]
    assert report["ok"] is False
    # Damage the store in the middle (the audit's case: random bytes over pages).
    damaged = tmp_path / "damaged"
    real_store(damaged, responses=200)
    db = damaged / "kiosk.sqlite3"
    raw = bytearray(db.read_bytes())
    middle = len(raw) // 2 - (len(raw) // 2) % 4096
    raw[middle : middle + 8192] = bytes((i * 37 + 11) % 256 for i in range(8192))
    db.write_bytes(bytes(raw))
    code = main(["doctor", "--data-dir", str(damaged)])
    out = capsys.readouterr().out
    assert code == 1
    line = next(line for line in out.splitlines() if " database " in line)
    assert line.startswith("FAIL") and ("DAMAGED" in line or "cannot be read" in line)
    assert "check(s) need attention" in out


def test_doctor_exits_0_only_when_every_check_holds(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # The real checks cannot all hold on a test machine (no display, no synchronised clock):
    # the exit rule is checked over stand-in checks.
    holds = lambda _config: doctor.Finding("one", True, "fine")  # noqa: E731
    fails = lambda _config: doctor.Finding("two", False, "broken")  # noqa: E731
    monkeypatch.setattr(doctor, "CHECKS", (holds, holds))
    assert main(["doctor", "--data-dir", str(tmp_path)]) == 0
    assert "All checks hold." in capsys.readouterr().out
    monkeypatch.setattr(doctor, "CHECKS", (holds, fails))
    assert main(["doctor", "--data-dir", str(tmp_path)]) == 1
    monkeypatch.setattr(doctor, "CHECKS", (lambda _c: 1 / 0,))
    assert main(["doctor", "--json", "--data-dir", str(tmp_path)]) == 1
    assert "the check itself failed" in capsys.readouterr().out
