"""Links to the hub's mobile web forms, which the kiosk shows as QR codes for a visitor's phone.

The hub serves every offered form at `<base>` (the list) and `<base>/<form_id>?lang=ko|en` (one
form in one language), where `<base>` is the configured `[feedback] phone_form_url`.
"""

from __future__ import annotations

from urllib.parse import quote


def phone_form_link(base: str, form_id: str | None = None, language: str | None = None) -> str:
    """The list of forms, or one form in one language, on the hub at `base` (no trailing "/")."""
    if form_id is None:
        return base
    link = f"{base}/{quote(form_id, safe='')}"
    return f"{link}?lang={quote(language, safe='')}" if language else link
