"""Optional contact details: what the session needs to ask consent, check entries and seal them."""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Final

if TYPE_CHECKING:
    from kiosk.config.settings import KioskConfig

Seal = Callable[[bytes], bytes]
CONTACT_ITEMS: Final = ("email", "phone")

_EMAIL: Final = re.compile(
    r"^[A-Za-z0-9][A-Za-z0-9._%+-]{0,63}@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+"
    r"[A-Za-z]{2,63}$",
    re.ASCII,
)
# Korean mobile numbers only: a reply by phone goes to a mobile (text message or call). 010 has
# four-digit middles; the legacy 011 and 016-019 also three.
_MOBILE: Final = re.compile(
    r"^(?:\+82|0082|0)?(?:(10)(\d{4})|(1[16789])(\d{3,4}))(\d{4})$", re.ASCII
)


@dataclass(frozen=True)
class ContactOffer:
    """How contact details are offered on this kiosk: sealed with `seal`, kept `retention_days`."""

    seal: Seal
    retention_days: int


@dataclass
class ContactState:
    """The consent choices and typed contact details of one visit (plaintext lives only here)."""

    choices: dict[str, bool | None] = field(default_factory=dict)
    values: dict[str, str] = field(default_factory=dict)

    def wipe(self) -> None:
        self.choices.clear()
        self.values.clear()


def normalise_email(value: str) -> str | None:
    """The address as it will be sealed, or None if it does not look like an email address."""
    address = unicodedata.normalize("NFKC", value).strip()
    return address if _EMAIL.match(address) and ".." not in address else None


def normalise_phone(value: str) -> str | None:
    """A Korean mobile number as 010-1234-5678, or None if it is not one."""
    digits = re.sub(r"[\s().-]", "", unicodedata.normalize("NFKC", value))
    match = _MOBILE.match(digits)
    if match is None:
        return None
    prefix, middle = match[1] or match[3], match[2] or match[4]
    return f"0{prefix}-{middle}-{match[5]}"


NORMALISERS: Final[dict[str, Callable[[str], str | None]]] = {
    "email": normalise_email,
    "phone": normalise_phone,
}


def sealed_contact(seal: Seal, details: dict[str, str]) -> bytes:
    """The contact details as one sealed JSON document ({"email": ..., "phone": ...})."""
    document = json.dumps(details, ensure_ascii=False, sort_keys=True).encode("utf-8")
    return seal(document)


def contact_offer_from(config: KioskConfig) -> ContactOffer | None:
    """The contact step as configured, or None when no ministry public key is configured."""
    from kiosk.privacy.sealing import load_public_key_pem, seal

    found = config.public_key_pem()
    if found is None:
        return None
    key = load_public_key_pem(*found)
    return ContactOffer(
        seal=lambda plaintext: seal(key, plaintext),
        retention_days=config.privacy.contact_retention_days,
    )
