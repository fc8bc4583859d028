"""`kiosk config migrate`: a config written before [maintenance] was renamed [staff] is updated in
place, comments kept, the old file kept as a 0600 .bak; again it changes nothing; loading an old
config says what to run."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from kiosk.cli.main import main
from kiosk.config.migrate import RENAMED_SECTIONS, migrate_file
from kiosk.config.settings import BUNDLED_CONFIG, load_config
from kiosk.core.errors import ConfigError

CURRENT = BUNDLED_CONFIG.read_text(encoding="utf-8")
# The bundled config as a kiosk before the rename had it, with a staff setting changed and a comment.
OLD = CURRENT.replace("[staff]", "[maintenance]  # the hidden staff screen", 1).replace(
    "hold_s = 3.0", "hold_s = 4.5", 1
)


def old_config(tmp_path: Path, text: str = OLD) -> Path:
    path = tmp_path / "kiosk.toml"
    path.write_text(text, encoding="utf-8")
    path.chmod(0o644)
    return path


def test_the_rename_table_has_the_staff_section() -> None:
    assert "[staff]" in CURRENT and "[maintenance]" in OLD
    assert RENAMED_SECTIONS["maintenance"] == "staff"


def test_loading_an_old_config_fails_with_a_hint_at_config_migrate(tmp_path: Path) -> None:
    path = old_config(tmp_path)
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    message = str(caught.value)
    assert f"{path}: maintenance: unknown key" in message
    assert "[maintenance] is now [staff]" in message
    assert f"kiosk config migrate {path}" in message


def test_an_unrelated_error_gives_no_migration_hint(tmp_path: Path) -> None:
    path = old_config(tmp_path, CURRENT.replace("[staff]", "[staff]\nnope = 1", 1))
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert "staff.nope: unknown key" in str(caught.value)
    assert "migrate" not in str(caught.value)


def test_migrate_renames_the_section_keeps_values_comments_and_a_private_backup(
    tmp_path: Path,
) -> None:
    path = old_config(tmp_path)
    migration = migrate_file(path)
    assert migration.renamed == (("maintenance", "staff"),)
    assert migration.backup == tmp_path / "kiosk.toml.bak"
    assert migration.backup.read_text(encoding="utf-8") == OLD
    assert stat.S_IMODE(migration.backup.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.stat().st_mode) == 0o644  # the config keeps its own mode
    text = path.read_text(encoding="utf-8")
    assert "[staff]  # the hidden staff screen" in text and "maintenance" not in text
    assert text == OLD.replace("[maintenance]", "[staff]", 1)
    assert load_config(path).staff.hold_s == 4.5
    assert "[maintenance] -> [staff]" in migration.message
    assert "kiosk.toml.bak" in migration.message


def test_migrate_again_changes_nothing_and_keeps_no_second_backup(tmp_path: Path) -> None:
    path = old_config(tmp_path)
    migrate_file(path)
    migrated = path.read_bytes()
    again = migrate_file(path)
    assert again.renamed == () and again.backup is None
    assert "nothing to migrate" in again.message
    assert path.read_bytes() == migrated
    assert sorted(p.name for p in tmp_path.iterdir()) == ["kiosk.toml", "kiosk.toml.bak"]


def test_an_earlier_backup_is_never_overwritten(tmp_path: Path) -> None:
    path = old_config(tmp_path)
    (tmp_path / "kiosk.toml.bak").write_text("earlier", encoding="utf-8")
    assert migrate_file(path).backup == tmp_path / "kiosk.toml.bak.2"
    assert (tmp_path / "kiosk.toml.bak").read_text(encoding="utf-8") == "earlier"


def test_dotted_keys_and_sub_tables_at_the_top_level_are_renamed_too(tmp_path: Path) -> None:
    body = CURRENT.replace("[staff]\n", "[staff_old_placeholder]\n", 1)
    start = body.index("[staff_old_placeholder]")
    end = body.index("\n[", start + 1)
    staff_keys = body[start:end].splitlines()[1:]
    dotted = "\n".join(
        f"maintenance.{line}" for line in staff_keys if line and not line.startswith("#")
    )
    path = old_config(tmp_path, dotted + "\n" + body[:start] + body[end + 1 :])
    migrate_file(path)
    assert load_config(path).staff == load_config(BUNDLED_CONFIG).staff
    assert "staff.gesture" in path.read_text(encoding="utf-8")


def test_both_old_and_new_sections_is_an_error_and_nothing_is_written(tmp_path: Path) -> None:
    path = old_config(tmp_path, OLD + "\n[staff]\nhold_s = 3.0\n")
    before = path.read_bytes()
    with pytest.raises(ConfigError, match=r"both \[maintenance\] and \[staff\].*by hand"):
        migrate_file(path)
    assert path.read_bytes() == before
    assert not (tmp_path / "kiosk.toml.bak").exists()


def test_a_result_that_would_still_be_invalid_is_not_written(tmp_path: Path) -> None:
    path = old_config(tmp_path, OLD.replace("hold_s = 4.5", "hold_s = 99", 1))
    before = path.read_bytes()
    with pytest.raises(ConfigError) as caught:
        migrate_file(path)
    assert "staff.hold_s" in str(caught.value) and "not migrated" in str(caught.value)
    assert path.read_bytes() == before
    assert not (tmp_path / "kiosk.toml.bak").exists()


def test_the_command_migrates_and_says_what_it_did(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = old_config(tmp_path)
    assert main(["config", "migrate", str(path)]) == 0
    assert "renamed [maintenance] -> [staff]" in capsys.readouterr().out
    assert main(["config", "migrate", str(path)]) == 0
    assert "up to date" in capsys.readouterr().out
    assert main(["config", "migrate", str(tmp_path / "missing.toml")]) == 2
    assert "missing.toml: config file not found" in capsys.readouterr().err


def test_install_sh_migrates_the_config_before_switching_to_the_new_program() -> None:
    script = (Path(__file__).resolve().parents[2] / "packaging" / "install.sh").read_text()
    migrate = script.index('-m kiosk config migrate "$ETC/kiosk.toml"')
    assert migrate < script.index('mv "$PREFIX/venv.new" "$PREFIX/venv"')
