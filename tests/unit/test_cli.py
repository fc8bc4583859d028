"""The `kiosk` command as the IT person uses it: simulate into a directory, then status."""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from kiosk.app.composition import KioskApp
from kiosk.storage.database import HEAD_REVISION
from kiosk.tooling.simulate import run_visitors
from tests.conftest import REPO


def kiosk_command(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    return subprocess.run(
        [sys.executable, "-m", "kiosk", *args],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.mark.slow
def test_simulated_visitors_produce_the_rows_they_report(kiosk: KioskApp) -> None:
    report = run_visitors(kiosk, 40, seed=7, walk_away_share=0.3)
    stored = list(kiosk.repository.iter_responses())
    by_status: dict[str, int] = {}
    for response in stored:
        by_status[response.status] = by_status.get(response.status, 0) + 1
    assert report.visitors == 40 and report.walked_away > 0
    assert by_status == dict(report.responses)
    assert by_status["abandoned"] > 0
    assert kiosk.repository.visit_counts() == dict(report.outcomes)
    assert sum(report.outcomes.values()) == 40
    languages = {r.language for r in stored}
    assert languages == {"ko", "en"}
    texts = [
        a.value for r in stored for a in r.answers if isinstance(a.value, str) and len(a.value) > 20
    ]
    assert any("외교" in t or "청년" in t for t in texts) and any("the" in t for t in texts)


@pytest.mark.slow
def test_simulate_then_status_from_the_command_line(tmp_path: Path) -> None:
    data = tmp_path / "kiosk-a"
    simulated = kiosk_command(
        "simulate", "--visitors", "12", "--seed", "3", "--data-dir", str(data), "--create"
    )
    assert simulated.returncode == 0, simulated.stderr
    report = json.loads(simulated.stdout)
    assert report["visitors"] == 12
    status_run = kiosk_command("status", "--data-dir", str(data))
    assert status_run.returncode == 0, status_run.stderr
    status = json.loads(status_run.stdout)
    assert status["responses"]["by_status"] == report["responses_by_status"]
    assert status["responses"]["total"] == report["responses"]
    assert status["visits"] == {"total": 12, "by_outcome": report["visits_by_outcome"]}
    assert status["database"]["path"] == str(data / "kiosk.sqlite3")
    assert status["database"]["schema_revision"] == HEAD_REVISION
    assert status["content"]["valid"] is True
    with contextlib.closing(sqlite3.connect(data / "kiosk.sqlite3")) as raw:
        assert raw.execute("select count(*) from responses").fetchone()[0] == report["responses"]


def test_status_on_an_unwritable_data_dir_is_one_clear_line(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    result = kiosk_command("status", "--data-dir", str(blocker / "sub"))
    assert result.returncode == 2
    assert result.stderr.startswith("kiosk: ") and str(blocker / "sub") in result.stderr
    assert "Traceback" not in result.stderr
