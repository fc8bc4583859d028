"""Signed content packs (Ed25519): the hub signs, the kiosk installs only what verifies.

The signed message is the canonical JSON of the pack's form files, `[{"name", "text"}, …]`
sorted by name (keys sorted, no spaces, UTF-8): the same bytes whether the pack came over the
network or from a USB stick. The signature travels as base64 text: the `signature` field of
GET …/content, or a `pack.sig` file beside the forms on a stick. The hub's public key is the
kiosk's `content.signing_public_key` (base64 of the 32 raw key bytes). While the hub's key is
being rotated (docs/hub-operations.md), a kiosk also accepts the keys listed in
`content.previous_signing_public_keys`: a pack is installed when its signature verifies against
any one of them.
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
from kiosk.core.keys import load_public_key

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


def load_public_keys(texts: Sequence[str]) -> list[Ed25519PublicKey]:
    """The keys a kiosk accepts, from their base64 texts (current first); none: no checking."""
    if isinstance(texts, str):  # one key given where a list of keys is meant
        raise TypeError("expected a sequence of key texts, not one string")
    return [load_public_key(text) for text in texts]


def verify_pack(
    public_keys: Sequence[Ed25519PublicKey],
    files: Sequence[tuple[str, str]],
    signature: str | None,
    source: str = "content pack",
) -> None:
    """Nothing when the signature verifies against one of the keys; otherwise ContentError naming
    `source` (the pack, or its `pack.sig`) and saying why the pack is refused."""
    if not public_keys:
        raise ValueError("verify_pack needs at least one public key")
    if not signature:
        raise ContentError(
            [f"{source}: not signed, and this kiosk installs only packs signed by the hub "
             "(content.signing_public_key)"]
        )  # fmt: skip
    try:
        raw = base64.b64decode(signature.strip(), validate=True)
    except (binascii.Error, ValueError):
        raw = b""
    message = pack_message(files)
    for key in public_keys:
        try:
            key.verify(raw, message)
            return
        except InvalidSignature:
            continue
    raise ContentError(
        [f"{source}: the signature does not verify against the configured key(s) "
         f"({_key_names(len(public_keys))}): the pack was altered, or signed with a key this "
         "kiosk does not hold"]
    )  # fmt: skip


def _key_names(count: int) -> str:
    if count == 1:
        return "content.signing_public_key"
    return f"content.signing_public_key and {count - 1} of content.previous_signing_public_keys"


def verify_directory(
    public_keys: Sequence[Ed25519PublicKey], directory: Path, source: Path | None = None
) -> None:
    """Verify a pack folder (from a USB stick) against its `pack.sig`; `source` is the folder
    named in the message (the stick's, when `directory` is a copy of it)."""
    signature_file = directory / SIGNATURE_FILE
    signature = (
        signature_file.read_text(encoding="ascii", errors="replace")
        if signature_file.is_file()
        else None
    )
    shown = (source or directory) / SIGNATURE_FILE
    verify_pack(public_keys, directory_files(directory), signature, str(shown))
