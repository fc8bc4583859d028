"""The public receipt page, /r/{code}: what the kiosk's QR code opens.

An unknown code, a malformed one and a client over its look-up limit all get the same page with
the same status, so a guesser learns nothing from the answer's shape.
"""

from __future__ import annotations

import os
import secrets
from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from kiosk.feedback.receipts import format_code, parse_code
from kiosk_hub.api.app import db_session
from kiosk_hub.web import cases
from kiosk_hub.web.models import STATES
from kiosk_hub.web.pages import render

# No NUL check here: a code with one is just another unknown code (parse_code refuses it).
router = APIRouter(include_in_schema=False)
DbSession = Annotated[Session, Depends(db_session)]
# Keys the hash of client addresses in the look-up table; share it between app processes
# behind one load balancer (KIOSK_HUB_WEB_SECRET), or each process limits on its own.
_SECRET = os.environ.get("KIOSK_HUB_WEB_SECRET") or secrets.token_hex(16)


def client_secret() -> str:
    return _SECRET


@router.get("/r")
def receipt_lookup(request: Request, code: str | None = None) -> Response:
    """A form to type a code; a typed code goes to its page."""
    if code:
        parsed = parse_code(code)
        target = format_code(parsed) if parsed else "unknown"
        lang = request.query_params.get("lang", "")
        suffix = f"?lang={lang}" if lang in ("ko", "en") else ""
        return RedirectResponse(f"/r/{target}{suffix}", status_code=303)
    return render(request, "receipt_lookup.html")


@router.get("/r/{code}")
def receipt_page(code: str, request: Request, session: DbSession) -> Response:
    now = datetime.now(UTC)
    client = cases.client_key(request.client.host if request.client else "-", _SECRET)
    view = None
    if not cases.over_limit(session, client, now):
        view = cases.receipt_view(session, code[:40])
    cases.record_lookup(session, client, view is not None, now)
    session.commit()
    if view is None:
        # The same page whatever the code was: the language switch leads to the look-up form.
        return render(request, "receipt_unknown.html", status=404, switch_path="/r")
    return render(
        request,
        "receipt.html",
        view=view,
        shown_code=format_code(view.code),
        states=STATES,
    )
