"""Structured logs for the hub: one JSON object a line, with no tokens and no personal data.

Only the fields named here are written; request bodies, headers and query strings never reach
a log record, so neither bearer tokens nor what visitors wrote can end up in a log file.
"""

from __future__ import annotations

import json
import logging
import sys
from datetime import UTC, datetime

SAFE_EXTRAS = ("method", "path", "status", "device_id", "batch_id", "responses", "duration_ms")


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, object] = {
            "at": datetime.fromtimestamp(record.created, UTC).isoformat(),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for key in SAFE_EXTRAS:
            if hasattr(record, key):
                entry[key] = getattr(record, key)
        if record.exc_info and record.exc_info[0] is not None:
            entry["error"] = record.exc_info[0].__name__
            entry["trace"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


def configure_logging(level: int = logging.INFO) -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
