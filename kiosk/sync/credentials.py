"""The device token in a keyring: a root-only file keyring on kiosks, in memory for tests.

Both backends implement `keyring`'s KeyringBackend API, so the code that stores and reads the
token is the same everywhere. The threat model is written in docs/credentials.md.
"""

from __future__ import annotations

import json
import os
import re
import stat
import tempfile
import threading
from pathlib import Path
from typing import Any

import keyring
from jaraco.classes import properties  # keyring's own dependency, for its API
from keyring.backend import KeyringBackend
from keyring.errors import PasswordDeleteError

from kiosk.core.errors import KioskError

SERVICE = "gwanghwamoon-kiosk"
# RFC 6750's b64token characters; at least 16 so a typo or an empty paste is caught.
TOKEN = re.compile(r"^[A-Za-z0-9\-._~+/]{16,4096}=*$")


class CredentialsError(KioskError):
    """The token cannot be stored or read (a wrong file mode, a bad token, no keyring)."""


class _Explicit(KeyringBackend):
    """Never picked by keyring's automatic selection: the kiosk chooses its backend by config."""

    @properties.classproperty
    def priority(cls) -> float:  # noqa: N805 (a class property)
        raise RuntimeError("chosen explicitly by the kiosk's config, never automatically")


class FileKeyring(_Explicit):
    """A JSON file readable by its owner only (0600 in a 0700 directory); refuses looser modes."""

    def __init__(self, path: Path) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self.path = Path(path)
        self._lock = threading.Lock()

    def _read(self) -> dict[str, dict[str, str]]:
        if not self.path.exists():
            return {}
        mode = stat.S_IMODE(self.path.stat().st_mode)
        if mode & 0o077:
            raise CredentialsError(
                f"{self.path}: the keyring file is readable by others (mode {mode:o});"
                " run `chmod 600` on it, then enrol again"
            )
        try:
            data: dict[str, dict[str, str]] = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise CredentialsError(f"{self.path}: cannot read the keyring file ({exc})") from None
        return data

    def _write(self, data: dict[str, dict[str, str]]) -> None:
        directory = self.path.parent
        try:
            directory.mkdir(parents=True, exist_ok=True, mode=0o700)
            os.chmod(directory, 0o700)
            handle, temporary = tempfile.mkstemp(dir=directory, prefix=".keyring-")
            with os.fdopen(handle, "w", encoding="utf-8") as out:  # mkstemp makes it 0600
                json.dump(data, out)
                out.flush()
                os.fsync(out.fileno())
            os.replace(temporary, self.path)
        except OSError as exc:
            raise CredentialsError(f"{self.path}: cannot write the keyring file ({exc})") from None

    def get_password(self, service: str, username: str) -> str | None:
        with self._lock:
            return self._read().get(service, {}).get(username)

    def set_password(self, service: str, username: str, password: str) -> None:
        with self._lock:
            data = self._read()
            data.setdefault(service, {})[username] = password
            self._write(data)

    def delete_password(self, service: str, username: str) -> None:
        with self._lock:
            data = self._read()
            if data.get(service, {}).pop(username, None) is None:
                raise PasswordDeleteError(f"no token for {username}")
            self._write(data)


class MemoryKeyring(_Explicit):
    """Tokens in a dict: the tests' keyring, through the same API as the file one."""

    def __init__(self) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self._data: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self._data.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self._data[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        if self._data.pop((service, username), None) is None:
            raise PasswordDeleteError(f"no token for {username}")


def keyring_for(choice: str, path: Path) -> KeyringBackend:
    """The configured backend: `file` (the kiosk default) or `system` (keyring's own choice)."""
    if choice == "file":
        return FileKeyring(path)
    if choice == "system":
        backend: Any = keyring.get_keyring()
        return backend  # type: ignore[no-any-return]
    raise CredentialsError(f"sync.keyring: unknown keyring {choice!r}; expected file or system")


def check_token(token: str) -> str:
    """The token without surrounding whitespace; an error (that never quotes it) if malformed."""
    token = token.strip()
    if not TOKEN.match(token):
        raise CredentialsError(
            "the device token must be 16 or more characters of A-Z a-z 0-9 - . _ ~ + /"
            f" (got {len(token)} characters)"
        )
    return token


def store_token(backend: KeyringBackend, backend_url: str, token: str) -> None:
    backend.set_password(SERVICE, backend_url, check_token(token))


def load_token(backend: KeyringBackend, backend_url: str) -> str | None:
    try:
        return backend.get_password(SERVICE, backend_url)
    except CredentialsError:
        raise
    except Exception as exc:  # keyring backends raise their own kinds; name it, never the token
        raise CredentialsError(f"the keyring could not be read ({type(exc).__name__})") from None
