"""The device config: defaults pass the schema, and every error names the file and key."""

from __future__ import annotations

from pathlib import Path

import pytest

from kiosk.config.settings import BUNDLED_CONFIG, KioskConfig, load_config
from kiosk.core.errors import ConfigError


def write(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "kiosk.toml"
    path.write_text(body, encoding="utf-8")
    return path


def test_every_default_passes_the_schema_and_matches_the_bundled_file() -> None:
    defaults = KioskConfig()
    bundled = load_config(BUNDLED_CONFIG)
    assert KioskConfig.model_validate(defaults.model_dump()) == defaults
    assert bundled.model_dump() == defaults.model_dump()
    assert bundled.content_dir == BUNDLED_CONFIG.parent / "content"


def test_unknown_key_is_an_error_naming_file_and_key(tmp_path: Path) -> None:
    path = write(tmp_path, "[visit]\nidle_timout_s = 30\n")
    with pytest.raises(ConfigError) as error:
        load_config(path)
    assert str(path) in str(error.value)
    assert "visit.idle_timout_s: unknown key" in str(error.value)


def test_out_of_bounds_value_names_key_and_value(tmp_path: Path) -> None:
    path = write(tmp_path, "[visit]\nidle_timeout_s = 2\n[display]\nwidth_px = 'wide'\n")
    with pytest.raises(ConfigError) as error:
        load_config(path)
    message = str(error.value)
    assert "visit.idle_timeout_s" in message and "found 2" in message
    assert "display.width_px" in message and "'wide'" in message


def test_korean_and_english_are_required_languages(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"visit.languages: .*must include ko"):
        load_config(write(tmp_path, "[visit]\nlanguages = ['en']\n"))


def test_broken_toml_and_missing_file_are_clear_errors(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="not valid TOML"):
        load_config(write(tmp_path, "[visit\n"))
    with pytest.raises(ConfigError, match="config file not found"):
        load_config(tmp_path / "nope.toml")


def test_paths_are_relative_to_the_config_file_and_data_dir_can_be_overridden(
    tmp_path: Path,
) -> None:
    config = load_config(write(tmp_path, "[device]\ndata_dir = 'state'\n"))
    assert config.data_dir == tmp_path / "state"
    assert config.with_data_dir(tmp_path / "other").db_path == tmp_path / "other" / "kiosk.sqlite3"


def test_kiosk_config_environment_variable_is_honoured(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KIOSK_CONFIG", str(write(tmp_path, "[device]\nname = 'gate-2'\n")))
    assert load_config().device.name == "gate-2"


def test_previous_signing_keys_are_checked_like_the_current_one_and_name_the_field(
    tmp_path: Path,
) -> None:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from kiosk.core.keys import public_key_text

    new, old = (public_key_text(Ed25519PrivateKey.generate().public_key()) for _ in range(2))
    assert load_config(write(tmp_path, "")).content.previous_signing_public_keys == []
    rotating = load_config(write(
        tmp_path, f'[content]\nsigning_public_key = "{new}"\nprevious_signing_public_keys = ["{old}"]\n'
    ))  # fmt: skip
    assert rotating.content.accepted_signing_keys == (new, old)
    assert load_config(write(tmp_path, "")).content.accepted_signing_keys == ()

    short = public_key_text(Ed25519PrivateKey.generate().public_key())[
        :-4
    ]  # 30 bytes, valid base64
    for bad, why in [("not base64!", "expected base64 text"), (short, "got 30 bytes")]:
        path = write(
            tmp_path,
            f'[content]\nsigning_public_key = "{new}"\n'
            f'previous_signing_public_keys = ["{old}", "{bad}"]\n',
        )
        with pytest.raises(ConfigError) as error:
            load_config(path)
        message = str(error.value)
        assert f"{path}: content.previous_signing_public_keys: " in message
        assert "key 2 of 2" in message and why in message

    # Previous keys without a current one would leave every pack unchecked: refused.
    with pytest.raises(ConfigError, match="previous_signing_public_keys needs signing_public_key"):
        load_config(write(tmp_path, f'[content]\nprevious_signing_public_keys = ["{old}"]\n'))
