"""Optional contact details: what the session needs to ask consent and seal the entries (their
rules, shared with the hub, are kiosk.privacy.contact)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from kiosk.privacy.contact import contact_document

if TYPE_CHECKING:
    from kiosk.config.settings import KioskConfig

Seal = Callable[[bytes], bytes]


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


def sealed_contact(seal: Seal, details: dict[str, str]) -> bytes:
    """The contact details as one sealed JSON document ({"email": ..., "phone": ...})."""
    return seal(contact_document(details))


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
