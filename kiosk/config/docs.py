"""docs/configuration.md, written from the pydantic models: the settings are declared only once.

    python -m kiosk.config.docs > docs/configuration.md      (or `make docs`)

tests/unit/test_config_docs.py fails when the file and the models differ.
"""

from __future__ import annotations

import inspect
import json
import types
from pathlib import Path
from typing import Any, Literal, Union, get_args, get_origin

import annotated_types
from pydantic import BaseModel
from pydantic.fields import FieldInfo
from pydantic_core import PydanticUndefined

from kiosk.config.settings import KioskConfig

INTRO = """\
# Device configuration

<!-- Generated from kiosk/config/settings.py by `make docs`; edit the models, not this file. -->

One TOML file per kiosk: the bundled default is `config/kiosk.toml`; `--config PATH` or
`$KIOSK_CONFIG` choose another. Every key is declared once, in `kiosk/config/settings.py`, with its
type, range, default and description, and this page is written from those declarations. An
unknown key, a wrong type or a value out of range stops the kiosk with a message that names the
file and the key (`kiosk.toml: visit.idle_timeout_s: Input should be greater than or equal to 10
(found 2)`). Relative paths are relative to the config file. Every command also takes
`--data-dir DIR`, which replaces `device.data_dir`, so several kiosks' data can sit side by side.
"""


def type_name(annotation: Any) -> str:
    """The TOML-facing name of a field's type."""
    origin, args = get_origin(annotation), get_args(annotation)
    if origin in (Union, types.UnionType):
        kept = [arg for arg in args if arg is not type(None)]
        name = " or ".join(type_name(arg) for arg in kept)
        return f"{name} (optional)" if len(kept) < len(args) else name
    if origin is Literal:
        return " or ".join(f"`{value}`" for value in args)
    if origin is list:
        return f"list of {type_name(args[0])}s" if args else "list"
    if origin is dict:
        return f"table of {type_name(args[1])}s" if args else "table"
    names = {str: "text", int: "integer", float: "number", bool: "true or false"}
    if annotation in names:
        return names[annotation]
    if isinstance(annotation, type) and issubclass(annotation, Path):
        return "path"
    return getattr(annotation, "__name__", str(annotation))


def _number(value: Any) -> str:
    return f"{value:,}".replace(",", " ") if isinstance(value, int) else str(value)


def range_text(field: FieldInfo) -> str:
    """The bounds and pattern pydantic enforces, in words."""
    low = high = ""
    shortest: int | None = None
    longest: int | None = None
    parts: list[str] = []
    for item in field.metadata:
        if isinstance(item, annotated_types.Ge):
            low = _number(item.ge)
        elif isinstance(item, annotated_types.Gt):
            low = f"> {_number(item.gt)}"
        elif isinstance(item, annotated_types.Le):
            high = _number(item.le)
        elif isinstance(item, annotated_types.Lt):
            high = f"< {_number(item.lt)}"
        elif isinstance(item, annotated_types.MinLen):
            shortest = item.min_length
        elif isinstance(item, annotated_types.MaxLen):
            longest = item.max_length
        elif getattr(item, "pattern", None):
            parts.append(f"matches `{item.pattern}`")
    if shortest is not None or longest is not None:
        unit = "entries" if get_origin(field.annotation) is list else "characters"
        if longest is not None:
            parts.insert(0, f"{shortest or 0}–{longest} {unit}")
        else:
            parts.insert(0, "not empty" if shortest == 1 else f"at least {shortest} {unit}")
    if low and high:
        bounds = f"{low}–{high}" if not low.startswith(">") and not high.startswith("<") else ""
        bounds = bounds or f"{low}, ≤ {high}".replace("≤ <", "<")
    elif low:
        bounds = low if low.startswith(">") else f"≥ {low}"
    elif high:
        bounds = high if high.startswith("<") else f"≤ {high}"
    else:
        bounds = ""
    return "; ".join(([bounds] if bounds else []) + parts)


def default_text(field: FieldInfo) -> str:
    """The default as it would be written in TOML; "none" when the key may be left out."""
    if field.default_factory is not None:
        value = field.default_factory()  # type: ignore[call-arg]
    elif field.default is PydanticUndefined:
        return "required"
    else:
        value = field.default
    if value is None:
        return "none"
    if isinstance(value, bool):
        return f"`{str(value).lower()}`"
    if isinstance(value, Path):
        value = str(value)
    if isinstance(value, list):
        value = [str(item) if isinstance(item, Path) else item for item in value]
    if isinstance(value, dict) and not value:
        return "empty"
    return f"`{json.dumps(value, ensure_ascii=False)}`"


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def section(name: str, model: type[BaseModel]) -> str:
    doc = inspect.cleandoc(model.__doc__ or "")
    lines = [f"## `[{name}]`", "", doc, ""]
    lines += ["| key | type | default | range | description |", "| --- | --- | --- | --- | --- |"]
    for key, field in model.model_fields.items():
        cells = (
            f"`{name}.{key}`",
            type_name(field.annotation),
            default_text(field),
            _cell(range_text(field)),
            _cell(field.description or ""),
        )
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def render() -> str:
    """The whole of docs/configuration.md."""
    parts = [INTRO]
    for name, field in KioskConfig.model_fields.items():
        model = field.annotation
        if isinstance(model, type) and issubclass(model, BaseModel):
            parts.append(section(name, model))
    return "\n".join(parts)


if __name__ == "__main__":
    print(render(), end="")
