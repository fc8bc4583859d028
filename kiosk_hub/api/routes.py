"""The routes of docs/sync-protocol.md, under /v1/devices/{device_id}/."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Header, Path, Request, Response
from fastapi.responses import JSONResponse
from sqlalchemy.orm import Session

from kiosk.content.signing import sign_pack
from kiosk.core.errors import ContentError
from kiosk.feedback.feed import Feed
from kiosk.protocol.payload import SCHEMA_VERSION
from kiosk.protocol.wire import PROBLEM_MEDIA_TYPE, BatchVerdicts, ContentPack, Results
from kiosk_hub import content, devices, ingest, packs, queries
from kiosk_hub.api.app import db_session, hub_state, problem
from kiosk_hub.api.limits import read_json
from kiosk_hub.reference.response_check import UUID

router = APIRouter(prefix="/v1/devices/{device_id}")


def _header(name: str, description: str, schema: dict[str, Any]) -> dict[str, Any]:
    return {"name": name, "in": "header", "description": description, "schema": schema}


IF_NONE_MATCH = {
    "parameters": [
        _header("If-None-Match", "The ETag the kiosk holds: 304 if unchanged.", {"type": "string"})
    ]
}


def _body(model: str, *headers: dict[str, Any]) -> dict[str, Any]:
    """The request body of a route, by its wire model (the body is read by `json_body`)."""
    schema = {"$ref": f"#/components/schemas/{model}"}
    return {
        "parameters": list(headers),
        "requestBody": {"required": True, "content": {"application/json": {"schema": schema}}},
    }


def _answers(ok: dict[int | str, Any], *errors: int) -> dict[int | str, Any]:
    """Documented answers: the route's own, and the errors every route may give."""
    described: dict[int | str, Any] = dict(ok)
    notes = {
        400: "The request is malformed (the reason names what and where).",
        401: "Missing, unknown or revoked token: the kiosk blocks sync, nothing is quarantined.",
        403: "The token belongs to another kiosk.",
        404: "No such endpoint.",
        405: "Method not allowed on this endpoint.",
        413: "The body is larger than allowed (as sent or once decompressed).",
        415: "A Content-Encoding other than gzip.",
        429: "Slow down; Retry-After says when to try again.",
        500: "Internal error: try again later.",
        503: "Unavailable or too slow: try again later (Retry-After).",
    }
    for status in (401, 403, 404, 405, 500, 503, *errors):
        described[status] = {"description": notes[status], "content": PROBLEM}
    return described


PROBLEM = {PROBLEM_MEDIA_TYPE: {"schema": {"$ref": "#/components/schemas/Error"}}}
ETAG = {"ETag": {"schema": {"type": "string"}, "description": "Send it back as If-None-Match."}}
DeviceId = Annotated[str, Path(pattern=r"^[A-Za-z0-9_.-]{1,64}$", max_length=64)]
DbSession = Annotated[Session, Depends(db_session)]
Authorization = Annotated[str | None, Header()]


async def json_body(request: Request) -> Any:
    """The request's JSON document, read within the hub's limits."""
    return await read_json(request, hub_state(request).settings.limits)


def batch_problem(document: Any, max_batch: int) -> str | None:
    """What is wrong with a batch's envelope, or None (its responses are judged one by one)."""
    if not isinstance(document, dict):
        return "a batch is a JSON object"
    extra = sorted(set(document) - {"batch_id", "responses", "schema_version"})
    if extra:
        return f"fields: unknown {extra}"
    if document.get("schema_version") != SCHEMA_VERSION:
        return f"schema_version: expected {SCHEMA_VERSION}"
    batch_id = document.get("batch_id")
    if not isinstance(batch_id, str) or not UUID.match(batch_id):
        return "batch_id: expected a lower-case UUID"
    responses = document.get("responses")
    if not isinstance(responses, list) or not 1 <= len(responses) <= max_batch:
        return f"responses: expected a list of 1 to {max_batch} responses"
    return None


@router.post(
    "/batches",
    operation_id="postBatch",
    openapi_extra=_body(
        "Batch",
        _header(
            "Idempotency-Key",
            "The batch id again, identical on every retry of the batch.",
            {"type": "string"},
        ),
    ),
    responses=_answers(
        {200: {"model": BatchVerdicts, "description": "Every response judged and committed."}},
        400, 413, 415, 429,
    ),
)  # fmt: skip
def post_batch(
    device_id: DeviceId,
    request: Request,
    session: DbSession,
    document: Annotated[Any, Depends(json_body)],
    authorization: Authorization = None,
) -> Any:
    """Store a batch exactly once; a verdict per response, committed before the answer.

    The body may be sent with `Content-Encoding: gzip` (the kiosk always compresses).
    """
    devices.authenticate(session, authorization, device_id)
    problem_text = batch_problem(document, hub_state(request).settings.limits.max_batch)
    if problem_text is not None:
        session.commit()  # keeps a first-use token binding
        return problem(400, problem_text)
    verdicts = ingest.receive_batch(session, device_id, document["batch_id"], document["responses"])
    session.commit()
    return {
        "batch_id": document["batch_id"],
        "verdicts": [
            {"response_id": rid, "verdict": verdict, "reason": reason}
            for rid, verdict, reason in verdicts
        ],
    }


@router.post(
    "/heartbeat",
    status_code=204,
    operation_id="postHeartbeat",
    openapi_extra=_body("Heartbeat"),
    responses=_answers({204: {"description": "Recorded."}}, 400, 413, 415),
)
def post_heartbeat(
    device_id: DeviceId,
    session: DbSession,
    document: Annotated[Any, Depends(json_body)],
    authorization: Authorization = None,
) -> Response:
    """Keep the kiosk's health report."""
    devices.authenticate(session, authorization, device_id)
    if not isinstance(document, dict):
        session.commit()
        return problem(400, "a heartbeat is a JSON object")
    devices.record_heartbeat(session, device_id, devices.without_nul(document))
    session.commit()
    return Response(status_code=204)


def _conditional(request: Request, document: Any, tagged: Any = None) -> Response:
    etag = content.etag_of(document if tagged is None else tagged)
    if request.headers.get("if-none-match") == etag:
        return Response(status_code=304, headers={"ETag": etag})
    return JSONResponse(document, headers={"ETag": etag})


@router.get(
    "/content",
    operation_id="getContent",
    openapi_extra=IF_NONE_MATCH,
    responses=_answers(
        {
            200: {"model": ContentPack, "headers": ETAG, "description": "The pack."},
            304: {"description": "Unchanged since the ETag given."},
        }
    ),
)
def get_content(
    device_id: DeviceId, request: Request, session: DbSession, authorization: Authorization = None
) -> Response:
    """The content pack, or 304 when the kiosk holds it already."""
    devices.authenticate(session, authorization, device_id)
    session.commit()
    settings = hub_state(request).settings
    # A pack published in the console to this kiosk, else to all kiosks, else the folder.
    published = packs.served_pack(session, device_id)
    if published is not None:
        etag = packs.served_etag(published.files, published.signature)
        if request.headers.get("if-none-match") == etag:
            return Response(status_code=304, headers={"ETag": etag})
        signed = {"etag": etag, "files": published.files, "signature": published.signature}
        return JSONResponse(signed, headers={"ETag": etag})
    _, files = content.pack_files(settings.content_dir)
    signature = None
    if settings.signing_key is not None:  # a new key (rotation) is a new ETag: kiosks pull again
        signature = sign_pack(settings.signing_key, [(f["name"], f["text"]) for f in files])
    etag = packs.served_etag(files, signature)
    if request.headers.get("if-none-match") == etag:
        return Response(status_code=304, headers={"ETag": etag})
    document: dict[str, Any] = {"etag": etag, "files": files}
    if signature is not None:
        document["signature"] = signature
    return JSONResponse(document, headers={"ETag": etag})


@router.get(
    "/feed",
    operation_id="getFeed",
    openapi_extra=IF_NONE_MATCH,
    responses=_answers(
        {
            200: {"model": Feed, "headers": ETAG, "description": "The feed."},
            304: {"description": "Unchanged since the ETag given."},
        }
    ),
)
def get_feed(
    device_id: DeviceId, request: Request, session: DbSession, authorization: Authorization = None
) -> Response:
    """The "you said, we did" feed."""
    devices.authenticate(session, authorization, device_id)
    session.commit()
    from kiosk_hub.web.cases import published_feed

    # What the console published, else the configured (or bundled sample) feed file.
    document = published_feed(session) or content.feed_document(
        hub_state(request).settings.feed_path
    )
    return _conditional(request, document)


@router.get(
    "/results",
    operation_id="getResults",
    openapi_extra=IF_NONE_MATCH,
    responses=_answers(
        {
            200: {"model": Results, "headers": ETAG, "description": "The totals."},
            304: {"description": "Unchanged since the ETag given."},
        }
    ),
)
def get_results(
    device_id: DeviceId, request: Request, session: DbSession, authorization: Authorization = None
) -> Response:
    """Live-results totals of the public forms; the ETag covers the totals only."""
    devices.authenticate(session, authorization, device_id)
    session.commit()
    # The public forms of the pack this kiosk is served (a published one, else the folder).
    state = hub_state(request)
    try:
        pack = packs.current_forms(
            session, state.settings.content_dir, state.loaded_packs, device_id
        )
    except ContentError as exc:
        return problem(500, f"the served content pack does not load: {exc}")
    public = [form.id for form in pack.forms if form.public]
    document = queries.results(session, device_id, public)
    return _conditional(request, document, document["forms"])
