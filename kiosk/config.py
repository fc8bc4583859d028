"""Device configuration: one TOML file, every setting declared once with type, bounds and default."""

from __future__ import annotations

import os
import tomllib
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from kiosk.errors import ConfigError

BUNDLED_CONFIG = Path(__file__).resolve().parent.parent / "config" / "kiosk.toml"
REQUIRED_LANGUAGES = ("ko", "en")


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class DeviceSettings(_Section):
    """Where this kiosk keeps its data and what staff call it."""

    name: str = Field("lobby-1", min_length=1, max_length=64, description="Label shown to staff.")
    data_dir: Path = Field(
        Path("../var"), description="Directory of the database and backups; relative to this file."
    )


class DisplaySettings(_Section):
    """The physical screen, so sizes can be computed in millimetres."""

    width_px: Annotated[int, Field(ge=320, le=7680)] = 1080
    height_px: Annotated[int, Field(ge=320, le=7680)] = 1920
    width_mm: Annotated[float, Field(gt=50, le=3000, description="Visible width of the panel.")] = (
        398.0
    )
    fullscreen: bool = Field(True, description="Frameless full screen; false only for development.")


class VisitSettings(_Section):
    """How a visit flows and when it times out."""

    languages: list[str] = Field(
        default_factory=lambda: list(REQUIRED_LANGUAGES),
        description="Visitor languages offered, in order; must include ko and en.",
    )
    idle_timeout_s: Annotated[int, Field(ge=10, le=900)] = 60
    idle_countdown_s: Annotated[int, Field(ge=5, le=120)] = 15
    thanks_s: Annotated[int, Field(ge=3, le=120, description="Thank-you screen time.")] = 10

    @field_validator("languages")
    @classmethod
    def _must_offer_korean_and_english(cls, value: list[str]) -> list[str]:
        missing = [lang for lang in REQUIRED_LANGUAGES if lang not in value]
        if missing:
            raise ValueError(f"must include {', '.join(missing)}")
        if len(set(value)) != len(value):
            raise ValueError("languages are listed twice")
        return value


class ContentSettings(_Section):
    """Where the forms come from."""

    dir: Path = Field(
        Path("content"), description="Directory of form YAML files; relative to this file."
    )


class StorageSettings(_Section):
    """The local SQLite store."""

    db_file: str = Field("kiosk.sqlite3", min_length=1, description="File name inside data_dir.")
    backups_kept: Annotated[int, Field(ge=1, le=50)] = 3


class SyncSettings(_Section):
    """Uploading to the ministry backend (docs/sync-protocol.md); off without a backend URL."""

    backend_url: str | None = Field(
        None,
        description="https URL of the backend (http only to a loopback host); none: sync is off.",
    )
    batch_max_count: Annotated[int, Field(ge=1, le=5000)] = 200
    batch_max_bytes: Annotated[int, Field(ge=4096, le=50_000_000)] = 2_000_000
    connect_timeout_s: Annotated[float, Field(gt=0, le=120)] = 5.0
    read_timeout_s: Annotated[float, Field(gt=0, le=600)] = 30.0
    backoff_base_s: Annotated[float, Field(gt=0, le=600)] = 2.0
    backoff_cap_s: Annotated[float, Field(gt=0, le=86_400)] = 300.0
    interval_s: Annotated[float, Field(gt=0, le=86_400, description="Idle re-check period.")] = 30.0
    content_interval_s: Annotated[float, Field(gt=0, le=86_400)] = 900.0
    heartbeat_interval_s: Annotated[float, Field(gt=0, le=86_400)] = 300.0
    ca_bundle: Path | None = Field(
        None,
        description="PEM bundle of a private CA; relative to this file. TLS is always verified.",
    )
    keyring: Literal["file", "system"] = Field(
        "file",
        description="Where the device token lives: a root-only file keyring, or the OS default.",
    )
    keyring_file: Path = Field(
        Path("credentials/keyring.json"),
        description="The file keyring's file; relative to data_dir; must be mode 0600.",
    )

    @field_validator("backend_url")
    @classmethod
    def _must_be_https_or_loopback(cls, value: str | None) -> str | None:
        if value is None:
            return None
        from kiosk.sync.urls import check_backend_url

        return check_backend_url(value)

    @model_validator(mode="after")
    def _cap_above_base(self) -> SyncSettings:
        if self.backoff_cap_s < self.backoff_base_s:
            raise ValueError("backoff_cap_s must be at least backoff_base_s")
        return self


class KioskConfig(_Section):
    """The whole device configuration."""

    device: DeviceSettings = Field(default_factory=DeviceSettings)  # type: ignore[arg-type]
    display: DisplaySettings = Field(default_factory=DisplaySettings)  # type: ignore[arg-type]
    visit: VisitSettings = Field(default_factory=VisitSettings)
    content: ContentSettings = Field(default_factory=ContentSettings)  # type: ignore[arg-type]
    storage: StorageSettings = Field(default_factory=StorageSettings)  # type: ignore[arg-type]
    sync: SyncSettings = Field(default_factory=SyncSettings)  # type: ignore[arg-type]
    source: Path | None = Field(None, exclude=True)

    @property
    def base_dir(self) -> Path:
        return self.source.parent if self.source else Path.cwd()

    @property
    def data_dir(self) -> Path:
        return (self.base_dir / self.device.data_dir).resolve()

    @property
    def content_dir(self) -> Path:
        return (self.base_dir / self.content.dir).resolve()

    @property
    def db_path(self) -> Path:
        return self.data_dir / self.storage.db_file

    @property
    def keyring_path(self) -> Path:
        return (self.data_dir / self.sync.keyring_file).resolve()

    @property
    def ca_bundle_path(self) -> Path | None:
        bundle = self.sync.ca_bundle
        return None if bundle is None else (self.base_dir / bundle).resolve()

    def with_data_dir(self, data_dir: Path) -> KioskConfig:
        """The same config with its data directory replaced (the `--data-dir` option)."""
        device = self.device.model_copy(update={"data_dir": Path(data_dir).resolve()})
        return self.model_copy(update={"device": device})


def format_validation_error(source: str, error: ValidationError) -> list[str]:
    """One line per problem: the file, the dotted key, what was expected and what was found."""
    lines = []
    for item in error.errors():
        key = ".".join(str(part) for part in item["loc"]) or "(top level)"
        message = item["msg"]
        if item["type"] == "extra_forbidden":
            message = "unknown key"
        found = item.get("input")
        suffix = "" if item["type"] in ("extra_forbidden", "missing") else f" (found {found!r})"
        lines.append(f"{source}: {key}: {message}{suffix}")
    return lines


def load_config(path: Path | str | None = None) -> KioskConfig:
    """Read and validate the config: the given path, else $KIOSK_CONFIG, else the bundled default."""
    chosen = Path(path or os.environ.get("KIOSK_CONFIG") or BUNDLED_CONFIG)
    try:
        raw: dict[str, Any] = tomllib.loads(chosen.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"{chosen}: config file not found") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{chosen}: cannot read config file: {exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{chosen}: not valid TOML: {exc}") from None
    try:
        config = KioskConfig.model_validate(raw)
    except ValidationError as exc:
        raise ConfigError("\n".join(format_validation_error(str(chosen), exc))) from None
    return config.model_copy(update={"source": chosen.resolve()})
