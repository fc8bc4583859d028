"""Rules of the house that no linter checks: the reader of the code has no issue tracker."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TRACKER = re.compile(r"\bissues? #?\d+", re.IGNORECASE)


def test_no_tracker_references_in_code_or_docs() -> None:
    files = [
        path
        for folder in ("kiosk", "kiosk_hub", "tests", "bench", "docs")
        for path in (ROOT / folder).rglob("*")
        if path.suffix in (".py", ".md", ".yaml", ".toml") and path != Path(__file__).resolve()
    ]
    assert len(files) > 100
    found = [
        f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
        for path in files
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if TRACKER.search(line)
    ]
    assert found == [], "say what the code does, not which ticket asked for it"
