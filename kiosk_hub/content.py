"""The `--content` folder as the hub serves it (its files and ETag), and the feed document."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from kiosk.content.loader import FORM_SUFFIXES
from kiosk.feedback.feed import SAMPLE_FEED
from kiosk.protocol.payload import canonical_json


def pack_files(directory: Path) -> tuple[str, list[dict[str, str]]]:
    """The pack as served (`{"name", "text"}` per form file) and its ETag over names and texts."""
    files = [
        {"name": p.name, "text": p.read_text(encoding="utf-8")}
        for p in sorted(directory.iterdir())
        if p.suffix in FORM_SUFFIXES and p.is_file()
    ]
    return etag_of(files), files


def feed_document(path: Path | None) -> dict[str, Any]:
    """The feed served at GET .../feed: the given JSON file, or the bundled sample."""
    document: dict[str, Any] = json.loads((path or SAMPLE_FEED).read_text(encoding="utf-8"))
    return document


def etag_of(document: Any) -> str:
    return f'"{hashlib.sha256(canonical_json(document)).hexdigest()[:32]}"'
