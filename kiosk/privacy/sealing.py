"""Sealed boxes for contact details: the kiosk encrypts to the ministry's key and cannot decrypt.

A sealed blob starts with a version field (see docs/privacy.md):
    version 2 (written today): b"KS2" | HPKE single-shot output (RFC 9180, base mode:
        DHKEM(X25519, HKDF-SHA256), HKDF-SHA256, AES-256-GCM; `enc` (32) | ciphertext + tag (16)),
        with the info string below and the version field as associated data through `info`.
    version 1 (still opened): b"KS1" | ephemeral X25519 public key (32) | nonce (12) |
        AES-256-GCM ciphertext + tag (16); the key is HKDF-SHA256 over the X25519 shared secret,
        salted with both public keys.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from kiosk.core.errors import ConfigError

MAGIC_V1 = b"KS1"
MAGIC_V2 = b"KS2"
MAGIC = MAGIC_V2  # what seal() writes
_INFO = b"gwanghwamoon-kiosk contact details v1"
_INFO_V2 = b"gwanghwamoon-kiosk contact details v2 " + MAGIC_V2
_ENC_BYTES = 32  # DHKEM(X25519) encapsulated key
_KEY_BYTES = 32
_NONCE_BYTES = 12
PRIVATE_KEY_FILE = "contact-key.private.pem"
PUBLIC_KEY_FILE = "contact-key.public.pem"


class SealError(ValueError):
    """A sealed blob is malformed or was not sealed to this private key."""


def _raw(public_key: X25519PublicKey) -> bytes:
    return public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def _derive(shared: bytes, ephemeral: bytes, recipient: bytes) -> bytes:
    hkdf = HKDF(
        algorithm=hashes.SHA256(), length=_KEY_BYTES, salt=ephemeral + recipient, info=_INFO
    )
    return hkdf.derive(shared)


def _suite() -> Any:
    from cryptography.hazmat.primitives import hpke

    return hpke.Suite(hpke.KEM.X25519, hpke.KDF.HKDF_SHA256, hpke.AEAD.AES_256_GCM)


def seal(public_key: X25519PublicKey, plaintext: bytes) -> bytes:
    """Encrypt to the recipient's public key (HPKE, version 2); only its private key opens it."""
    return MAGIC_V2 + bytes(_suite().encrypt(plaintext, public_key, info=_INFO_V2))


def seal_v1(public_key: X25519PublicKey, plaintext: bytes) -> bytes:
    """The version 1 format, as kiosks wrote it before HPKE (kept for the compatibility tests)."""
    ephemeral = X25519PrivateKey.generate()
    ephemeral_raw = _raw(ephemeral.public_key())
    key = _derive(ephemeral.exchange(public_key), ephemeral_raw, _raw(public_key))
    nonce = os.urandom(_NONCE_BYTES)
    header = MAGIC_V1 + ephemeral_raw
    return header + nonce + AESGCM(key).encrypt(nonce, plaintext, header)


def open_sealed(private_key: X25519PrivateKey, blob: bytes) -> bytes:
    """Decrypt a sealed blob of either version (the hub, the reference backend and tests only:
    the kiosk has no private key)."""
    if blob.startswith(MAGIC_V2):
        if len(blob) < len(MAGIC_V2) + _ENC_BYTES + 16:
            raise SealError("not a sealed contact blob (wrong header or too short)")
        try:
            return bytes(_suite().decrypt(blob[len(MAGIC_V2) :], private_key, info=_INFO_V2))
        except (InvalidTag, ValueError):
            raise SealError("the blob was not sealed to this key, or it was altered") from None
    return _open_v1(private_key, blob)


def _open_v1(private_key: X25519PrivateKey, blob: bytes) -> bytes:
    head = len(MAGIC_V1) + _KEY_BYTES
    if len(blob) < head + _NONCE_BYTES + 16 or not blob.startswith(MAGIC_V1):
        raise SealError("not a sealed contact blob (wrong header or too short)")
    header, nonce, body = blob[:head], blob[head : head + _NONCE_BYTES], blob[head + _NONCE_BYTES :]
    ephemeral = X25519PublicKey.from_public_bytes(header[len(MAGIC_V1) :])
    recipient = _raw(private_key.public_key())
    key = _derive(private_key.exchange(ephemeral), header[len(MAGIC_V1) :], recipient)
    try:
        return AESGCM(key).decrypt(nonce, body, header)
    except InvalidTag:
        raise SealError("the blob was not sealed to this key, or it was altered") from None


def load_public_key_pem(pem: bytes, where: str) -> X25519PublicKey:
    """Parse an X25519 public key in PEM; errors name where it came from."""
    try:
        key = serialization.load_pem_public_key(pem)
    except (ValueError, TypeError) as exc:
        raise ConfigError(f"{where}: not a PEM public key ({exc})") from None
    if not isinstance(key, X25519PublicKey):
        raise ConfigError(f"{where}: expected an X25519 public key, found {type(key).__name__}")
    return key


def load_private_key_pem(pem: bytes) -> X25519PrivateKey:
    """Parse an X25519 private key in PEM (the backend's half)."""
    key = serialization.load_pem_private_key(pem, password=None)
    if not isinstance(key, X25519PrivateKey):
        raise ValueError(f"expected an X25519 private key, found {type(key).__name__}")
    return key


@dataclass(frozen=True)
class KeyPair:
    """Where `kiosk keys generate` wrote the two halves."""

    private_path: Path
    public_path: Path


def generate_key_files(directory: Path) -> KeyPair:
    """Write a new key pair into directory; refuses to overwrite an existing key."""
    directory.mkdir(parents=True, exist_ok=True)
    private_path, public_path = directory / PRIVATE_KEY_FILE, directory / PUBLIC_KEY_FILE
    for path in (private_path, public_path):
        if path.exists():
            raise FileExistsError(f"{path}: already exists; move it away first")
    private = X25519PrivateKey.generate()
    private_pem = private.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    public_pem = private.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    # The private half is created readable by its owner only, never briefly world-readable.
    descriptor = os.open(private_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(private_pem)
    public_path.write_bytes(public_pem)
    return KeyPair(private_path, public_path)
