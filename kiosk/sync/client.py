"""The HTTP client of the sync protocol: one method per request, each outcome classified."""

from __future__ import annotations

import gzip
import json
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from kiosk.protocol.urls import check_backend_url
from kiosk.storage.outbox import Verdict
from kiosk.sync.backoff import parse_retry_after

if TYPE_CHECKING:
    import requests

log = logging.getLogger(__name__)
API = "/v1"
RETRYABLE_STATUS = frozenset({408, 429})
VERDICTS = ("accepted", "duplicate", "conflict", "rejected")


@dataclass(frozen=True, slots=True)
class Delivered:
    """The server answered with a verdict per response."""

    verdicts: tuple[tuple[str, Verdict, str | None], ...]


@dataclass(frozen=True, slots=True)
class RetryLater:
    """Can succeed later: timeout, connection error, 408, 429, 5xx, or a garbled answer."""

    reason: str
    retry_after_s: float | None = None


@dataclass(frozen=True, slots=True)
class Refused:
    """The server refused this request for good (a 4xx other than 401/403/408/429)."""

    reason: str


@dataclass(frozen=True, slots=True)
class Blocked:
    """Not the data's fault and not transient: bad token (401/403) or a TLS failure; staff must act."""

    reason: str


@dataclass(frozen=True, slots=True)
class NotModified:
    """The content pack has not changed since the ETag we hold."""


@dataclass(frozen=True, slots=True)
class ContentFiles:
    """A content pack as served: form files by name, and its ETag."""

    etag: str
    files: tuple[tuple[str, str], ...]
    signature: str | None = None  # base64 Ed25519 over the files, when the server signs


@dataclass(frozen=True, slots=True)
class Acknowledged:
    """A heartbeat the server took."""


BatchOutcome = Delivered | RetryLater | Refused | Blocked
ContentOutcome = ContentFiles | NotModified | RetryLater | Refused | Blocked
HeartbeatOutcome = Acknowledged | RetryLater | Refused | Blocked


class BackendClient:
    """Speaks the protocol of docs/sync-protocol.md; TLS is always verified, timeouts always set."""

    def __init__(
        self,
        base_url: str,
        device_id: str,
        token: str,
        connect_timeout_s: float,
        read_timeout_s: float,
        ca_bundle: Path | None = None,
        user_agent: str = "gwanghwamoon-kiosk",
    ) -> None:
        self.base_url = check_backend_url(base_url)
        self.device_id = device_id
        self._base = f"{self.base_url}{API}/devices/{quote(device_id, safe='')}"
        self._timeout = (connect_timeout_s, read_timeout_s)
        import requests  # here, not at import: it costs the kiosk's start a fifth of a second

        self._http = requests.Session()
        # Never False: a CA bundle path for a private CA, else the system's trust store.
        self._http.verify = str(ca_bundle) if ca_bundle is not None else True
        self._http.headers["Authorization"] = f"Bearer {token}"
        self._http.headers["User-Agent"] = user_agent

    @property
    def http(self) -> requests.Session:
        """The authenticated session, for the feed and results pulls (kiosk.sync.loop_pull)."""
        return self._http

    @property
    def timeout(self) -> tuple[float, float]:
        return self._timeout

    def close(self) -> None:
        self._http.close()

    def _request(
        self, method: str, path: str, **kwargs: Any
    ) -> requests.Response | RetryLater | Blocked:
        import requests

        try:
            return self._http.request(method, self._base + path, timeout=self._timeout, **kwargs)
        except requests.exceptions.SSLError as exc:
            return Blocked(f"TLS verification failed: {type(exc).__name__}")
        except requests.exceptions.Timeout as exc:
            return RetryLater(f"timed out ({type(exc).__name__})")
        except requests.exceptions.ConnectionError as exc:
            return RetryLater(f"connection failed ({_short(exc)})")

    @staticmethod
    def _classify(answer: requests.Response) -> RetryLater | Refused | Blocked | None:
        """None for a 2xx/304; the outcome for anything else."""
        status = answer.status_code
        if status < 300 or status == 304:
            return None
        detail = f"HTTP {status}: {answer.text[:200].strip()}"
        if status in RETRYABLE_STATUS or status >= 500:
            return RetryLater(detail, parse_retry_after(answer.headers.get("Retry-After")))
        if status in (401, 403):
            return Blocked(f"{detail} (check the device token: `kiosk enroll`)")
        return Refused(detail)

    def post_batch(self, batch_id: str, body: bytes) -> BatchOutcome:
        """POST one batch (gzip JSON); a verdict for each response, or why not."""
        answer = self._request(
            "POST",
            "/batches",
            data=gzip.compress(body, compresslevel=1),
            headers={
                "Content-Type": "application/json",
                "Content-Encoding": "gzip",
                "Idempotency-Key": batch_id,
            },
        )
        if isinstance(answer, RetryLater | Blocked):
            return answer
        problem = self._classify(answer)
        if problem is not None:
            return problem
        try:
            document = answer.json()
            verdicts = tuple(
                (str(v["response_id"]), v["verdict"], v.get("reason"))
                for v in document["verdicts"]
                if v["verdict"] in VERDICTS
            )
        except (ValueError, KeyError, TypeError) as exc:
            # A proxy's error page or a half-written answer: nothing is known, so try again.
            return RetryLater(f"unreadable answer from the server ({type(exc).__name__})")
        if document.get("batch_id") != batch_id:
            return RetryLater("the server answered for another batch")
        return Delivered(verdicts)

    def get_content(self, etag: str | None) -> ContentOutcome:
        """GET the content pack, conditionally on the ETag we hold."""
        headers = {"If-None-Match": etag} if etag else {}
        answer = self._request("GET", "/content", headers=headers)
        if isinstance(answer, RetryLater | Blocked):
            return answer
        problem = self._classify(answer)
        if problem is not None:
            return problem
        if answer.status_code == 304:
            return NotModified()
        try:
            document = answer.json()
            files = tuple((str(f["name"]), str(f["text"])) for f in document["files"])
            signature = document.get("signature")
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            return RetryLater(f"unreadable content pack answer ({type(exc).__name__})")
        signed = signature if isinstance(signature, str) else None
        return ContentFiles(answer.headers.get("ETag", ""), files, signed)

    def post_heartbeat(self, document: dict[str, Any]) -> HeartbeatOutcome:
        answer = self._request(
            "POST",
            "/heartbeat",
            data=json.dumps(document).encode("utf-8"),
            headers={"Content-Type": "application/json"},
        )
        if isinstance(answer, RetryLater | Blocked):
            return answer
        return self._classify(answer) or Acknowledged()


def _short(error: Exception) -> str:
    """The innermost reason of a requests error, without URLs (which name the device)."""
    inner: BaseException = error
    while inner.__context__ is not None and inner.__context__ is not inner:
        inner = inner.__context__
    return type(inner).__name__
