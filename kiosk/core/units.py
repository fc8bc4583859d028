"""Quantities as people read them."""

from __future__ import annotations


def human_bytes(count: int) -> str:
    """A byte count in B, KB, MB, GB or TB (powers of 1024), one decimal from KB up."""
    size = float(count)
    for unit in ("B", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024
    return f"{size:.1f} TB"
