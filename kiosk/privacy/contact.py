"""The rules of optional contact details, shared by the kiosk and the hub's web forms: which items
there are, what a valid email address or Korean mobile number is, and the document that is sealed."""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Callable, Mapping
from typing import Final

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


def contact_document(details: Mapping[str, str]) -> bytes:
    """The contact details as the one JSON document that is sealed ({"email": ..., "phone": ...})."""
    return json.dumps(dict(details), ensure_ascii=False, sort_keys=True).encode("utf-8")
