"""The kiosk's forms on one's own phone: /w lists them, /w/{form_id} asks and stores.

Reached from a QR code of the hub's address + /w (or + /w/{form_id} for one form). A response
is stored with the channel "web", gets a receipt code like the kiosk's, and counts in results.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from kiosk.content import ContentPack, Form
from kiosk.feedback.receipts import format_code
from kiosk_hub.api.app import db_session
from kiosk_hub.web import cases, stats, webforms
from kiosk_hub.web.pages import MAX_FORM_BYTES, no_nul, parse_form, render
from kiosk_hub.web.receipt import client_secret
from kiosk_hub.web.texts import language_of

router = APIRouter(prefix="/w", include_in_schema=False, dependencies=[Depends(no_nul)])
DbSession = Annotated[Session, Depends(db_session)]


def _offered(request: Request, session: Session) -> tuple[ContentPack | None, list[Form]]:
    """The forms open now, of the pack the lobby shows (else the `--content` folder)."""
    pack = stats.current_pack(request, session)
    forms = webforms.offered_forms(pack, datetime.now(UTC)) if pack else []
    return pack, forms


def _consent_offered(pack: ContentPack | None, form: Form) -> bool:
    consent = pack.consent if pack else None
    return (
        consent is not None
        and form.kind in consent.offered_after
        and webforms.contact_key() is not None
    )


@router.get("")
def form_index(request: Request, session: DbSession) -> Response:
    _, forms = _offered(request, session)
    return render(request, "web/index.html", forms=forms)


@router.get("/{form_id}")
def form_page(form_id: str, request: Request, session: DbSession) -> Response:
    pack, forms = _offered(request, session)
    form = next((f for f in forms if f.id == form_id), None)
    if form is None or pack is None:
        return render(request, "web/missing.html", status=404)
    return render(
        request, "web/form.html", form=form, values={}, problems={},
        started=datetime.now(UTC).isoformat(), **_consent_context(pack, form),
    )  # fmt: skip


def _consent_context(
    pack: ContentPack,
    form: Form,
    fields: dict[str, list[str]] | None = None,
    problems: dict[str, str] | None = None,
) -> dict[str, Any]:
    if not _consent_offered(pack, form):
        return {"consent": None}
    given = fields or {}
    return {
        "consent": pack.consent,
        "retention_days": webforms.retention_days(),
        "consent_given": {k: v[-1] for k, v in given.items() if k.startswith(("consent_", "contact_"))},
        "contact_problems": problems or {},
    }  # fmt: skip


@router.post("/{form_id}")
async def form_submit(form_id: str, request: Request, session: DbSession) -> Response:
    pack, forms = _offered(request, session)
    form = next((f for f in forms if f.id == form_id), None)
    if form is None or pack is None:
        return render(request, "web/missing.html", status=404)
    body = await request.body()
    if len(body) > MAX_FORM_BYTES:
        return render(request, "web/missing.html", status=413)
    fields = parse_form(body)
    outcome = webforms.answers_from(form, fields)
    language = language_of(request.query_params.get("lang"), request.headers.get("accept-language"))
    key = webforms.contact_key() if _consent_offered(pack, form) else None
    contact = webforms.contact_from(pack, fields) if key is not None else None
    contact_problems = contact.problems if contact else {}
    if outcome.problems or contact_problems:
        return render(
            request, "web/form.html", status=400, form=form, problems=outcome.problems,
            values={k[2:]: v for k, v in fields.items() if k.startswith("q_")},
            started=fields.get("started", [""])[-1],
            **_consent_context(pack, form, fields, contact_problems),
        )  # fmt: skip
    now = datetime.now(UTC)
    # Its own key (another secret), so answering does not use up the receipt look-ups.
    address = request.client.host if request.client else "-"
    client = cases.client_key(address, client_secret() + ":web-forms")
    if cases.over_limit(session, client, now):
        return render(request, "web/busy.html", status=429)
    try:
        started = datetime.fromisoformat(fields.get("started", [""])[-1])
        started = started if started.tzinfo else now
    except ValueError:
        started = now
    extra = (
        webforms.consent_fields(pack, contact, key)
        if contact is not None and key is not None and contact.answered
        else None
    )
    code = webforms.store_web_response(
        session, pack, form, outcome.answers, language, started, [], extra
    )
    cases.record_lookup(session, client, True, now)
    session.commit()
    return render(
        request, "web/done.html", form=form, shown_code=format_code(code), masked=outcome.masked
    )
