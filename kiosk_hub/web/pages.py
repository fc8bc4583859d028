"""Rendering: one Jinja2 environment (autoescaped), the page context, form bodies."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlencode
from zoneinfo import ZoneInfo

from fastapi import HTTPException, Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, select_autoescape

from kiosk_hub.web.texts import LANGUAGES, language_of, text

HERE = Path(__file__).resolve().parent
SEOUL = ZoneInfo("Asia/Seoul")
MAX_FORM_BYTES = 200_000

ENV = Environment(
    loader=FileSystemLoader(HERE / "templates"),
    autoescape=select_autoescape(["html"]),
    trim_blocks=True,
    lstrip_blocks=True,
)


def local_time(moment: datetime | None, with_time: bool = True) -> str:
    if moment is None:
        return "—"
    shown = moment.astimezone(SEOUL)
    return shown.strftime("%Y-%m-%d %H:%M" if with_time else "%Y-%m-%d")


ENV.filters["local"] = local_time
ENV.filters["local_date"] = lambda m: local_time(m, with_time=False)


def render(
    request: Request,
    template: str,
    status: int = 200,
    switch_path: str | None = None,
    **context: Any,
) -> HTMLResponse:
    """A page in the request's language: `t(key)` for shared texts, `tr(ko, en)` inline."""
    language = language_of(request.query_params.get("lang"), request.headers.get("accept-language"))
    other = next(code for code in LANGUAGES if code != language)
    query = dict(request.query_params)
    query["lang"] = other
    html = ENV.get_template(template).render(
        lang=language,
        other_lang=other,
        switch_url=f"{switch_path or request.url.path}?{urlencode(query)}",
        lang_query=f"lang={language}",
        t=lambda key: text(key, language),
        tr=lambda ko, en: ko if language == "ko" else en,
        path=request.url.path,
        **context,
    )
    return HTMLResponse(
        html,
        status_code=status,
        headers={
            "Content-Language": language,
            "Cache-Control": "no-store",
            "X-Content-Type-Options": "nosniff",
            "Referrer-Policy": "no-referrer",
            "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; "
            "style-src 'self'; script-src 'self'; form-action 'self'; frame-ancestors 'none'",
        },
    )


class FormTooLargeError(Exception):
    pass


async def form_fields(request: Request) -> dict[str, str]:
    """An application/x-www-form-urlencoded body as a dict (last value of each field wins)."""
    body = await request.body()
    if len(body) > MAX_FORM_BYTES:
        raise FormTooLargeError(f"form: more than {MAX_FORM_BYTES} bytes")
    return {key: values[-1] for key, values in parse_form(body).items()}


def parse_form(body: bytes) -> dict[str, list[str]]:
    """Every value of a url-encoded body, without NUL characters (PostgreSQL cannot store them)."""
    parsed = parse_qs(body.decode("utf-8", errors="replace"), keep_blank_values=True)
    return {
        key.replace("\x00", ""): [v.replace("\x00", "") for v in values]
        for key, values in parsed.items()
    }


def no_nul(request: Request) -> None:
    """Refuse a query or path with a NUL character before it reaches the database."""
    if "\x00" in request.url.path or any("\x00" in v for v in request.query_params.values()):
        raise HTTPException(400, "a NUL character is not allowed in a query")
