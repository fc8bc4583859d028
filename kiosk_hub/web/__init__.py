"""The hub's web pages: the public receipt page, the mobile web forms and the staff console.

Server-rendered (Jinja2 templates in templates/, one stylesheet in static/), no JavaScript
framework: every page works with a keyboard, a screen reader and at 200% zoom.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

STATIC = Path(__file__).resolve().parent / "static"


def mount(app: FastAPI) -> None:
    """Add the web routes and the stylesheet to the hub's app (called by the app factory)."""
    from kiosk_hub.web import answer, console, packs_console, receipt

    app.include_router(receipt.router)
    app.include_router(answer.router)
    app.include_router(console.router)
    app.include_router(packs_console.router)
    app.mount("/static/web", StaticFiles(directory=STATIC), name="web-static")
