"""`kiosk set-pin`, `kiosk export` and the staff facts of `kiosk status`, as the IT person runs them."""

from __future__ import annotations

import contextlib
import csv
import hashlib
import io
import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

from kiosk.app.composition import KioskApp
from kiosk.cli.main import main
from kiosk.tooling.simulate import run_visitors
from tests.conftest import REPO


def kiosk_command(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    return subprocess.run(
        [sys.executable, "-m", "kiosk", *args],
        cwd=REPO,
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=300,
    )


def run_main(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """The same `main` in this process (a subprocess costs seconds per call)."""
    try:
        code = main(list(args))
    except SystemExit as exc:  # argparse refusing the arguments
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.slow
def test_set_pin_reads_standard_input_and_stores_only_a_salted_hash(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    data = tmp_path / "data"
    code, _out, err = run_main(capsys, "set-pin", "135790", "--data-dir", str(data))
    assert code == 2 and "unrecognized arguments: 135790" in err
    monkeypatch.setattr(sys, "stdin", io.StringIO("12ab\n"))
    code, _out, err = run_main(capsys, "set-pin", "--data-dir", str(data), "--create")
    assert code == 2 and "digits only" in err
    monkeypatch.setattr(sys, "stdin", io.StringIO("4829\n"))
    code, _out, err = run_main(capsys, "set-pin", "--data-dir", str(data))
    assert code == 2 and "6 to 12 digits, not 4" in err
    assert not (data / "kiosk.sqlite3").exists()
    # Through a real pipe, as `echo PIN | kiosk set-pin` does.
    done = kiosk_command("set-pin", "--data-dir", str(data), "--create", stdin="135790\n")
    assert done.returncode == 0, done.stderr
    assert "135790" not in done.stdout + done.stderr
    with contextlib.closing(sqlite3.connect(data / "kiosk.sqlite3")) as raw:
        stored = dict(raw.execute("select key, value from meta").fetchall())
        audit = raw.execute("select actor, action from audit_log").fetchall()
    scheme, _n, _r, _p, salt, digest = stored["staff.pin_hash"].split("$")
    assert scheme == "scrypt" and len(salt) == 32 and len(digest) == 64
    assert "135790" not in json.dumps(stored)
    assert audit == [("cli", "pin.changed")]
    code, out, _err = run_main(capsys, "status", "--data-dir", str(data))
    status = json.loads(out)
    assert status["staff"] == {
        "pin_set": True,
        "locked_until": None,
        "out_of_service": False,
        "content_in_use": status["content"]["directory"],
    }


@pytest.mark.slow
def test_export_command_writes_each_format_with_a_matching_manifest(
    kiosk: KioskApp, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run_visitors(kiosk, 20, seed=11, walk_away_share=0.2)
    stored = list(kiosk.repository.iter_responses())
    korean = {
        a.value
        for r in stored
        for a in r.answers
        if isinstance(a.value, str) and any("\uac00" <= c <= "\ud7a3" for c in a.value)
    }
    assert korean
    data = str(kiosk.config.data_dir)
    for fmt in ("csv", "xlsx", "jsonl"):
        out = tmp_path / f"usb-{fmt}"
        code, stdout, err = run_main(
            capsys, "export", "--format", fmt, "--out", str(out), "--data-dir", data
        )
        assert code == 0, err
        assert json.loads(stdout)["responses"] == len(stored)
        manifest = json.loads((out / "manifest.json").read_text("utf-8"))
        assert manifest["responses"] == len(stored)
        for entry in manifest["files"]:
            body = (out / entry["name"]).read_bytes()
            assert hashlib.sha256(body).hexdigest() == entry["sha256"]
        texts: set[str] = set()
        rows = 0
        if fmt == "csv":
            for path in out.glob("responses-*.csv"):
                table = list(csv.reader(io.StringIO(path.read_bytes().decode("utf-8-sig"))))
                rows += len(table) - 2  # the question text, then the ids
                texts.update(cell for row in table for cell in row)
        elif fmt == "xlsx":
            book = openpyxl.load_workbook(out / "responses.xlsx", read_only=True)
            for name in book.sheetnames:
                if name not in ("questions", "audit-log"):
                    table = list(book[name].iter_rows(values_only=True))
                    rows += len(table) - 1
                    texts.update(v for row in table for v in row if isinstance(v, str))
            book.close()
        else:
            for line in (out / "responses.jsonl").read_text("utf-8").splitlines():
                rows += 1
                record = json.loads(line)
                texts.update(a["value"] for a in record["answers"] if isinstance(a["value"], str))
        assert rows == len(stored)
        assert korean <= texts
    only = kiosk_command(  # one real process: the installed command end to end
        "export", "--format", "jsonl", "--out", str(tmp_path / "one"), "--form", "open-opinion",
        "--from", "2026-11-27", "--to", "2026-11-27", "--data-dir", data,
    )  # fmt: skip
    assert only.returncode == 0, only.stderr
    opinions = [r for r in stored if r.form_id == "open-opinion"]
    assert json.loads(only.stdout)["responses"] == len(opinions)
    code, _out, err = run_main(
        capsys, "export", "--format", "csv", "--out", str(tmp_path / "x"), "--from", "2026-11-30",
        "--to", "2026-11-01", "--data-dir", data,
    )  # fmt: skip
    assert code == 2 and "is after --to" in err
    assert not (tmp_path / "x").exists()
