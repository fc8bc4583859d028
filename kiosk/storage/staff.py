"""Staff access kept in the `meta` table: the salted PIN hash, the lockout and the service flag."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy.orm import Session

from kiosk.core.errors import KioskError
from kiosk.core.records import PIN_MAX, PIN_MIN
from kiosk.storage.database import Database, storage_errors
from kiosk.storage.models import MetaRow, put_setting

Clock = Callable[[], datetime]
PIN_KEY = "staff.pin_hash"
FAILED_KEY = "staff.failed_count"
LOCKED_KEY = "staff.locked_until"
OUT_OF_SERVICE_KEY = "kiosk.out_of_service"


@dataclass(frozen=True)
class PinCost:
    """scrypt's cost parameters: memory is 128 * n * r bytes, time grows with both."""

    n: int
    r: int
    p: int

    @property
    def maxmem(self) -> int:
        return 256 * self.n * self.r * self.p + 2**20


# About one second and 128 MiB a guess on the kiosk PC (measured: n=2^17 0.96 s, n=2^16 0.57 s),
# so a stolen database file costs an attacker days for the 10^6 six-digit PINs, not minutes.
# Tests lower it (kiosk.storage.staff.PIN_COST); a login with an older cost stores a new hash.
PIN_COST = PinCost(2**17, 8, 1)


class PinFormatError(KioskError):
    """A PIN that is not 6 to 12 digits."""


def check_pin_format(pin: str) -> str:
    """The PIN if it is 6-12 ASCII digits; otherwise PinFormatError saying what is wrong."""
    if not (pin.isascii() and pin.isdigit()):
        raise PinFormatError("the PIN must contain digits only")
    if not PIN_MIN <= len(pin) <= PIN_MAX:
        raise PinFormatError(f"the PIN must have {PIN_MIN} to {PIN_MAX} digits, not {len(pin)}")
    return pin


def hash_pin(pin: str, salt: bytes | None = None, cost: PinCost | None = None) -> str:
    """`scrypt$n$r$p$salt$hash` with a fresh 16-byte salt: the only form a PIN is ever stored in."""
    cost = cost or PIN_COST
    salt = salt if salt is not None else secrets.token_bytes(16)
    digest = hashlib.scrypt(
        pin.encode("utf-8"),
        salt=salt,
        n=cost.n,
        r=cost.r,
        p=cost.p,
        dklen=32,
        maxmem=cost.maxmem,
    )
    return f"scrypt${cost.n}${cost.r}${cost.p}${salt.hex()}${digest.hex()}"


def stored_cost(stored: str) -> PinCost | None:
    """The cost a stored hash was made with (None: not a hash this code reads)."""
    try:
        scheme, n, r, p, _salt, _expected = stored.split("$")
        return PinCost(int(n), int(r), int(p)) if scheme == "scrypt" else None
    except ValueError:
        return None


def pin_matches(pin: str, stored: str) -> bool:
    """Constant-time comparison of a typed PIN with a stored hash (any malformed hash: no)."""
    cost = stored_cost(stored)
    if cost is None:
        return False
    try:
        salt, expected = stored.split("$")[4:]
        digest = hashlib.scrypt(
            pin.encode("utf-8"),
            salt=bytes.fromhex(salt),
            n=cost.n,
            r=cost.r,
            p=cost.p,
            dklen=len(expected) // 2,
            maxmem=cost.maxmem,
        )
    except ValueError:
        return False
    return hmac.compare_digest(digest.hex(), expected)


@dataclass(frozen=True)
class PinCheck:
    """The outcome of one PIN entry."""

    accepted: bool
    pin_set: bool = True
    failed_count: int = 0
    locked_until: datetime | None = None


def _get(session: Session, key: str) -> str | None:
    row = session.get(MetaRow, key)
    return None if row is None else row.value


def _put(session: Session, key: str, value: str | None) -> None:
    put_setting(session, MetaRow, key, value)


class StaffStore:
    """PIN, lockout and out-of-service state; all of it survives a restart (it is in the store)."""

    def __init__(
        self,
        database: Database,
        clock: Clock,
        lockout_after: int = 5,
        lockout_base_s: int = 30,
        lockout_max_s: int = 3600,
    ) -> None:
        self._db = database
        self._clock = clock
        self._after = lockout_after
        self._base = lockout_base_s
        self._max = lockout_max_s

    def _session(self) -> Session:
        return self._db.sessions()

    @property
    def pin_set(self) -> bool:
        with storage_errors(self._db.path), self._session() as session:
            return _get(session, PIN_KEY) is not None

    def set_pin(self, pin: str) -> None:
        """Store a new PIN (as a salted hash) and clear any lockout."""
        stored = hash_pin(check_pin_format(pin))
        with storage_errors(self._db.path), self._session() as session, session.begin():
            _put(session, PIN_KEY, stored)
            _put(session, FAILED_KEY, None)
            _put(session, LOCKED_KEY, None)

    def locked_until(self) -> datetime | None:
        """When the pad opens again, or None if it is open now."""
        with storage_errors(self._db.path), self._session() as session:
            value = _get(session, LOCKED_KEY)
        until = datetime.fromisoformat(value) if value else None
        return until if until is not None and until > self._clock() else None

    def lock_delay(self, failed_count: int) -> timedelta:
        """The lock after the n-th wrong PIN in a row: none before `lockout_after`, then doubling."""
        if failed_count < self._after:
            return timedelta(0)
        seconds = self._base * 2 ** min(failed_count - self._after, 20)
        return timedelta(seconds=min(seconds, self._max))

    def check_pin(self, pin: str) -> PinCheck:
        """Compare a typed PIN; a wrong one counts, and the fifth and later ones lock the pad."""
        now = self._clock()
        with storage_errors(self._db.path), self._session() as session, session.begin():
            stored = _get(session, PIN_KEY)
            failed = int(_get(session, FAILED_KEY) or 0)
            locked = _get(session, LOCKED_KEY)
            until = datetime.fromisoformat(locked) if locked else None
            if until is not None and until > now:
                return PinCheck(False, stored is not None, failed, until)
            if stored is None:
                return PinCheck(False, pin_set=False)
            if pin_matches(pin, stored):
                _put(session, FAILED_KEY, None)
                _put(session, LOCKED_KEY, None)
                if stored_cost(stored) != PIN_COST:
                    # Made with an older (cheaper) cost: only now is the PIN known to hash again.
                    _put(session, PIN_KEY, hash_pin(pin))
                return PinCheck(True)
            failed += 1
            delay = self.lock_delay(failed)
            until = now + delay if delay else None
            _put(session, FAILED_KEY, str(failed))
            _put(session, LOCKED_KEY, until.astimezone(UTC).isoformat() if until else None)
            return PinCheck(False, True, failed, until)

    @property
    def out_of_service(self) -> bool:
        with storage_errors(self._db.path), self._session() as session:
            return _get(session, OUT_OF_SERVICE_KEY) == "1"

    def set_out_of_service(self, value: bool) -> None:
        with storage_errors(self._db.path), self._session() as session, session.begin():
            _put(session, OUT_OF_SERVICE_KEY, "1" if value else None)
