"""What the reference backend serves to close the loop: the sample feed and the results document."""

from __future__ import annotations

import json
from typing import Any

from kiosk.feedback.feed import SAMPLE_FEED
from kiosk.protocol.results import Accepted, results_document


def feed_document() -> dict[str, Any]:
    """The bundled sample feed, as the reference backend's GET .../feed body."""
    document: dict[str, Any] = json.loads(SAMPLE_FEED.read_text(encoding="utf-8"))
    return document


__all__ = ["Accepted", "feed_document", "results_document"]
