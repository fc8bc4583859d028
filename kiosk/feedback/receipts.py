"""Receipt codes: short, random, easy to read aloud and type, never derived from the visitor."""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass

# Crockford's base-32 alphabet without the letters it already drops (I, L, O, U) and without the
# digits 0 and 1, so no pair of characters can be mistaken for each other on screen or aloud.
ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_LENGTH = 8
# Used when no config is at hand (tests of the bare session); the config's default is the same.
DEFAULT_RECEIPT_URL = "https://kiosk-hub.mofa.go.kr/r/{code}"
_SHAPE = re.compile(rf"^[{ALPHABET}]{{{CODE_LENGTH}}}$")


def new_receipt_code() -> str:
    """A fresh code from the OS's random source (about 6.6e11 possibilities)."""
    return "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))


def format_code(code: str) -> str:
    """The code as shown and printed: two groups of four (ABCD-EFGH)."""
    half = len(code) // 2
    return f"{code[:half]}-{code[half:]}"


def parse_code(typed: str) -> str | None:
    """The code a person typed (any case, with or without the dash), or None if it cannot be one."""
    cleaned = re.sub(r"[\s-]", "", typed).upper()
    return cleaned if _SHAPE.match(cleaned) else None


@dataclass(frozen=True, slots=True)
class Receipt:
    """What the thank-you screen shows: the code and the page that tracks it."""

    code: str
    url: str

    @property
    def shown(self) -> str:
        return format_code(self.code)


def receipt_for(code: str, url_template: str) -> Receipt:
    """The receipt for `code`, its URL made from the configured template's `{code}` field."""
    return Receipt(code=code, url=url_template.format(code=format_code(code)))
