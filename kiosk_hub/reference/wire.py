"""The reference backend's reading of request bodies: every limit checked before the work it
bounds (declared length, inflated size), strict JSON, every failure a clear problem."""

from __future__ import annotations

import json
import math
import zlib
from typing import Any, BinaryIO

from kiosk.protocol.wire import problem_document

MAX_BODY_BYTES = 64_000_000  # as sent (gzip)
MAX_INFLATED_BYTES = 64_000_000  # after inflating: a 500 kB bomb must not become 512 MB
ENCODINGS = ("gzip", "identity")


class BodyRefusedError(Exception):
    """A body the server refuses, with the HTTP status and a problem detail for the client."""

    def __init__(self, status: int, detail: str) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail


def declared_length(header: str | None) -> int:
    """The Content-Length as a number within the limit (a negative one is refused, not read)."""
    if header is None or not header.strip():
        raise BodyRefusedError(411, "Content-Length: required")
    try:
        length = int(header)
    except ValueError:
        raise BodyRefusedError(400, f"Content-Length: not a number ({header[:20]!r})") from None
    if length < 0:
        raise BodyRefusedError(400, f"Content-Length: negative ({length})")
    if length > MAX_BODY_BYTES:
        raise BodyRefusedError(413, f"body larger than {MAX_BODY_BYTES} bytes")
    return length


def read_body(stream: BinaryIO, length: int, encoding: str | None) -> bytes:
    """Read exactly `length` bytes and undo the content coding (gzip or none), bounded."""
    coding = (encoding or "identity").strip().lower()
    if coding not in ENCODINGS:
        raise BodyRefusedError(
            415, f"Content-Encoding: {coding[:40]!r} is not supported (gzip only)"
        )
    raw = stream.read(length)
    if len(raw) != length:
        raise BodyRefusedError(400, f"body ended after {len(raw)} of {length} bytes")
    return inflate(raw) if coding == "gzip" else raw


def inflate(raw: bytes) -> bytes:
    """gunzip with a ceiling on the output; a corrupt or truncated stream is a 400."""
    inflater = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS)
    try:
        data = inflater.decompress(raw, MAX_INFLATED_BYTES + 1)
    except zlib.error as exc:
        raise BodyRefusedError(400, f"corrupt gzip body ({exc})") from None
    if len(data) > MAX_INFLATED_BYTES:
        raise BodyRefusedError(413, f"body inflates to more than {MAX_INFLATED_BYTES} bytes")
    if not inflater.eof:
        raise BodyRefusedError(400, "corrupt gzip body (truncated stream)")
    return data


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def _finite(text: str) -> float:
    value = float(text)
    if math.isinf(value):
        raise ValueError(f"{text[:20]} is not a finite number")
    return value


def parse_json(data: bytes) -> Any:
    """Strict JSON: UTF-8, no NaN/Infinity; nesting deeper than the parser's recursion limit
    (about a thousand levels) is a 400, not a dropped connection."""
    try:
        return json.loads(
            data.decode("utf-8"), parse_constant=_refuse_constant, parse_float=_finite
        )
    except UnicodeDecodeError as exc:
        raise BodyRefusedError(
            400, f"body is not UTF-8 ({exc.reason} at byte {exc.start})"
        ) from None
    except RecursionError:
        raise BodyRefusedError(400, "JSON nested too deeply") from None
    except ValueError as exc:
        raise BodyRefusedError(400, f"body is not valid JSON ({str(exc)[:120]})") from None


problem = problem_document  # the protocol's error document (kiosk.protocol.wire)
