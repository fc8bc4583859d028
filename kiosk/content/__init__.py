"""Content packs: forms declared in YAML, validated into frozen pydantic models."""

from kiosk.content.loader import load_pack, validate_paths
from kiosk.content.models import ContentPack, Form, Question

__all__ = ["ContentPack", "Form", "Question", "load_pack", "validate_paths"]
