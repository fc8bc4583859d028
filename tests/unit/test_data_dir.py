"""Which data directory a command may use: a typo never starts a new kiosk, simulations never
touch a real one, and an export never leaves without its audit entry."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from kiosk.cli.main import main
from kiosk.config.settings import BUNDLED_CONFIG, load_config
from kiosk.storage import Repository, open_database
from tests.conftest import REPO
from tests.factories import opinion_draft


def run_main(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    try:
        code = main(list(args))
    except SystemExit as exc:
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


def real_store(data: Path, responses: int = 2) -> None:
    """A kiosk store with visitors' responses (not simulated)."""
    data.mkdir(exist_ok=True)
    database = open_database(data / "kiosk.sqlite3")
    try:
        repository = Repository(database)
        for _ in range(responses):
            repository.save_response(opinion_draft())
    finally:
        database.close()


def fail_inserts(db_path: Path, table: str) -> None:
    """Make every insert into `table` fail as a full disk does (a trigger stands in for the disk:
    filling a real one needs a mount, which CI containers may not allow)."""
    with contextlib.closing(sqlite3.connect(db_path)) as raw:
        raw.execute(
            f"CREATE TRIGGER test_full_disk BEFORE INSERT ON {table} "
            "BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END"
        )
        raw.commit()


@pytest.mark.parametrize("command", ["status", "purge", "set-pin", "export"])
def test_a_mistyped_data_dir_is_named_and_nothing_is_created(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], command: str
) -> None:
    typo = tmp_path / "kisok"
    extra = ["--format", "csv", "--out", str(tmp_path / "out")] if command == "export" else []
    code, _out, err = run_main(capsys, command, "--data-dir", str(typo), *extra)
    assert code == 2
    assert f"{typo}: no such data directory" in err and "--create" in err
    assert not typo.exists() and not (tmp_path / "out").exists()


def test_status_on_a_fresh_clone_says_how_to_create_the_data_directory(tmp_path: Path) -> None:
    # The bundled config names /var/lib/kiosk; a copy pointing at a missing place stands in for a
    # fresh clone on a machine where nothing was installed.
    config = tmp_path / "kiosk.toml"
    text = BUNDLED_CONFIG.read_text(encoding="utf-8")
    config.write_text(text.replace('"/var/lib/kiosk"', f'"{tmp_path / "var"}"'), "utf-8")
    shutil_content = BUNDLED_CONFIG.parent / "content"
    config.write_text(
        config.read_text("utf-8").replace('dir = "content"', f'dir = "{shutil_content}"'), "utf-8"
    )
    result = subprocess.run(
        [sys.executable, "-m", "kiosk", "status", "--config", str(config)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 2
    assert "packaging/install.sh" in result.stderr and "make run" in result.stderr
    assert "--create" in result.stderr and "Traceback" not in result.stderr


def test_create_makes_the_data_directory_but_never_its_parents(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    deep = tmp_path / "missing-parent" / "data"
    code, _out, err = run_main(capsys, "status", "--data-dir", str(deep), "--create")
    assert code == 2 and f"{deep.parent}: no such directory" in err
    assert not deep.parent.exists()
    data = tmp_path / "data"
    code, out, err = run_main(capsys, "status", "--data-dir", str(data), "--create")
    assert code == 0, err
    assert json.loads(out)["database"]["path"] == str(data / "kiosk.sqlite3")
    assert data.stat().st_mode & 0o777 == 0o700
    # The empty directory of a fresh install may start a kiosk without --create.
    fresh = tmp_path / "installed"
    fresh.mkdir()
    assert run_main(capsys, "status", "--data-dir", str(fresh))[0] == 0
    # A directory holding other things is not a kiosk: refused, named.
    other = tmp_path / "photos"
    other.mkdir()
    (other / "a.jpg").write_bytes(b"x")
    code, _out, err = run_main(capsys, "status", "--data-dir", str(other))
    assert code == 2 and f"{other}: holds no kiosk store" in err
    assert not (other / "kiosk.sqlite3").exists()


def test_simulate_refuses_a_directory_with_visitors_responses_or_a_device_token(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    kiosk_dir = tmp_path / "kiosk"
    real_store(kiosk_dir)
    before = (kiosk_dir / "kiosk.sqlite3").read_bytes()
    code, _out, err = run_main(capsys, "simulate", "--visitors", "1", "--data-dir", str(kiosk_dir))
    assert code == 2 and "holds 2 visitor response(s) that simulate did not make" in err
    assert (kiosk_dir / "kiosk.sqlite3").read_bytes() == before
    enrolled = tmp_path / "enrolled"
    (enrolled / "credentials").mkdir(parents=True)
    (enrolled / "credentials" / "keyring.json").write_text("{}", "utf-8")
    code, _out, err = run_main(capsys, "simulate", "--visitors", "1", "--data-dir", str(enrolled))
    assert code == 2 and "holds an enrolled device token" in err
    assert not (enrolled / "kiosk.sqlite3").exists()
    configured = load_config(BUNDLED_CONFIG).data_dir
    code, _out, err = run_main(capsys, "simulate", "--visitors", "1", "--data-dir", str(configured))
    assert code == 2 and "the kiosk's own data directory" in err
    code, _out, err = run_main(
        capsys, "simulate", "--visitors", "1", "--data-dir", str(tmp_path / "typo")
    )
    assert code == 2 and "no such directory; add --create" in err
    assert not (tmp_path / "typo").exists()


@pytest.mark.slow
def test_simulate_without_data_dir_works_in_a_fresh_temporary_directory(tmp_path: Path) -> None:
    config = tmp_path / "kiosk.toml"
    real = tmp_path / "real-kiosk"
    config.write_text(
        BUNDLED_CONFIG.read_text("utf-8")
        .replace('"/var/lib/kiosk"', f'"{real}"')
        .replace('dir = "content"', f'dir = "{BUNDLED_CONFIG.parent / "content"}"'),
        "utf-8",
    )
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "KIOSK_CONFIG": str(config)}
    result = subprocess.run(
        [sys.executable, "-m", "kiosk", "simulate", "--visitors", "6", "--seed", "2"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    used = Path(json.loads(result.stdout)["data_dir"])
    assert f"simulating in {used}" in result.stderr
    assert used.name.startswith("kiosk-simulate-") and not real.exists()
    with contextlib.closing(sqlite3.connect(used / "kiosk.sqlite3")) as raw:
        marks = raw.execute("SELECT simulated, count(*) FROM responses GROUP BY 1").fetchall()
    assert marks and all(mark == 1 for mark, _count in marks)
    # Simulating again into the same directory is allowed: every response there is simulated.
    again = subprocess.run(
        [sys.executable, "-m", "kiosk", "simulate", "--visitors", "2", "--data-dir", str(used)],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert again.returncode == 0, again.stderr
    shutil.rmtree(used)  # simulate leaves its directory for the user to inspect; the test does not


def test_export_whose_audit_entry_fails_leaves_no_files(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "kiosk"
    real_store(data, responses=3)
    fail_inserts(data / "kiosk.sqlite3", "audit_log")
    out = tmp_path / "stick" / "export"
    out.parent.mkdir()
    code, stdout, err = run_main(
        capsys, "export", "--data-dir", str(data), "--format", "csv", "--out", str(out)
    )
    assert code == 2, stdout
    assert "audit entry could not be written" in err and str(out) in err
    assert not out.exists() and list(out.parent.iterdir()) == []


def test_make_run_without_a_display_explains_and_exits_0() -> None:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")
    }
    result = subprocess.run(
        ["make", "-s", "run"], cwd=REPO, env=env, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stderr
    assert "no display" in result.stdout and "cage" in result.stdout
    assert "Error" not in result.stderr
