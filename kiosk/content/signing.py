"""Signed content packs (Ed25519): the hub signs, the kiosk installs only what verifies.

The signed message is the canonical JSON of the pack's form files, `[{"name", "text"}, …]`
sorted by name (keys sorted, no spaces, UTF-8): the same bytes whether the pack came over the
network or from a USB stick. The signature travels as base64 text: the `signature` field of
GET …/content, or a `pack.sig` file beside the forms on a stick. The hub's public key is the
kiosk's `content.signing_public_key` (base64 of the 32 raw key bytes).
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Sequence
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from kiosk.core.errors import ContentError

SIGNATURE_FILE = "pack.sig"
FORM_SUFFIXES = (".yaml", ".yml")


def pack_message(files: Sequence[tuple[str, str]]) -> bytes:
    """The bytes a signature covers: every form file's name and text, in name order."""
    ordered = [{"name": name, "text": text} for name, text in sorted(files)]
    return json.dumps(ordered, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode(
        "utf-8"
    )


def directory_files(directory: Path) -> list[tuple[str, str]]:
    """The form files of a pack folder, as (name, text)."""
    return [
        (p.name, p.read_text(encoding="utf-8"))
        for p in sorted(directory.iterdir())
        if p.suffix in FORM_SUFFIXES and p.is_file()
    ]


def sign_pack(private_key: Ed25519PrivateKey, files: Sequence[tuple[str, str]]) -> str:
    return base64.b64encode(private_key.sign(pack_message(files))).decode("ascii")


def public_key_text(public_key: Ed25519PublicKey) -> str:
    """The form of `content.signing_public_key`: base64 of the 32 raw bytes."""
    from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

    return base64.b64encode(public_key.public_bytes(Encoding.Raw, PublicFormat.Raw)).decode()


def load_public_key(text: str) -> Ed25519PublicKey:
    """The hub's key from its base64 text; ValueError naming what is wrong."""
    try:
        raw = base64.b64decode(text.strip(), validate=True)
    except (binascii.Error, ValueError):
        raise ValueError("expected base64 text of a 32-byte Ed25519 public key") from None
    if len(raw) != 32:
        raise ValueError(f"expected a 32-byte Ed25519 public key, got {len(raw)} bytes")
    return Ed25519PublicKey.from_public_bytes(raw)


def verify_pack(
    public_key: Ed25519PublicKey, files: Sequence[tuple[str, str]], signature: str | None
) -> None:
    """Nothing when the signature verifies; otherwise ContentError saying the pack is refused."""
    if not signature:
        raise ContentError(
            ["content pack: not signed, and this kiosk installs only packs signed by the hub "
             "(content.signing_public_key)"]
        )  # fmt: skip
    try:
        raw = base64.b64decode(signature.strip(), validate=True)
        public_key.verify(raw, pack_message(files))
    except (binascii.Error, ValueError, InvalidSignature):
        raise ContentError(
            ["content pack: the signature does not match the hub's key "
             "(content.signing_public_key): the pack was altered or signed by someone else"]
        ) from None  # fmt: skip


def verify_directory(public_key: Ed25519PublicKey, directory: Path) -> None:
    """Verify a pack folder (from a USB stick) against its `pack.sig`."""
    signature_file = directory / SIGNATURE_FILE
    signature = (
        signature_file.read_text(encoding="ascii", errors="replace")
        if signature_file.is_file()
        else None
    )
    verify_pack(public_key, directory_files(directory), signature)
