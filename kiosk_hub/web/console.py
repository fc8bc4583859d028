"""The staff console under /console: sign-in, overview, live results, free text, answers and the
feed, the fleet, exports and the audit log (content packs: packs_console). Every request by a
signed-in account is audited.

Roles, each including the ones before it: viewer (overview, results, fleet, answers read-only),
analyst (free text, keywords, exports, quarterly report), editor (answers and the feed), admin
(accounts, audit log).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from kiosk_hub import queries
from kiosk_hub.api.app import db_session
from kiosk_hub.db.models import AlertRow, ResponseRow, UserRow
from kiosk_hub.devices import device_statuses
from kiosk_hub.users import create_user
from kiosk_hub.web import auth, cases, stats
from kiosk_hub.web.auth import ROLES, SESSION_COOKIE, Staff
from kiosk_hub.web.models import STATES, AuditRow, CaseEventRow, CaseRow
from kiosk_hub.web.pages import SEOUL, FormTooLargeError, form_fields, no_nul, render

router = APIRouter(prefix="/console", include_in_schema=False, dependencies=[Depends(no_nul)])
DbSession = Annotated[Session, Depends(db_session)]

NAV = [
    ("/console", "개요", "Overview", "viewer"),
    ("/console/results", "실시간 결과", "Live results", "viewer"),
    ("/console/opinions", "의견·제안", "Opinions", "analyst"),
    ("/console/keywords", "키워드", "Keywords", "analyst"),
    ("/console/cases", "답변·피드", "Answers & feed", "viewer"),
    ("/console/fleet", "키오스크", "Kiosks", "viewer"),
    ("/console/packs", "콘텐츠 팩", "Content packs", "viewer"),
    ("/console/quarterly", "분기 보고", "Quarterly", "analyst"),
    ("/console/export", "내보내기", "Export", "analyst"),
    ("/console/qr", "QR 코드", "QR codes", "viewer"),
    ("/console/users", "계정", "Accounts", "admin"),
    ("/console/audit", "감사 기록", "Audit log", "admin"),
]


def _today() -> date:
    return datetime.now(SEOUL).date()


def page(
    request: Request, staff: Staff, template: str, status: int = 200, **context: Any
) -> HTMLResponse:
    nav = [(href, ko, en) for href, ko, en, role in NAV if staff.may(role)]
    return render(request, template, status=status, staff=staff, nav=nav, **context)


def guard(request: Request, session: Session, role: str) -> Staff | Response:
    """The signed-in account if its role allows `role`, else the sign-in page or a refusal."""
    staff = auth.staff_for(session, request.cookies.get(SESSION_COOKIE))
    if staff is None:
        target = urlencode({"next": request.url.path})
        return RedirectResponse(f"/console/login?{target}", status_code=303)
    if not staff.may(role):
        auth.audit(session, staff.name, "refused", request.url.path, role=staff.role)
        session.commit()
        return page(request, staff, "console/refused.html", status=403, needed=role)
    auth.audit(session, staff.name, f"{request.method.lower()} {request.url.path}", "",
               query=dict(request.query_params))  # fmt: skip
    session.commit()
    return staff


async def posted(request: Request, staff: Staff) -> dict[str, str] | None:
    """The form fields of a POST whose CSRF token matches the session's, else None."""
    try:
        fields = await form_fields(request)
    except FormTooLargeError:
        return None
    return fields if auth.csrf_ok(staff, fields.get("csrf")) else None


def refused_csrf(request: Request, staff: Staff) -> HTMLResponse:
    return page(request, staff, "console/refused.html", status=403, needed="csrf")


# Sign-in --------------------------------------------------------------------------------


@router.get("/login")
def login_page(request: Request, error: str = "") -> Response:
    return render(
        request, "console/login.html", error=error, next=request.query_params.get("next", "")
    )


@router.post("/login")
async def login(request: Request, session: DbSession) -> Response:
    try:
        fields = await form_fields(request)
    except FormTooLargeError:
        fields = {}
    try:
        token = auth.sign_in(session, fields.get("name", ""), fields.get("password", ""))
    except auth.SignInError as exc:
        session.commit()
        return render(request, "console/login.html", status=401, error=str(exc), next="")
    session.commit()
    target = fields.get("next", "")
    if not target.startswith("/console") or "//" in target:
        target = "/console"
    response = RedirectResponse(target, status_code=303)
    response.set_cookie(
        SESSION_COOKIE, token, httponly=True, samesite="strict", path="/",
        max_age=int(auth.SESSION_LIFETIME.total_seconds()),
        secure=request.url.scheme == "https" or request.headers.get("x-forwarded-proto") == "https",
    )  # fmt: skip
    return response


@router.post("/logout")
async def logout(request: Request, session: DbSession) -> Response:
    staff = guard(request, session, "viewer")
    if not isinstance(staff, Staff):
        return staff
    if await posted(request, staff) is None:
        return refused_csrf(request, staff)
    auth.sign_out(session, request.cookies.get(SESSION_COOKIE, ""))
    auth.audit(session, staff.name, "sign-out")
    session.commit()
    response = RedirectResponse("/console/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


# Overview and results --------------------------------------------------------------------


@router.get("")
def overview(request: Request, session: DbSession, days: int = 14, form: str = "") -> Response:
    staff = guard(request, session, "viewer")
    if not isinstance(staff, Staff):
        return staff
    days = min(max(days, 1), 92)
    pack = stats.current_pack(request, session)
    found = stats.counts(session, days, form or None, _today())
    return page(
        request, staff, "console/overview.html",
        counts=found, days=days, form=form, titles=stats.form_titles(pack),
        peak=max([n for _, n in found.by_day] + [1]),
    )  # fmt: skip


@router.get("/results")
def live_results(request: Request, session: DbSession) -> Response:
    staff = guard(request, session, "viewer")
    if not isinstance(staff, Staff):
        return staff
    pack = stats.current_pack(request, session)
    public = [f for f in pack.forms if f.public] if pack else []
    document = queries.results(session, "console", [f.id for f in public])
    return page(request, staff, "console/results.html", forms=public, document=document)


# Free text ------------------------------------------------------------------------------


def _date(value: str) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


@router.get("/opinions")
def opinions(request: Request, session: DbSession) -> Response:
    staff = guard(request, session, "analyst")
    if not isinstance(staff, Staff):
        return staff
    q = request.query_params
    filters = stats.TextFilters(
        form=q.get("form", ""), topic=q.get("topic", ""), kiosk=q.get("kiosk", ""),
        flag=q.get("flag", ""), since=_date(q.get("since", "")), until=_date(q.get("until", "")),
        search=q.get("q", "")[:100],
    )  # fmt: skip
    pack = stats.current_pack(request, session)
    items = stats.free_texts(session, pack, filters)
    answered = set(
        session.scalars(select(CaseRow.response_id).where(CaseRow.response_id.isnot(None)))
    )
    return page(
        request, staff, "console/opinions.html",
        items=items, filters=filters, titles=stats.form_titles(pack),
        text_forms=list(stats.free_text_questions(pack)), topics=stats.topics(pack),
        kiosks=[d.id for d in device_statuses(session)], answered=answered,
    )  # fmt: skip


@router.get("/keywords")
def keyword_page(request: Request, session: DbSession, weeks: int = 8, form: str = "") -> Response:
    staff = guard(request, session, "analyst")
    if not isinstance(staff, Staff):
        return staff
    from kiosk_hub.web import keywords

    weeks = min(max(weeks, 2), 26)
    this_week = keywords.week_of(datetime.now(UTC))
    mondays = [this_week - timedelta(weeks=n) for n in range(weeks - 1, -1, -1)]
    pack = stats.current_pack(request, session)
    items = stats.free_texts(
        session, pack, stats.TextFilters(form=form, since=mondays[0]), limit=5000
    )
    analysis = keywords.analyse(
        ((i.submitted_at, i.topic, " ".join(t for _, t in i.texts)) for i in items), mondays
    )
    return page(
        request, staff, "console/keywords.html", analysis=analysis, weeks=weeks, form=form,
        titles=stats.form_titles(pack), text_forms=list(stats.free_text_questions(pack)),
        topics=stats.topics(pack),
    )  # fmt: skip


# Answers and the feed --------------------------------------------------------------------


@router.get("/cases")
def case_list(request: Request, session: DbSession) -> Response:
    staff = guard(request, session, "viewer")
    if not isinstance(staff, Staff):
        return staff
    rows = list(session.scalars(select(CaseRow).order_by(CaseRow.updated_at.desc())))
    return page(request, staff, "console/cases.html", cases=rows)


@router.get("/cases/edit")
def case_form(
    request: Request, session: DbSession, id: str = "", response: str = "", topic: str = ""
) -> Response:
    staff = guard(request, session, "editor")
    if not isinstance(staff, Staff):
        return staff
    case = session.get(CaseRow, id) if id else None
    if case is None and response:
        case = session.scalar(select(CaseRow).where(CaseRow.response_id == response))
    if case is None and topic:
        case = session.scalar(select(CaseRow).where(CaseRow.topic == topic))
    id = case.id if case else id
    events = (
        list(session.scalars(select(CaseEventRow).where(CaseEventRow.case_id == id).order_by(CaseEventRow.at)))
        if case
        else []
    )  # fmt: skip
    source = None
    response_id = case.response_id if case else (response or None)
    if response_id:
        document = session.scalar(select(ResponseRow.document).where(ResponseRow.id == response_id))
        source = document
    pack = stats.current_pack(request, session)
    suggested = id or (
        f"proposal-{response[:8]}" if response else f"topic-{topic}" if topic else ""
    )
    return page(
        request, staff, "console/case_edit.html",
        case=case, events=events, states=STATES, source=source, response_id=response_id,
        topic=case.topic if case else (topic or None), suggested_id=suggested,
        topics=stats.topics(pack), error="", values={},
    )  # fmt: skip


@router.post("/cases")
async def case_save(request: Request, session: DbSession) -> Response:
    staff = guard(request, session, "editor")
    if not isinstance(staff, Staff):
        return staff
    fields = await posted(request, staff)
    if fields is None:
        return refused_csrf(request, staff)
    try:
        progress = int(fields.get("progress", "0") or 0)
    except ValueError:
        progress = -1
    given = cases.CaseInput(
        id=fields.get("id", "").strip(),
        response_id=fields.get("response_id") or None,
        topic=fields.get("topic") or None,
        state=fields.get("state", ""),
        title_ko=fields.get("title_ko", ""), title_en=fields.get("title_en", ""),
        answer_ko=fields.get("answer_ko", ""), answer_en=fields.get("answer_en", ""),
        progress=progress, published=fields.get("published") == "on",
        note_ko=fields.get("note_ko", ""), note_en=fields.get("note_en", ""),
    )  # fmt: skip
    problems = given.problems()
    existing = session.get(CaseRow, given.id) if not problems else None
    if existing is not None and (existing.response_id, existing.topic) != (
        given.response_id,
        given.topic,
    ):
        problems.append(f"id {given.id!r} answers something else already")
    if given.response_id and session.get(ResponseRow, given.response_id) is None:
        problems.append("response: no such response")
    if problems:
        pack = stats.current_pack(request, session)
        return page(
            request, staff, "console/case_edit.html", status=400,
            case=existing, events=[], states=STATES, source=None, response_id=given.response_id,
            topic=given.topic, suggested_id=given.id, topics=stats.topics(pack),
            error="; ".join(problems), values=fields,
        )  # fmt: skip
    cases.save_case(session, given)
    auth.audit(session, staff.name, "answer saved", given.id, state=given.state,
               published=given.published, progress=given.progress)  # fmt: skip
    session.commit()
    lang = "en" if request.query_params.get("lang") == "en" else "ko"
    return RedirectResponse(f"/console/cases/edit?id={given.id}&lang={lang}", status_code=303)


@router.get("/qr")
def qr_codes(request: Request, session: DbSession) -> Response:
    """QR codes of the phone forms, to print beside the kiosks or show on their screens."""
    staff = guard(request, session, "viewer")
    if not isinstance(staff, Staff):
        return staff
    import qrcode
    import qrcode.image.svg
    from markupsafe import Markup

    from kiosk_hub.web.webforms import offered_forms

    def svg(data: str) -> Markup:
        image = qrcode.make(data, image_factory=qrcode.image.svg.SvgPathImage, border=2)
        # Only module paths: nothing of `data` appears in the markup.
        return Markup(image.to_string(encoding="unicode"))

    base = str(request.base_url).rstrip("/")
    if request.headers.get("x-forwarded-proto") == "https":
        base = "https://" + base.split("://", 1)[1]
    pack = stats.current_pack(request, session)
    forms = offered_forms(pack, datetime.now(UTC)) if pack else []
    codes = [(None, f"{base}/w")] + [(f, f"{base}/w/{f.id}") for f in forms]
    return page(request, staff, "console/qr.html", codes=[(f, u, svg(u)) for f, u in codes])


# The quarterly satisfaction report -------------------------------------------------------


def _quarterly(request: Request, session: Session) -> tuple[Any, list[Any], dict[Any, Any]]:
    from kiosk_hub.web import quarterly

    pack = stats.current_pack(request, session)
    rows = quarterly.report(session, pack) if pack else []
    questions = {
        (f.id, q.id): (dict(f.title), dict(q.text))
        for f in (pack.forms if pack else ())
        for q in f.questions
    }
    return pack, rows, questions


@router.get("/quarterly")
def quarterly_page(request: Request, session: DbSession) -> Response:
    staff = guard(request, session, "analyst")
    if not isinstance(staff, Staff):
        return staff
    _, rows, questions = _quarterly(request, session)
    return page(request, staff, "console/quarterly.html", rows=rows, questions=questions)


@router.get("/quarterly.xlsx")
def quarterly_xlsx(request: Request, session: DbSession) -> Response:
    staff = guard(request, session, "analyst")
    if not isinstance(staff, Staff):
        return staff
    _, rows, questions = _quarterly(request, session)
    language = "en" if request.query_params.get("lang") == "en" else "ko"
    header = (
        ["분기", "양식", "질문", "유형", "응답 수", "평균", "4·5점 비율(%)", "NPS"]
        if language == "ko"
        else ["Quarter", "Form", "Question", "Type", "Answers", "Mean", "Share of 4-5 (%)", "NPS"]
    )
    body = [
        [r.quarter, questions[(r.form_id, r.question_id)][0][language],
         questions[(r.form_id, r.question_id)][1][language], r.kind, r.count, r.mean,
         r.top_share, r.nps]
        for r in rows
    ]  # fmt: skip
    auth.audit(session, staff.name, "export quarterly xlsx", "", rows=len(body))
    session.commit()
    return Response(
        stats.to_xlsx("satisfaction", header, body),
        media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        headers={
            "Content-Disposition": f'attachment; filename="satisfaction-{_today().isoformat()}.xlsx"',
            "Cache-Control": "no-store",
        },
    )


# Fleet -----------------------------------------------------------------------------------


@router.get("/fleet")
def fleet(request: Request, session: DbSession) -> Response:
    staff = guard(request, session, "viewer")
    if not isinstance(staff, Staff):
        return staff
    alerts = list(
        session.scalars(
            select(AlertRow)
            .where(AlertRow.cleared_at.is_(None))
            .order_by(AlertRow.raised_at.desc())
        )
    )
    now = datetime.now(UTC)
    return page(
        request,
        staff,
        "console/fleet.html",
        devices=device_statuses(session),
        alerts=alerts,
        now=now,
    )


# Exports ---------------------------------------------------------------------------------


@router.get("/export")
def export_page(request: Request, session: DbSession) -> Response:
    staff = guard(request, session, "analyst")
    if not isinstance(staff, Staff):
        return staff
    pack = stats.current_pack(request, session)
    return page(request, staff, "console/export.html", forms=pack.forms if pack else ())


def _export(
    request: Request, session: Session, form_id: str, kind: str, make: Callable[..., bytes]
) -> Response:
    staff = guard(request, session, "analyst")
    if not isinstance(staff, Staff):
        return staff
    pack = stats.current_pack(request, session)
    form = next((f for f in pack.forms if f.id == form_id), None) if pack else None
    if form is None:
        return page(request, staff, "console/refused.html", status=404, needed="form")
    language = "en" if request.query_params.get("lang") == "en" else "ko"
    header, rows = stats.export_rows(session, form, language)
    auth.audit(session, staff.name, f"export {kind}", form.id, rows=len(rows))
    session.commit()
    stamp = _today().isoformat()
    if kind == "csv":
        body, media = make(header, rows), "text/csv; charset=utf-8"
    else:
        body = make(form.id, header, rows)
        media = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return Response(
        body,
        media_type=media,
        headers={"Content-Disposition": f'attachment; filename="{form.id}-{stamp}.{kind}"',
                 "Cache-Control": "no-store"},
    )  # fmt: skip


@router.get("/export.csv")
def export_csv(request: Request, session: DbSession, form: str = "") -> Response:
    return _export(request, session, form, "csv", stats.to_csv)


@router.get("/export.xlsx")
def export_xlsx(request: Request, session: DbSession, form: str = "") -> Response:
    return _export(request, session, form, "xlsx", stats.to_xlsx)


# Accounts and audit ----------------------------------------------------------------------


@router.get("/users")
def users(request: Request, session: DbSession, error: str = "") -> Response:
    staff = guard(request, session, "admin")
    if not isinstance(staff, Staff):
        return staff
    rows = list(session.scalars(select(UserRow).order_by(UserRow.name)))
    return page(request, staff, "console/users.html", users=rows, roles=ROLES, error=error,
                role_of=auth.role_of)  # fmt: skip


@router.post("/users")
async def add_user(request: Request, session: DbSession) -> Response:
    staff = guard(request, session, "admin")
    if not isinstance(staff, Staff):
        return staff
    fields = await posted(request, staff)
    if fields is None:
        return refused_csrf(request, staff)
    role = fields.get("role", "")
    name = fields.get("name", "").strip()
    try:
        if role not in ROLES or not name:
            raise ValueError(f"role: one of {', '.join(ROLES)}; a name is required")
        create_user(session, name, fields.get("password", ""), role, fields.get("email") or None)
    except ValueError as exc:
        session.rollback()
        return RedirectResponse(f"/console/users?{urlencode({'error': str(exc)})}", status_code=303)
    auth.audit(session, staff.name, "account created", name, role=role)
    session.commit()
    return RedirectResponse("/console/users", status_code=303)


@router.get("/audit")
def audit_log(request: Request, session: DbSession) -> Response:
    staff = guard(request, session, "admin")
    if not isinstance(staff, Staff):
        return staff
    rows = list(session.scalars(select(AuditRow).order_by(AuditRow.seq.desc()).limit(300)))
    return page(request, staff, "console/audit.html", rows=rows)
