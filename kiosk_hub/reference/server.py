"""The reference backend: the protocol's executable specification, with fault injection.

It is a reference for the ministry's integrators and the server every sync test talks to over
loopback; it is not the ministry's production server.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import random
import re
import socket
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

from kiosk.content import load_pack
from kiosk.content.loader import FORM_SUFFIXES
from kiosk.core.errors import ContentError
from kiosk.protocol.payload import SCHEMA_VERSION, canonical_json
from kiosk_hub.reference.loop_documents import feed_document, results_document
from kiosk_hub.reference.response_check import UUID, check_response, open_contact
from kiosk_hub.reference.store import BackendStore, Incoming
from kiosk_hub.reference.tokens import Access, TokenBindings
from kiosk_hub.reference.wire import (
    MAX_BODY_BYTES,
    BodyRefusedError,
    declared_length,
    parse_json,
    problem,
    read_body,
)

log = logging.getLogger(__name__)
MAX_BATCH = 5000
MAX_ID_CHARS = 64  # a refused response's id is echoed and stored at most this long
SOCKET_TIMEOUT_S = 30.0  # an idle or half-open connection is closed after this
ALLOWED = {
    "batches": "POST",
    "content": "GET",
    "heartbeat": "POST",
    "feed": "GET",
    "results": "GET",
}
BATCH_FIELDS = frozenset({"schema_version", "batch_id", "responses"})
__all__ = ["MAX_BODY_BYTES", "Faults", "ReferenceBackend"]
ROUTE = re.compile(
    r"^/v1/devices/(?P<device>[A-Za-z0-9_.-]{1,64})/(?P<what>batches|content|heartbeat|feed|results)$"
)


@dataclass(frozen=True)
class Faults:
    """What the server does wrong, as shares of batch requests (0 to 1), for tests and demos."""

    error_share: float = 0.0  # answer 503
    latency_s: float = 0.0  # wait before handling a batch
    throttle_share: float = 0.0  # answer 429 with Retry-After
    retry_after_s: int = 1
    drop_before_share: float = 0.0  # close the connection before committing the batch
    drop_after_share: float = 0.0  # commit the batch, then close without answering
    conflict_share: float = 0.0  # answer `conflict` for a share of new responses
    seed: int = 0


def public_form_ids(directory: Path) -> list[str]:
    """The forms of the served pack marked `public: true`: the only ones results cover."""
    return [form.id for form in load_pack(directory).forms if form.public]


def pack_files(directory: Path) -> tuple[str, list[dict[str, str]]]:
    """The content pack as served, and its ETag (a hash of every file name and text)."""
    files = [
        {"name": p.name, "text": p.read_text(encoding="utf-8")}
        for p in sorted(directory.iterdir())
        if p.suffix in FORM_SUFFIXES and p.is_file()
    ]
    digest = hashlib.sha256(canonical_json(files)).hexdigest()[:32]
    return f'"{digest}"', files


@dataclass
class _Shared:
    store: BackendStore
    tokens: TokenBindings
    content_dir: Path
    faults: Faults
    contact_key: X25519PrivateKey | None = None
    feed_path: Path | None = None  # None: the bundled sample feed
    rng: random.Random = field(default_factory=random.Random)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def feed(self) -> dict[str, Any]:
        if self.feed_path is None:
            return feed_document()
        document: dict[str, Any] = json.loads(self.feed_path.read_text(encoding="utf-8"))
        return document

    def roll(self, share: float) -> bool:
        if share <= 0:
            return False
        with self.lock:
            return self.rng.random() < share


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "kiosk-reference-backend/1"
    shared: _Shared  # set on the subclass made per server

    def log_message(self, format: str, *args: Any) -> None:
        log.debug("%s %s", self.address_string(), format % args)

    def __getattr__(self, name: str) -> Any:
        # BaseHTTPRequestHandler answers 501 for a method it has no do_X for; this protocol
        # knows every method it serves, so any other one is 405 with the Allow header.
        if name.startswith("do_"):
            return self._method_not_allowed
        raise AttributeError(name)

    def _reply(
        self,
        status: int,
        document: Any = None,
        headers: dict[str, str] | None = None,
        content_type: str = "application/json",
    ) -> None:
        body = b"" if document is None else json.dumps(document).encode("utf-8")
        self.send_response(status)
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        if document is not None:
            self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _problem(
        self, status: int, detail: str, headers: dict[str, str] | None = None, **extra: Any
    ) -> None:
        self._reply(status, problem(status, detail, **extra), headers, "application/problem+json")

    def _method_not_allowed(self) -> None:
        match = ROUTE.match(self.path)
        allow = ALLOWED[match["what"]] if match else "GET, POST"
        if self.command != "HEAD":
            self._discard_body()
        self.close_connection = True
        self._problem(405, f"{self.command} is not allowed here", {"Allow": allow})

    def _discard_body(self) -> None:
        """Read a body the answer does not need, so the connection stays in step (bounded)."""
        try:
            length = declared_length(self.headers.get("Content-Length"))
        except BodyRefusedError:
            self.close_connection = True
            return
        self.rfile.read(length)

    def _drop(self) -> None:
        """Close without a word: the client sees a dropped connection."""
        self.close_connection = True
        with contextlib.suppress(OSError):
            self.connection.shutdown(socket.SHUT_RDWR)

    def _route(self, method: str) -> tuple[str, str] | None:
        match = ROUTE.match(self.path)
        if match is None:
            self.close_connection = True
            self._problem(404, "no such endpoint")
            return None
        if ALLOWED[match["what"]] != method:
            self._method_not_allowed()
            return None
        given = self.headers.get("Authorization", "")
        token = given[len("Bearer ") :] if given.startswith("Bearer ") else ""
        access = self.shared.tokens.check(token, match["device"]) if token else Access.UNKNOWN
        if access is not Access.GRANTED:
            self.close_connection = True
            if access is Access.OTHER_DEVICE:
                self._problem(403, "this token belongs to another device")
            else:
                self._problem(401, "missing or wrong device token")
            return None
        return match["device"], match["what"]

    def _body(self) -> Any:
        length = declared_length(self.headers.get("Content-Length"))
        data = read_body(self.rfile, length, self.headers.get("Content-Encoding"))  # type: ignore[arg-type]
        return parse_json(data)

    def do_GET(self) -> None:
        route = self._route("GET")
        if route is None:
            return
        device_id, what = route
        if what == "feed":
            self._conditional(self.shared.feed(), None)
            return
        if what == "results":
            self._results(device_id)
            return
        etag, files = pack_files(self.shared.content_dir)
        if self.headers.get("If-None-Match") == etag:
            self._reply(304, headers={"ETag": etag})
            return
        self._reply(200, {"etag": etag, "files": files}, {"ETag": etag})

    def _conditional(self, document: dict[str, Any], tagged: Any) -> None:
        """200 with an ETag over `tagged` (default: the whole document), or 304 if it matches."""
        digest = hashlib.sha256(canonical_json(document if tagged is None else tagged))
        etag = f'"{digest.hexdigest()[:32]}"'
        if self.headers.get("If-None-Match") == etag:
            self._reply(304, headers={"ETag": etag})
            return
        self._reply(200, document, {"ETag": etag})

    def _results(self, device_id: str) -> None:
        try:
            public = public_form_ids(self.shared.content_dir)
        except ContentError as exc:
            self._problem(500, f"the served content pack does not load: {exc}")
            return
        document = results_document(device_id, public, self.shared.store.accepted_complete())
        # The ETag leaves out `generated_at`: same totals, same tag, so the kiosk gets a 304.
        self._conditional(document, document["forms"])

    def do_POST(self) -> None:
        route = self._route("POST")
        if route is None:
            return
        device_id, what = route
        try:
            document = self._body()
        except BodyRefusedError as exc:
            self.close_connection = True  # what is left of the body is not read
            self._problem(exc.status, exc.detail)
            return
        if what == "heartbeat":
            trouble = heartbeat_problem(document)
            if trouble is not None:
                self._problem(400, trouble)
                return
            self.shared.store.record_heartbeat(device_id, document)
            self._reply(204)
            return
        self._batch(device_id, document)

    def _batch(self, device_id: str, document: Any) -> None:
        shared, faults = self.shared, self.shared.faults
        if faults.latency_s:
            time.sleep(faults.latency_s)
        if shared.roll(faults.error_share):
            self._problem(503, "injected fault: service unavailable")
            return
        if shared.roll(faults.throttle_share):
            self._reply(
                429,
                {"error": "injected fault: slow down"},
                {"Retry-After": str(faults.retry_after_s)},
            )
            return
        if shared.roll(faults.drop_before_share):
            self._drop()
            return
        trouble = _batch_problem(document)
        if trouble is not None:
            self._problem(400, trouble)
            return
        incoming = []
        for response in document["responses"]:
            problem = check_response(response, device_id)
            encoded = canonical_json(response)
            given = response.get("id") if isinstance(response, dict) else None
            incoming.append(
                Incoming(
                    # A refused response's id may be anything: kept and echoed only this long.
                    id=given[:MAX_ID_CHARS] if isinstance(given, str) else "",
                    content_hash=hashlib.sha256(encoded).hexdigest(),
                    document=encoded.decode("utf-8"),
                    problem=problem,
                    forced_conflict=problem is None and shared.roll(faults.conflict_share),
                    contact=None if problem else open_contact(shared.contact_key, response),
                )
            )
        verdicts = shared.store.receive_batch(device_id, document["batch_id"], incoming)
        if shared.roll(faults.drop_after_share):
            self._drop()  # the dangerous case: committed here, unknown to the kiosk
            return
        self._reply(
            200,
            {
                "batch_id": document["batch_id"],
                "verdicts": [
                    {"response_id": rid, "verdict": verdict, "reason": reason}
                    for rid, verdict, reason in verdicts
                ],
            },
        )


def _batch_problem(document: Any) -> str | None:
    if not isinstance(document, dict):
        return "a batch is a JSON object"
    unknown = sorted(str(key)[:40] for key in set(document) - BATCH_FIELDS)
    if unknown:
        return f"unknown batch fields {unknown[:5]}"
    version = document.get("schema_version")
    if type(version) is not int or version != SCHEMA_VERSION:
        return f"schema_version: expected {SCHEMA_VERSION}"
    batch_id = document.get("batch_id")
    if not isinstance(batch_id, str) or not UUID.match(batch_id):
        return "batch_id: expected a lower-case UUID"
    responses = document.get("responses")
    if not isinstance(responses, list) or not 1 <= len(responses) <= MAX_BATCH:
        return f"responses: expected a list of 1 to {MAX_BATCH} responses"
    return None


HEARTBEAT_FIELDS: dict[str, type | tuple[type, ...]] = {
    # field: JSON type; every field is optional and may be null (kiosk.protocol.wire.Heartbeat)
    "sent_at": str,
    "queue_depth": int,
    "quarantined": int,
    "oldest_unsent_age_s": (int, float),
    "last_success_at": str,
    "free_disk_bytes": int,
    "app_version": str,
    "content_version": str,
}


def heartbeat_problem(document: Any) -> str | None:
    """Why a heartbeat does not follow docs/openapi.yaml's Heartbeat, or None."""
    if not isinstance(document, dict):
        return "a heartbeat is a JSON object"
    for key, kind in HEARTBEAT_FIELDS.items():
        if key not in document:
            continue  # every field is optional (kiosk.protocol.wire.Heartbeat)
        value = document[key]
        if value is None:
            continue  # and every field may be null
        if kind is int and isinstance(value, float) and value.is_integer():
            value = int(value)  # JSON Schema: 3.0 is an integer
        if not isinstance(value, kind) or isinstance(value, bool):
            expected = "an integer" if kind is int else "a string" if kind is str else "a number"
            return f"{key}: expected {expected}"
        if key in ("queue_depth", "quarantined") and isinstance(value, int) and value < 0:
            return f"{key}: expected an integer >= 0"
    return None


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        # A client that went away mid-answer (a killed kiosk, an injected drop) is expected here,
        # not a traceback on stderr.
        log.info("request from %s ended early", client_address[0], exc_info=True)


class ReferenceBackend:
    """A running reference server on a loopback port, with its own SQLite store."""

    def __init__(
        self,
        db_path: Path,
        content_dir: Path,
        token: str | None = None,
        faults: Faults | None = None,
        host: str = "127.0.0.1",
        port: int = 0,
        contact_key: X25519PrivateKey | None = None,
        tokens: Mapping[str, str | None] | None = None,
        socket_timeout_s: float = SOCKET_TIMEOUT_S,
    ) -> None:
        """`token` serves one device (the first to present it); `tokens` maps each token to
        its device id (None: the first to present it); with neither, any token is accepted and
        bound to the first device that presents it."""
        self.store = BackendStore(db_path)
        self.tokens = TokenBindings(
            Path(db_path), {**(tokens or {}), **({token: None} if token else {})}
        )
        self._shared = _Shared(
            self.store, self.tokens, Path(content_dir), faults or Faults(), contact_key
        )
        self.faults = faults or Faults()
        handler = type(
            "Handler", (_Handler,), {"shared": self._shared, "timeout": socket_timeout_s}
        )
        self._server = _Server((host, port), handler)
        self._thread: threading.Thread | None = None

    @property
    def faults(self) -> Faults:
        return self._shared.faults

    @faults.setter
    def faults(self, faults: Faults) -> None:
        with self._shared.lock:
            self._shared.faults = faults
            self._shared.rng = random.Random(faults.seed)

    @property
    def content_dir(self) -> Path:
        return self._shared.content_dir

    @content_dir.setter
    def content_dir(self, directory: Path) -> None:
        self._shared.content_dir = Path(directory)

    @property
    def feed_path(self) -> Path | None:
        """The feed document served (a JSON file); None serves the bundled sample."""
        return self._shared.feed_path

    @feed_path.setter
    def feed_path(self, path: Path | None) -> None:
        self._shared.feed_path = None if path is None else Path(path)

    @property
    def port(self) -> int:
        return int(self._server.server_address[1])

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> ReferenceBackend:
        self._thread = threading.Thread(
            target=self._server.serve_forever, name="reference-backend", daemon=True
        )
        self._thread.start()
        return self

    def serve_forever(self) -> None:
        self._server.serve_forever()

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self.store.close()
        self.tokens.close()

    def __enter__(self) -> ReferenceBackend:
        return self.start()

    def __exit__(self, *_exc: object) -> None:
        self.stop()
