"""Content packs: forms declared in YAML, validated into frozen pydantic models.

The names below load their modules on first use (PEP 562), so that importing a light part of the
package, such as kiosk.content.answers for the visit's answer rules, does not import the YAML
loader and the pydantic models: the attract screen is painted before either is needed.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kiosk.content.loader import load_pack, validate_paths
    from kiosk.content.models import ContentPack, Form, Question

__all__ = ["ContentPack", "Form", "Question", "load_pack", "validate_paths"]

_HOMES = {
    "ContentPack": "kiosk.content.models",
    "Form": "kiosk.content.models",
    "Question": "kiosk.content.models",
    "load_pack": "kiosk.content.loader",
    "validate_paths": "kiosk.content.loader",
}


def __getattr__(name: str) -> object:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'kiosk.content' has no attribute {name!r}")
    return getattr(importlib.import_module(home), name)
