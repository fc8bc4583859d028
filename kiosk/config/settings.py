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

from kiosk.core.errors import ConfigError

BUNDLED_CONFIG = Path(__file__).resolve().parents[2] / "config" / "kiosk.toml"
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
    thanks_s: Annotated[
        int,
        Field(
            ge=3,
            le=120,
            description="Thank-you screen time (long enough to scan the receipt QR code).",
        ),
    ] = 20

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


class AccessibilitySettings(_Section):
    """Easy mode (쉬운 모드): where controls may sit, which key turns it on, how it speaks."""

    panel_bottom_cm: Annotated[
        float, Field(ge=0, le=200, description="Height of the panel's visible bottom edge.")
    ] = 75.0
    max_control_cm: Annotated[
        float, Field(gt=0, le=200, description="Highest a control may sit in easy mode.")
    ] = 120.0
    text_scale: Annotated[float, Field(ge=1.5, le=3.0, description="Easy-mode text size.")] = 2.0
    easy_mode_key: str = Field(
        "F1", pattern=r"^F([1-9]|1[0-9]|2[0-4])$", description="Keypad key toggling easy mode."
    )
    speech_engine: str = Field(
        "speechd", description="QtTextToSpeech engine: speechd on Debian, mock for tests."
    )
    voices: dict[str, str] = Field(
        default_factory=dict, description="Voice name per language; missing: the engine's own."
    )
    speech_volume: Annotated[float, Field(ge=0.0, le=1.0)] = 0.8
    speech_rate: Annotated[float, Field(ge=-1.0, le=1.0)] = 0.0


# Below this share of the screen the easy-mode screens cannot fit their controls.
MIN_LOW_SHARE = 0.4


class PrivacySettings(_Section):
    """Contact-detail encryption, retention and abuse flags (docs/privacy.md)."""

    public_key_file: Path | None = Field(
        None, description="The ministry's X25519 public key (PEM); relative to this file."
    )
    public_key_pem: str | None = Field(None, description="The same key given inline as PEM.")
    contact_retention_days: Annotated[int, Field(ge=1, le=3650)] = 365
    sent_retention_days: Annotated[int, Field(ge=1, le=3650)] = 90
    purge_hour: Annotated[int, Field(ge=0, le=23, description="Local hour of the daily purge.")] = 3
    rating_debounce_ms: Annotated[int, Field(ge=0, le=5000)] = 700
    duplicate_text_window_s: Annotated[int, Field(ge=0, le=604800)] = 3600
    burst_window_s: Annotated[int, Field(ge=0, le=86400)] = 300
    burst_count: Annotated[int, Field(ge=2, le=1000)] = 5
    max_chars_per_second: Annotated[float, Field(gt=0, le=1000)] = 12.0

    @model_validator(mode="after")
    def _one_key_source(self) -> PrivacySettings:
        if self.public_key_file is not None and self.public_key_pem is not None:
            raise ValueError("give public_key_file or public_key_pem, not both")
        return self


class FeedbackSettings(_Section):
    """Closing the loop: receipt page, live results threshold, the "you said, we did" feed."""

    receipt_url: str = Field(
        "https://www.mofa.go.kr/www/participation/receipt/{code}",
        min_length=8,
        description="Page that tracks a receipt; {code} becomes the code (ABCD-EFGH).",
    )
    results_min_responses: Annotated[
        int, Field(ge=5, le=10000, description="Live results stay hidden below this many answers.")
    ] = 20
    feed_stale_after_h: Annotated[
        int, Field(ge=1, le=24 * 90, description="Older feed copies are flagged as old.")
    ] = 48

    @field_validator("receipt_url")
    @classmethod
    def _has_code_field(cls, value: str) -> str:
        if "{code}" not in value or not value.startswith("https://"):
            raise ValueError("must be an https:// URL containing {code}")
        try:
            value.format(code="ABCD-EFGH")
        except (KeyError, IndexError, ValueError):
            raise ValueError("only the {code} field may appear in braces") from None
        return value


class StaffSettings(_Section):
    """The hidden staff screen: how it opens, when it closes, where exports go."""

    gesture: Literal["hold", "taps"] = Field(
        "hold", description="Press and hold one corner, or tap it several times quickly."
    )
    corner: Literal["top_left", "top_right", "bottom_left", "bottom_right"] = "top_right"
    corner_mm: Annotated[float, Field(ge=8, le=60, description="Size of the hot corner.")] = 20.0
    hold_s: Annotated[float, Field(ge=0.5, le=10, description="Hold time (gesture=hold).")] = 3.0
    taps: Annotated[int, Field(ge=3, le=10, description="Taps needed (gesture=taps).")] = 5
    taps_window_s: Annotated[float, Field(ge=1, le=10)] = 3.0
    auto_logout_s: Annotated[int, Field(ge=10, le=3600)] = 120
    lockout_after: Annotated[int, Field(ge=3, le=10, description="Wrong PINs before a lock.")] = 5
    lockout_base_s: Annotated[int, Field(ge=1, le=3600, description="First lock; doubles.")] = 30
    lockout_max_s: Annotated[int, Field(ge=60, le=86400)] = 3600
    export_roots: list[Path] = Field(
        default_factory=lambda: [Path("/media"), Path("/run/media")],
        description="Where removable drives are mounted; relative paths are relative to this file.",
    )


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
        from kiosk.protocol.urls import check_backend_url

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
    accessibility: AccessibilitySettings = Field(default_factory=AccessibilitySettings)  # type: ignore[arg-type]
    privacy: PrivacySettings = Field(default_factory=PrivacySettings)  # type: ignore[arg-type]
    feedback: FeedbackSettings = Field(default_factory=FeedbackSettings)  # type: ignore[arg-type]
    staff: StaffSettings = Field(default_factory=StaffSettings)  # type: ignore[arg-type]
    sync: SyncSettings = Field(default_factory=SyncSettings)  # type: ignore[arg-type]
    source: Path | None = Field(None, exclude=True)

    @property
    def low_position_share(self) -> float:
        """The lower share of the screen that lies below accessibility.max_control_cm."""
        display, access = self.display, self.accessibility
        panel_height_mm = display.height_px * display.width_mm / display.width_px
        reach_mm = (access.max_control_cm - access.panel_bottom_cm) * 10
        return max(0.0, min(1.0, reach_mm / panel_height_mm))

    @model_validator(mode="after")
    def _controls_must_fit_below_the_reach_limit(self) -> KioskConfig:
        share = self.low_position_share
        if share < MIN_LOW_SHARE:
            raise ValueError(
                f"accessibility.panel_bottom_cm = {self.accessibility.panel_bottom_cm} leaves only "
                f"{share:.0%} of the screen below {self.accessibility.max_control_cm} cm; "
                f"easy mode needs at least {MIN_LOW_SHARE:.0%} (mount the panel lower)"
            )
        return self

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

    def public_key_pem(self) -> tuple[bytes, str] | None:
        """The ministry's public key as PEM bytes and where it came from, or None if not set."""
        privacy = self.privacy
        if privacy.public_key_pem is not None:
            return privacy.public_key_pem.encode("ascii", "replace"), "privacy.public_key_pem"
        if privacy.public_key_file is None:
            return None
        path = (self.base_dir / privacy.public_key_file).resolve()
        try:
            return path.read_bytes(), str(path)
        except OSError as exc:
            raise ConfigError(
                f"{self.source or 'config'}: privacy.public_key_file: cannot read {path} "
                f"({exc.strerror})"
            ) from None

    @property
    def export_roots(self) -> list[Path]:
        return [(self.base_dir / root).resolve() for root in self.staff.export_roots]

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
