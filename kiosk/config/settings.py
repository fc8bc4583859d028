"""Device configuration: one TOML file, every setting declared once with type, bounds and default."""

from __future__ import annotations

import os
import tomllib
from pathlib import Path
from typing import Annotated, Any, Literal
from urllib.parse import urlsplit

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from kiosk.core.errors import ConfigError
from kiosk.core.urls import check_backend_url

# Package data: the bundled config, sample content pack and feed sample travel inside the wheel.
DEFAULTS_DIR = Path(__file__).resolve().parent / "defaults"
BUNDLED_CONFIG = DEFAULTS_DIR / "kiosk.toml"
BUNDLED_CONTENT = DEFAULTS_DIR / "content"
# Where an installed kiosk keeps its data (packaging/install.sh creates it, 0700).
INSTALLED_DATA_DIR = Path("/var/lib/kiosk")
REQUIRED_LANGUAGES = ("ko", "en")


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class DeviceSettings(_Section):
    """Where this kiosk keeps its data and what staff call it."""

    name: str = Field(
        "lobby-1", min_length=1, max_length=64, description="Label of this kiosk shown to staff."
    )
    data_dir: Path = Field(
        INSTALLED_DATA_DIR,
        description=(
            "Directory of the database, backups and logs; relative to this file. "
            "`--data-dir DIR` on any command replaces it."
        ),
    )


class DisplaySettings(_Section):
    """The physical screen, so that sizes are computed in millimetres."""

    width_px: Annotated[
        int, Field(ge=320, le=7680, description="The panel's horizontal resolution (portrait).")
    ] = 1080
    height_px: Annotated[
        int, Field(ge=320, le=7680, description="The panel's vertical resolution.")
    ] = 1920
    width_mm: Annotated[
        float, Field(gt=50, le=3000, description="Visible width of the panel in millimetres.")
    ] = 398.0
    fullscreen: bool = Field(
        True, description="Frameless full screen; `kiosk run --windowed` for development."
    )


class VisitSettings(_Section):
    """How a visit flows and when it times out."""

    languages: list[str] = Field(
        default_factory=lambda: list(REQUIRED_LANGUAGES),
        description=(
            "Visitor languages offered, in order, the first being the default; must include "
            "`ko` and `en`, each once. Each needs a string catalog and the forms' translations."
        ),
    )
    catalog_dir: Path | None = Field(
        None,
        description=(
            "Directory of further string catalogs (`LANG/LC_MESSAGES/kiosk.mo`) beside the "
            "bundled ones; relative to this file."
        ),
    )
    idle_timeout_s: Annotated[
        int,
        Field(ge=10, le=900, description='Seconds without a touch before "Are you still there?"'),
    ] = 60
    idle_countdown_s: Annotated[
        int, Field(ge=5, le=120, description="The countdown before the visit resets.")
    ] = 15
    thanks_s: Annotated[
        int,
        Field(
            ge=3,
            le=120,
            description=(
                "How long the thank-you screen stays (time to scan the receipt QR code or read "
                "the live results)."
            ),
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
    """Where the forms come from (docs/content.md)."""

    dir: Path = Field(
        Path("content"), description="Directory of the form YAML files; relative to this file."
    )
    signing_public_key: str | None = Field(
        None,
        description=(
            "The hub's Ed25519 public key (base64 of 32 bytes). When set, packs from the network "
            "or a USB stick are installed only if their signature verifies against it (or "
            "against one of `previous_signing_public_keys`)."
        ),
    )

    previous_signing_public_keys: list[str] = Field(
        default_factory=list,
        max_length=8,
        description=(
            "While the hub's signing key is being rotated: its earlier public keys (same form), "
            "still accepted beside `signing_public_key` until every kiosk has pulled the packs "
            "re-signed with the new key (docs/hub-operations.md). Needs `signing_public_key`."
        ),
    )

    @field_validator("signing_public_key")
    @classmethod
    def _valid_key(cls, value: str | None) -> str | None:
        if value is not None:
            from kiosk.core.keys import load_public_key

            load_public_key(value)
        return value

    @field_validator("previous_signing_public_keys")
    @classmethod
    def _valid_keys(cls, value: list[str]) -> list[str]:
        from kiosk.core.keys import load_public_key

        for number, text in enumerate(value, start=1):
            try:
                load_public_key(text)
            except ValueError as exc:
                raise ValueError(f"key {number} of {len(value)}: {exc}") from None
        return value

    @model_validator(mode="after")
    def _previous_needs_current(self) -> ContentSettings:
        if self.previous_signing_public_keys and self.signing_public_key is None:
            raise ValueError(
                "previous_signing_public_keys needs signing_public_key: without a current key "
                "no pack is checked at all"
            )
        return self

    @property
    def accepted_signing_keys(self) -> tuple[str, ...]:
        """The keys a pack's signature may verify against, current first; none: packs unchecked."""
        if self.signing_public_key is None:
            return ()
        return (self.signing_public_key, *self.previous_signing_public_keys)


class StorageSettings(_Section):
    """The local SQLite store."""

    db_file: str = Field(
        "kiosk.sqlite3", min_length=1, description="The SQLite file's name inside `data_dir`."
    )
    backups_kept: Annotated[
        int, Field(ge=1, le=50, description="Copies of the database made before schema upgrades.")
    ] = 3


class AccessibilitySettings(_Section):
    """Easy mode (쉬운 모드): where controls may sit, which key turns it on, how it speaks."""

    panel_bottom_cm: Annotated[
        float,
        Field(
            ge=0, le=200, description="Height of the panel's visible bottom edge above the floor."
        ),
    ] = 75.0
    max_control_cm: Annotated[
        float,
        Field(
            gt=0,
            le=200,
            description=(
                "In easy mode every control sits below this height; with the panel's height "
                "(from `display`) this gives the low-position share of the screen, which must be "
                "at least 40 %."
            ),
        ),
    ] = 120.0
    text_scale: Annotated[
        float, Field(ge=1.5, le=3.0, description="Easy mode's text size (2.0 = 200 %).")
    ] = 2.0
    easy_mode_key: str = Field(
        "F1",
        pattern=r"^F([1-9]|1[0-9]|2[0-4])$",
        description="Keypad key (`F1` to `F24`) that turns easy mode on and off.",
    )
    speech_engine: str = Field(
        "speechd",
        description=(
            "QtTextToSpeech engine: `speechd` (speech-dispatcher with espeak-ng on Debian); "
            "`mock` for tests."
        ),
    )
    voices: dict[str, str] = Field(
        default_factory=dict,
        description=(
            "Voice name per language; a missing one uses the engine's default voice for it."
        ),
    )
    speech_volume: Annotated[
        float,
        Field(
            ge=0.0, le=1.0, description="Starting volume of voice guidance (visitors change it)."
        ),
    ] = 0.8
    speech_rate: Annotated[
        float,
        Field(
            ge=-1.0, le=1.0, description="Starting speed of voice guidance (visitors change it)."
        ),
    ] = 0.0


# Below this share of the screen the easy-mode screens cannot fit their controls.
MIN_LOW_SHARE = 0.4


class PrivacySettings(_Section):
    """Contact-detail encryption, retention and abuse flags; see [privacy.md](privacy.md).

    Only the public half of the key ever goes in a kiosk's config. An unreadable key file or a key
    that is not X25519 stops the kiosk with a message naming the file.
    """

    public_key_file: Path | None = Field(
        None,
        description=(
            "The ministry's X25519 public key (PEM) from `kiosk keys generate`; relative to this "
            "file. Without a key the contact-details step is skipped."
        ),
    )
    public_key_pem: str | None = Field(
        None, description="The same key given inline as PEM; not together with `public_key_file`."
    )
    contact_retention_days: Annotated[
        int,
        Field(
            ge=1,
            le=3650,
            description="Sealed contact details are deleted this many days after they were given.",
        ),
    ] = 365
    sent_retention_days: Annotated[
        int,
        Field(
            ge=1,
            le=3650,
            description="Responses the backend acknowledged are deleted this many days later.",
        ),
    ] = 90
    purge_hour: Annotated[
        int,
        Field(
            ge=0,
            le=23,
            description="Local hour from which the daily purge runs (between visitors).",
        ),
    ] = 3
    rating_debounce_ms: Annotated[
        int,
        Field(
            ge=0,
            le=5000,
            description="Repeated taps on the same rating within this time count once.",
        ),
    ] = 700
    duplicate_text_window_s: Annotated[
        int,
        Field(
            ge=0,
            le=604800,
            description="Identical free text within this window is flagged `duplicate_text` (0: off).",
        ),
    ] = 3600
    burst_window_s: Annotated[
        int,
        Field(
            ge=0,
            le=86400,
            description="`burst_count` responses within this window are flagged `burst` (0: off).",
        ),
    ] = 300
    burst_count: Annotated[
        int,
        Field(ge=2, le=1000, description="Responses within `burst_window_s` that make a burst."),
    ] = 5
    max_chars_per_second: Annotated[
        float,
        Field(gt=0, le=1000, description="Free text typed faster than this is flagged `too_fast`."),
    ] = 12.0

    @model_validator(mode="after")
    def _one_key_source(self) -> PrivacySettings:
        if self.public_key_file is not None and self.public_key_pem is not None:
            raise ValueError("give public_key_file or public_key_pem, not both")
        return self


class FeedbackSettings(_Section):
    """Closing the loop: the receipt page, the live results threshold, the "you said, we did" feed."""

    receipt_url: str = Field(
        "https://kiosk-hub.mofa.go.kr/r/{code}",
        min_length=8,
        description=(
            "The https page a receipt's QR code opens; `{code}` becomes the code as shown "
            "(`ABCD-EFGH`). The address is an assumption: the ministry has not published a "
            "receipt page yet, so set the real one here."
        ),
    )
    phone_form_url: str | None = Field(
        "https://kiosk-hub.mofa.go.kr/w",
        description=(
            "The hub's mobile web forms (`kiosk-hub` serves them at `/w`; the same hub as "
            "`receipt_url`): the attract screen shows a QR code of this address and each "
            "question screen one of `<this>/<form id>?lang=<language>`, so a visitor (a blind "
            "visitor with their own screen reader, anyone in the queue) can answer on their own "
            'phone. An https:// address with no query or fragment; `""` shows no QR code.'
        ),
    )
    results_min_responses: Annotated[
        int,
        Field(
            ge=5,
            le=10000,
            description=(
                "Live results of a public survey stay hidden until this many answers exist (a "
                "lobby is small; a tiny count can identify a person)."
            ),
        ),
    ] = 20
    feed_stale_after_h: Annotated[
        int,
        Field(
            ge=1,
            le=24 * 90,
            description='A "you said, we did" copy older than this is marked as old on screen.',
        ),
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

    @field_validator("phone_form_url")
    @classmethod
    def _plain_https(cls, value: str | None) -> str | None:
        if value is None or value == "":
            return None
        parts = urlsplit(value)
        if parts.scheme != "https" or not parts.hostname or any(c.isspace() for c in value):
            raise ValueError("must be an https:// URL with a host name, e.g. https://hub/w")
        if parts.query or parts.fragment or "{" in value or "}" in value:
            raise ValueError("must have no query, fragment or {field}: the kiosk adds them")
        return value.rstrip("/")


class StaffSettings(_Section):
    """The hidden staff screen: how it opens, when it closes, where exports go."""

    gesture: Literal["hold", "taps"] = Field(
        "hold",
        description=(
            "How staff open the staff screen from the attract screen: press and hold one "
            "corner, or tap it several times quickly."
        ),
    )
    corner: Literal["top_left", "top_right", "bottom_left", "bottom_right"] = Field(
        "top_right", description="The hot corner."
    )
    corner_mm: Annotated[
        float, Field(ge=8, le=60, description="Size of the hot corner (a square).")
    ] = 20.0
    hold_s: Annotated[
        float,
        Field(
            ge=0.5,
            le=10,
            description='Press time (`gesture = "hold"`); a shorter touch starts a visit as usual.',
        ),
    ] = 3.0
    taps: Annotated[
        int,
        Field(
            ge=3,
            le=10,
            description=(
                'Taps needed within `taps_window_s` (`gesture = "taps"`); taps on the corner '
                "never start a visit."
            ),
        ),
    ] = 5
    taps_window_s: Annotated[
        float, Field(ge=1, le=10, description="The window in which the taps must fall.")
    ] = 3.0
    auto_logout_s: Annotated[
        int,
        Field(
            ge=10,
            le=3600,
            description=(
                "The staff screen closes after this long without a touch (not while an export runs)."
            ),
        ),
    ] = 120
    lockout_after: Annotated[
        int, Field(ge=3, le=10, description="Wrong PINs in a row before the pad locks.")
    ] = 5
    lockout_base_s: Annotated[
        int,
        Field(ge=1, le=3600, description="The first lock; each further wrong PIN doubles it."),
    ] = 30
    lockout_max_s: Annotated[int, Field(ge=60, le=86400, description="The longest lock.")] = 3600
    export_roots: list[Path] = Field(
        default_factory=lambda: [Path("/media"), Path("/run/media")],
        description=(
            "Where USB drives are looked for: mount points one or two levels below `/media` and "
            "`/run/media`; any other listed directory is itself offered as a drive (a fixed "
            "export disk, or a plain folder in tests). Relative paths are relative to this file."
        ),
    )


class SyncSettings(_Section):
    """Uploading to the ministry backend.

    Sync is off until a backend URL is known (this section's `backend_url`, or `kiosk enroll
    --backend URL`) **and** a device token is in the keyring; meanwhile the kiosk collects as
    usual and `kiosk status` says why sync is off. The protocol is in
    [sync-protocol.md](sync-protocol.md), the token in [credentials.md](credentials.md).
    """

    backend_url: str | None = Field(
        None,
        description=(
            "The ministry backend: an https URL (http only to a loopback host); none: sync is off "
            "unless `kiosk enroll` recorded one."
        ),
    )
    batch_max_count: Annotated[
        int, Field(ge=1, le=5000, description="Responses per upload batch.")
    ] = 200
    batch_max_bytes: Annotated[
        int,
        Field(
            ge=4096,
            le=50_000_000,
            description="Uncompressed size cap of a batch (one larger response goes alone).",
        ),
    ] = 2_000_000
    connect_timeout_s: Annotated[float, Field(gt=0, le=120, description="Time to connect.")] = 5.0
    read_timeout_s: Annotated[
        float, Field(gt=0, le=600, description="Time to wait for an answer.")
    ] = 30.0
    backoff_base_s: Annotated[
        float, Field(gt=0, le=600, description="First wait after a failure (doubles per failure).")
    ] = 2.0
    backoff_cap_s: Annotated[
        float,
        Field(
            gt=0,
            le=86_400,
            description="The longest wait between tries; at least `backoff_base_s`.",
        ),
    ] = 300.0
    interval_s: Annotated[
        float,
        Field(gt=0, le=86_400, description="How often an idle worker looks for new responses."),
    ] = 30.0
    content_interval_s: Annotated[
        float, Field(gt=0, le=86_400, description="How often the content pack is checked.")
    ] = 900.0
    heartbeat_interval_s: Annotated[
        float, Field(gt=0, le=86_400, description="How often the heartbeat is sent.")
    ] = 300.0
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
        description="The file keyring's file; relative to `data_dir`; must be mode 0600.",
    )

    @field_validator("backend_url")
    @classmethod
    def _must_be_https_or_loopback(cls, value: str | None) -> str | None:
        if value is None:
            return None
        return check_backend_url(value)

    @model_validator(mode="after")
    def _cap_above_base(self) -> SyncSettings:
        if self.backoff_cap_s < self.backoff_base_s:
            raise ValueError("backoff_cap_s must be at least backoff_base_s")
        return self


DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
Day = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
CLOCK_TIME = r"^([01][0-9]|2[0-3]):[0-5][0-9]$"


def _open_days() -> list[Day]:
    return ["tue", "wed", "thu", "fri", "sat", "sun"]


class LobbyHoursSettings(_Section):
    """Opening hours: outside them the panel sleeps (blank) and wakes on a touch."""

    enabled: bool = Field(False, description="Off: the panel never sleeps.")
    open: str = Field("09:00", pattern=CLOCK_TIME, description="Local time the lobby opens.")
    close: str = Field("18:00", pattern=CLOCK_TIME, description="Local time it closes.")
    days: list[Day] = Field(default_factory=lambda: _open_days(), description="Open days.")
    wake_s: Annotated[
        int, Field(ge=10, le=3600, description="How long a touch keeps it awake when closed.")
    ] = 120


class KioskConfig(_Section):
    """The whole device configuration."""

    device: DeviceSettings = Field(default_factory=DeviceSettings)  # type: ignore[arg-type]
    display: DisplaySettings = Field(default_factory=DisplaySettings)  # type: ignore[arg-type]
    visit: VisitSettings = Field(default_factory=VisitSettings)  # type: ignore[arg-type]
    content: ContentSettings = Field(default_factory=ContentSettings)  # type: ignore[arg-type]
    storage: StorageSettings = Field(default_factory=StorageSettings)  # type: ignore[arg-type]
    accessibility: AccessibilitySettings = Field(default_factory=AccessibilitySettings)  # type: ignore[arg-type]
    privacy: PrivacySettings = Field(default_factory=PrivacySettings)  # type: ignore[arg-type]
    feedback: FeedbackSettings = Field(default_factory=FeedbackSettings)  # type: ignore[arg-type]
    staff: StaffSettings = Field(default_factory=StaffSettings)  # type: ignore[arg-type]
    sync: SyncSettings = Field(default_factory=SyncSettings)  # type: ignore[arg-type]
    hours: LobbyHoursSettings = Field(default_factory=LobbyHoursSettings)  # type: ignore[arg-type]
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
    def catalog_dir(self) -> Path | None:
        directory = self.visit.catalog_dir
        return None if directory is None else (self.base_dir / directory).resolve()

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


def read_config_file(path: Path) -> tuple[str, dict[str, Any]]:
    """The config file's text and its parsed TOML, or a ConfigError naming the file and why."""
    try:
        text = path.read_bytes().decode("utf-8")
        return text, tomllib.loads(text)
    except FileNotFoundError:
        raise ConfigError(f"{path}: config file not found") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read config file: {exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None


def load_config(path: Path | str | None = None) -> KioskConfig:
    """Read and validate the config: the given path, else $KIOSK_CONFIG, else the bundled default."""
    chosen = Path(path or os.environ.get("KIOSK_CONFIG") or BUNDLED_CONFIG)
    _, raw = read_config_file(chosen)
    try:
        config = KioskConfig.model_validate(raw)
    except ValidationError as exc:
        from kiosk.config.migrate import migration_hint

        lines = format_validation_error(str(chosen), exc)
        hint = migration_hint(str(chosen), raw)  # a config written before a section was renamed
        raise ConfigError("\n".join([*lines, hint] if hint else lines)) from None
    return config.model_copy(update={"source": chosen.resolve()})
