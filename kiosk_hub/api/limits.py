"""Reading a request body within bounds: size as sent, size inflated, JSON nesting depth."""

from __future__ import annotations

import json
import zlib
from typing import Any

from starlette.requests import Request

from kiosk_hub.settings import Limits


class BodyError(Exception):
    """The body cannot be read as the protocol's JSON; `status` is 400, 413 or 415."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


async def read_json(request: Request, limits: Limits, max_bytes: int | None = None) -> Any:
    """The JSON document of the request, or BodyError naming what is wrong."""
    cap = max_bytes or limits.max_body_bytes
    declared = request.headers.get("content-length")
    if declared is not None:
        if not declared.isdigit():
            raise BodyError(400, "Content-Length: expected a non-negative integer")
        if int(declared) > cap:
            raise BodyError(413, f"body larger than {cap} bytes")
    encoding = request.headers.get("content-encoding", "identity").strip().lower()
    if encoding not in ("identity", "gzip"):
        raise BodyError(415, f"Content-Encoding {encoding!r}: expected gzip or none")
    raw = bytearray()
    async for chunk in request.stream():
        raw += chunk
        if len(raw) > cap:
            raise BodyError(413, f"body larger than {cap} bytes")
    data = bytes(raw)
    if encoding == "gzip":
        data = _gunzip(data, limits.max_inflated_bytes)
    return parse_json(data, limits.max_json_depth)


def _gunzip(data: bytes, cap: int) -> bytes:
    inflater = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS)
    try:
        out = inflater.decompress(data, cap + 1)
    except zlib.error as exc:
        raise BodyError(400, f"body: not valid gzip ({exc})") from None
    if len(out) > cap or inflater.unconsumed_tail:
        raise BodyError(413, f"body larger than {cap} bytes once decompressed")
    if not inflater.eof:
        raise BodyError(400, "body: not valid gzip (the stream ends early)")
    return out


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def parse_json(data: bytes, max_depth: int) -> Any:
    """Strict JSON (no NaN/Infinity) nested at most `max_depth` levels deep."""
    try:
        document = json.loads(data, parse_constant=_no_constant)
    except RecursionError:
        raise BodyError(400, f"body: JSON nested more than {max_depth} levels deep") from None
    except ValueError as exc:
        raise BodyError(400, f"body: not valid JSON ({exc})") from None
    if _deeper_than(document, max_depth):
        raise BodyError(400, f"body: JSON nested more than {max_depth} levels deep")
    return document


def _deeper_than(document: Any, max_depth: int) -> bool:
    """Whether containers nest deeper than `max_depth` (iterative: no recursion limit)."""
    stack: list[tuple[Any, int]] = [(document, 1)]
    while stack:
        node, depth = stack.pop()
        if isinstance(node, dict):
            children: Any = node.values()
        elif isinstance(node, list):
            children = node
        else:
            continue
        if depth > max_depth:
            return True
        stack.extend((child, depth + 1) for child in children if isinstance(child, dict | list))
    return False
