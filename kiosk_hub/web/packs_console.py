"""Content packs in the console (/console/packs): upload, the problems the kiosk's loader found, a
read-only preview of each form, publish to chosen kiosks or to all, withdraw.

Everyone signed in sees the packs; uploading, publishing and withdrawing need the editor role.
Every change carries the session's CSRF token and goes to the audit log.
"""

from __future__ import annotations

from email.parser import BytesParser
from email.policy import HTTP
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from kiosk.content.models import ContentPack
from kiosk_hub import packs
from kiosk_hub.api.app import db_session, hub_state
from kiosk_hub.devices import device_statuses
from kiosk_hub.pack_archive import ArchiveError, ArchiveLimits
from kiosk_hub.web import auth, webforms
from kiosk_hub.web.auth import Staff
from kiosk_hub.web.console import guard, page, refused_csrf
from kiosk_hub.web.models import ALL_KIOSKS, PackRow
from kiosk_hub.web.pages import MAX_FORM_BYTES, no_nul, parse_form

router = APIRouter(prefix="/console/packs", include_in_schema=False, dependencies=[Depends(no_nul)])
DbSession = Annotated[Session, Depends(db_session)]
LIMITS = ArchiveLimits()
MAX_UPLOAD_BYTES = LIMITS.max_archive_bytes + 64_000  # the archive and the form's other fields


class UploadError(ValueError):
    """The upload request itself is unusable (size, encoding, missing file)."""


async def _multipart(request: Request) -> tuple[dict[str, str], tuple[str, bytes] | None]:
    """The text fields and the one file of a multipart/form-data body, size-limited."""
    kind = request.headers.get("content-type", "")
    if not kind.startswith("multipart/form-data"):
        raise UploadError("expected a multipart/form-data upload")
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_UPLOAD_BYTES:
            raise UploadError(f"the archive: larger than {LIMITS.max_archive_bytes} bytes")
    header = f"Content-Type: {kind}\r\n\r\n".encode("latin-1", errors="replace")
    message = BytesParser(policy=HTTP).parsebytes(header + bytes(body))
    if not message.is_multipart():
        raise UploadError("expected a multipart/form-data upload")
    fields: dict[str, str] = {}
    upload: tuple[str, bytes] | None = None
    for part in message.iter_parts():
        name = str(part.get_param("name", header="content-disposition") or "")
        data = part.get_payload(decode=True)
        data = data if isinstance(data, bytes) else b""
        filename = part.get_filename()
        if filename is not None:
            if data:
                upload = (str(filename).replace("\x00", ""), data)
        else:
            fields[name] = data.decode("utf-8", errors="replace").replace("\x00", "")
    return fields, upload


def _pack_or_404(
    request: Request, session: Session, staff: Staff, pack_id: int
) -> PackRow | Response:
    pack = session.get(PackRow, pack_id)
    if pack is None:
        return page(request, staff, "console/refused.html", status=404, needed="pack")
    return pack


def _lang(request: Request) -> str:
    return "en" if request.query_params.get("lang") == "en" else "ko"


@router.get("")
def pack_list(request: Request, session: DbSession, error: str = "") -> Response:
    staff = guard(request, session, "viewer")
    if not isinstance(staff, Staff):
        return staff
    return _list_page(request, session, staff, error)


def _list_page(
    request: Request, session: Session, staff: Staff, error: str, status: int = 200
) -> Response:
    rows = list(session.scalars(select(PackRow).order_by(PackRow.id.desc()).limit(200)))
    targets = {row.id: packs.targets_of(session, row.id) for row in rows}
    return page(
        request, staff, "console/packs.html", status=status, packs=rows, targets=targets,
        error=error, all_kiosks=ALL_KIOSKS, max_bytes=LIMITS.max_archive_bytes,
    )  # fmt: skip


@router.post("")
async def pack_upload(request: Request, session: DbSession) -> Response:
    staff = guard(request, session, "editor")
    if not isinstance(staff, Staff):
        return staff
    try:
        fields, upload = await _multipart(request)
    except UploadError as exc:
        return _list_page(request, session, staff, str(exc), status=400)
    if not auth.csrf_ok(staff, fields.get("csrf")):
        return refused_csrf(request, staff)
    if upload is None:
        return _list_page(request, session, staff, "choose a zip or tar.gz file", status=400)
    name, data = upload
    try:
        pack = packs.upload(session, data, name, fields.get("title", ""), staff.name, LIMITS)
    except ArchiveError as exc:
        session.rollback()
        auth.audit(session, staff.name, "pack refused", name, reason=str(exc))
        session.commit()
        return _list_page(request, session, staff, str(exc), status=400)
    auth.audit(session, staff.name, "pack uploaded", str(pack.id), version=pack.version,
               title=pack.title, problems=len(pack.problems))  # fmt: skip
    session.commit()
    return RedirectResponse(f"/console/packs/{pack.id}?lang={_lang(request)}", status_code=303)


def _loaded(request: Request, session: Session, pack: PackRow) -> ContentPack | None:
    """The pack as the kiosk's loader reads it, parsed once per process (the hub's pack cache),
    or None when it has problems."""
    return None if pack.problems else hub_state(request).loaded_packs.get(session, pack.id)


@router.get("/{pack_id}")
def pack_page(request: Request, session: DbSession, pack_id: int, error: str = "") -> Response:
    staff = guard(request, session, "viewer")
    if not isinstance(staff, Staff):
        return staff
    pack = _pack_or_404(request, session, staff, pack_id)
    if not isinstance(pack, PackRow):
        return pack
    loaded = _loaded(request, session, pack)
    return page(
        request, staff, "console/pack.html", pack=pack, forms=loaded.forms if loaded else (),
        targets=packs.targets_of(session, pack.id), devices=device_statuses(session),
        all_kiosks=ALL_KIOSKS, error=error,
        signing_key=hub_state(request).settings.signing_key is not None,
    )  # fmt: skip


@router.get("/{pack_id}/preview/{form_id}")
def pack_preview(request: Request, session: DbSession, pack_id: int, form_id: str) -> Response:
    """One form of the pack as phones and kiosks show it, inside a disabled fieldset (GET only)."""
    staff = guard(request, session, "viewer")
    if not isinstance(staff, Staff):
        return staff
    pack = _pack_or_404(request, session, staff, pack_id)
    if not isinstance(pack, PackRow):
        return pack
    loaded = _loaded(request, session, pack)
    form = next((f for f in loaded.forms if f.id == form_id), None) if loaded else None
    if form is None:
        return page(request, staff, "console/refused.html", status=404, needed="form")
    # The consent part, read-only like the questions, after the forms the consent text names.
    texts = loaded.consent if loaded else None
    consent = texts if texts is not None and form.kind in texts.offered_after else None
    return page(
        request, staff, "web/form.html", form=form, pack=pack, preview=True, values={},
        problems={}, started="", consent=consent, retention_days=webforms.retention_days(),
        consent_given={}, contact_problems={},
    )  # fmt: skip


async def _posted_lists(request: Request, staff: Staff) -> dict[str, list[str]] | None:
    body = await request.body()
    if len(body) > MAX_FORM_BYTES:
        return None
    fields = parse_form(body)
    given = fields.get("csrf", [None])[-1]
    return fields if auth.csrf_ok(staff, given) else None


@router.post("/{pack_id}/publish")
async def pack_publish(request: Request, session: DbSession, pack_id: int) -> Response:
    staff = guard(request, session, "editor")
    if not isinstance(staff, Staff):
        return staff
    fields = await _posted_lists(request, staff)
    if fields is None:
        return refused_csrf(request, staff)
    pack = _pack_or_404(request, session, staff, pack_id)
    if not isinstance(pack, PackRow):
        return pack
    chosen = [ALL_KIOSKS] if fields.get("all") == ["on"] else fields.get("device", [])
    try:
        packs.publish(session, pack, chosen, hub_state(request).settings.signing_key, staff.name)
    except packs.PackError as exc:
        session.rollback()
        return RedirectResponse(
            f"/console/packs/{pack_id}?lang={_lang(request)}&error={_quote(str(exc))}",
            status_code=303,
        )
    auth.audit(session, staff.name, "pack published", str(pack.id), version=pack.version,
               targets=sorted(set(chosen)))  # fmt: skip
    session.commit()
    return RedirectResponse(f"/console/packs/{pack_id}?lang={_lang(request)}", status_code=303)


@router.post("/{pack_id}/withdraw")
async def pack_withdraw(request: Request, session: DbSession, pack_id: int) -> Response:
    staff = guard(request, session, "editor")
    if not isinstance(staff, Staff):
        return staff
    if await _posted_lists(request, staff) is None:
        return refused_csrf(request, staff)
    pack = _pack_or_404(request, session, staff, pack_id)
    if not isinstance(pack, PackRow):
        return pack
    targets = packs.targets_of(session, pack.id)
    packs.withdraw(session, pack)
    auth.audit(session, staff.name, "pack withdrawn", str(pack.id), version=pack.version,
               targets=targets)  # fmt: skip
    session.commit()
    return RedirectResponse(f"/console/packs/{pack_id}?lang={_lang(request)}", status_code=303)


def _quote(text: str) -> str:
    from urllib.parse import quote

    return quote(text[:300])
