"""Load a content pack from YAML files and report every problem with file and path."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from kiosk.content.models import DEFAULT_LANGUAGES, ConsentText, ContentPack, Form, Question
from kiosk.core.errors import ContentError

FORM_SUFFIXES = (".yaml", ".yml")
CONSENT_FILES = ("consent.yaml", "consent.yml")  # the consent text, not a form


class _UniqueKeyLoader(yaml.SafeLoader):
    """A SafeLoader that refuses a key given twice (PyYAML keeps the last one silently)."""


def _mapping_without_duplicates(loader: yaml.SafeLoader, node: yaml.MappingNode) -> dict[Any, Any]:
    seen: set[Any] = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node)
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None, None, f"key {key!r} given twice", key_node.start_mark
            )
        seen.add(key)
    mapping: dict[Any, Any] = loader.construct_mapping(node)
    return mapping


_UniqueKeyLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping_without_duplicates
)


def _path(loc: Sequence[int | str]) -> str:
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or "(top level)"


def _reference_problems(raw: dict[str, Any]) -> list[tuple[str, str]]:
    """Checks on the raw questions, so they run even when other fields are wrong: unique ids,
    and show_if naming an earlier question."""
    questions = raw.get("questions")
    if not isinstance(questions, list):
        return []
    ids = [q.get("id") if isinstance(q, dict) else None for q in questions]
    problems: list[tuple[str, str]] = []
    for index, question in enumerate(questions):
        if not isinstance(question, dict):
            continue
        here = f"questions[{index}]"
        if question.get("id") is not None and question.get("id") in ids[:index]:
            problems.append((f"{here}.id", f"question id {question['id']!r} is used twice"))
        condition = question.get("show_if")
        target = condition.get("question") if isinstance(condition, dict) else None
        if target is not None and target not in ids[:index]:
            why = "a later question" if target in ids else "no question of this form"
            problems.append(
                (
                    f"{here}.show_if.question",
                    f"names {target!r}, which is {why}; expected the id of an earlier question",
                )
            )
    return problems


def _condition_problems(form: Form) -> list[tuple[str, str]]:
    """Whether each show_if can hold for the answers its earlier question allows."""
    problems: list[tuple[str, str]] = []
    for index, question in enumerate(form.questions):
        condition = question.show_if
        target = form.question(condition.question) if condition else None
        if condition is not None and target is not None and target is not question:
            problems.extend(
                (f"questions[{index}].show_if", message)
                for message in _condition_fits(condition, target)
            )
    return problems


def _condition_fits(condition: Any, target: Question) -> list[str]:
    values = [condition.equals] if condition.equals is not None else list(condition.any_of or [])
    if condition.includes is not None:
        if target.type != "multi_choice":
            return [f"'includes' needs a multi_choice question, {target.id!r} is {target.type}"]
        values = [condition.includes]
    elif target.type == "multi_choice":
        return [f"{target.id!r} is multi_choice: test it with 'includes'"]
    problems = []
    for value in values:
        if target.options is not None and target.option(str(value)) is None:
            problems.append(f"{value!r} is not an option of {target.id!r}")
        elif target.type == "yes_no" and not isinstance(value, bool):
            problems.append(f"{target.id!r} is yes_no: compare with true or false, not {value!r}")
        elif target.scale and (
            isinstance(value, bool)
            or not isinstance(value, int)
            or not target.scale[0] <= value <= target.scale[1]
        ):
            problems.append(f"{value!r} is outside {target.id!r}'s scale {target.scale}")
        elif target.type == "free_text":
            problems.append(f"{target.id!r} is free text and cannot be a condition")
    return problems


def _read_yaml(path: Path) -> tuple[Any, list[str]]:
    try:
        raw = yaml.load(path.read_text(encoding="utf-8"), Loader=_UniqueKeyLoader)
    except (OSError, UnicodeDecodeError) as exc:
        return None, [f"{path}: cannot read: {exc}"]
    except yaml.YAMLError as exc:
        where = getattr(exc, "problem_mark", None)
        line = f" (line {where.line + 1}, column {where.column + 1})" if where else ""
        reason = getattr(exc, "problem", None) or str(exc)
        return None, [f"{path}{line}: not valid YAML: {reason}"]
    return raw, []


def _model_problems(path: Path, exc: ValidationError) -> list[str]:
    problems = []
    for item in exc.errors():
        value = (
            "" if item["type"] in ("missing", "extra_forbidden") else f" (found {item['input']!r})"
        )
        message = "unknown key" if item["type"] == "extra_forbidden" else item["msg"]
        problems.append(f"{path}: {_path(item['loc'])}: {message}{value}")
    return problems


def load_consent(
    path: Path, languages: Sequence[str] = DEFAULT_LANGUAGES
) -> tuple[ConsentText | None, list[str]]:
    """Parse and validate the consent text; returns it (or None) and every problem found."""
    raw, problems = _read_yaml(path)
    if problems:
        return None, problems
    if not isinstance(raw, dict):
        return None, [
            f"{path}: expected a mapping with the consent fields, found {type(raw).__name__}"
        ]
    try:
        return ConsentText.model_validate(raw, context={"languages": list(languages)}), []
    except ValidationError as exc:
        return None, _model_problems(path, exc)


def load_form(
    path: Path, languages: Sequence[str] = DEFAULT_LANGUAGES
) -> tuple[Form | None, list[str]]:
    """Parse and validate one form file; returns the form (or None) and every problem found."""
    raw, read_problems = _read_yaml(path)
    if read_problems:
        return None, read_problems
    if not isinstance(raw, dict):
        return None, [
            f"{path}: expected a mapping with the form's fields, found {type(raw).__name__}"
        ]
    found = _reference_problems(raw)
    problems = []
    try:
        form: Form | None = Form.model_validate(raw, context={"languages": list(languages)})
    except ValidationError as exc:
        form = None
        problems.extend(_model_problems(path, exc))
    if form is not None and not found:
        found = _condition_problems(form)
    problems.extend(f"{path}: {where}: {message}" for where, message in found)
    return (form if not problems else None), problems


def _form_files(paths: Iterable[Path]) -> tuple[list[Path], list[str]]:
    files: list[Path] = []
    problems: list[str] = []
    for path in paths:
        if path.is_dir():
            found = sorted(
                p
                for p in path.iterdir()
                if p.suffix in FORM_SUFFIXES and p.is_file() and p.name not in CONSENT_FILES
            )
            if not found:
                problems.append(f"{path}: no form files (*.yaml) in this directory")
            files.extend(found)
        elif path.is_file():
            files.append(path)
        else:
            problems.append(f"{path}: no such file or directory")
    return files, problems


def validate_paths(
    paths: Iterable[Path], languages: Sequence[str] = DEFAULT_LANGUAGES
) -> tuple[list[Form], list[str]]:
    """Validate form files and directories; returns the good forms and every problem."""
    paths = list(paths)
    files, problems = _form_files(paths)
    forms: list[Form] = []
    seen: dict[str, Path] = {}
    for consent_file in _consent_files(paths):
        problems.extend(load_consent(consent_file, languages)[1])
    for file in files:
        if file.name in CONSENT_FILES:
            continue
        form, found = load_form(file, languages)
        problems.extend(found)
        if form is None or found:
            continue
        if form.id in seen:
            problems.append(f"{file}: id: form id {form.id!r} is also used by {seen[form.id]}")
            continue
        seen[form.id] = file
        forms.append(form)
    return forms, problems


def _consent_files(paths: Iterable[Path]) -> list[Path]:
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(path / name for name in CONSENT_FILES if (path / name).is_file())
        elif path.is_file() and path.name in CONSENT_FILES:
            found.append(path)
    return found


def load_pack(directory: Path, languages: Sequence[str] = DEFAULT_LANGUAGES) -> ContentPack:
    """Load a whole pack; any problem refuses the pack (ContentError lists them all)."""
    forms, problems = validate_paths([directory], languages)
    if problems:
        raise ContentError(problems)
    consent = None
    for consent_file in _consent_files([directory]):
        consent = load_consent(consent_file, languages)[0]
    return ContentPack(forms=tuple(forms), consent=consent)
