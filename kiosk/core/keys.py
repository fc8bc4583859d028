"""The hub's Ed25519 public key in its text form (base64 of the 32 raw bytes), as config holds it."""

from __future__ import annotations

import base64
import binascii

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey


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
