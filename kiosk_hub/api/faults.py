"""Fault injection for tests and demos: the reference backend's `Faults`, as an ASGI wrapper.

Wraps the whole app (outermost, right under uvicorn) and acts on batch requests only: answers
503 or 429 instead of the app, waits, or drops the connection before the app runs or after it
has committed (the dangerous case: the hub has the batch, the kiosk does not know). Never used
by `kiosk-hub serve`.
"""

from __future__ import annotations

import asyncio
import json
import random
import threading
from typing import Any

from kiosk.protocol.wire import PROBLEM_MEDIA_TYPE, problem_document
from kiosk_hub.reference.server import Faults

Scope = dict[str, Any]
ASGIApp = Any


class FaultInjector:
    """An ASGI app that misbehaves around `app` as `faults` says; `faults` may change live."""

    def __init__(self, app: ASGIApp, faults: Faults | None = None) -> None:
        self.app = app
        self._lock = threading.Lock()
        self.faults = faults or Faults()

    @property
    def faults(self) -> Faults:
        return self._faults

    @faults.setter
    def faults(self, faults: Faults) -> None:
        with self._lock:
            self._faults = faults
            self._rng = random.Random(faults.seed)

    def roll(self, share: float) -> bool:
        if share <= 0:
            return False
        with self._lock:
            return self._rng.random() < share

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        if not (
            scope["type"] == "http"
            and scope["method"] == "POST"
            and scope["path"].endswith("/batches")
        ):
            await self.app(scope, receive, send)
            return
        faults = self.faults
        if faults.latency_s:
            await asyncio.sleep(faults.latency_s)
        if self.roll(faults.error_share):
            await _answer(send, 503, problem_document(503, "injected fault: service unavailable"))
            return
        if self.roll(faults.throttle_share):
            await _answer(
                send, 429, problem_document(429, "injected fault: slow down"), faults.retry_after_s
            )
            return
        if self.roll(faults.drop_before_share):
            _abort(send)
            return
        if self.roll(faults.drop_after_share):

            async def swallow(message: dict[str, Any]) -> None:
                return None

            await self.app(scope, receive, swallow)
            _abort(send)
            return
        await self.app(scope, receive, send)


async def _answer(send: Any, status: int, document: Any, retry_after: int | None = None) -> None:
    body = json.dumps(document).encode()
    headers = [
        (b"content-type", PROBLEM_MEDIA_TYPE.encode()),
        (b"content-length", str(len(body)).encode()),
    ]
    if retry_after is not None:
        headers.append((b"retry-after", str(retry_after).encode()))
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


def _abort(send: Any) -> None:
    """Close the TCP connection without a word.

    ASGI has no message for this; uvicorn's `send` is a method of its request cycle, which
    holds the connection's transport. Test-only, so reaching for it is acceptable here.
    """
    transport = getattr(getattr(send, "__self__", None), "transport", None)
    if transport is None:
        raise RuntimeError("fault injection needs uvicorn's own send (wrap the app outermost)")
    transport.abort()
