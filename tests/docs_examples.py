"""The examples that the docs give, read from the markdown itself so that the tests check them."""

from __future__ import annotations

import re
from pathlib import Path

DOCS = Path(__file__).resolve().parent.parent / "docs"


def example_form_yaml() -> str:
    """The YAML block that follows the `<!-- example-form ... -->` marker in docs/content.md."""
    page = (DOCS / "content.md").read_text(encoding="utf-8")
    found = re.search(r"<!-- example-form\b.*?-->\s*```yaml\n(.*?)```", page, re.DOTALL)
    assert found, "docs/content.md: the example-form block is missing"
    return found.group(1)
