"""The app factory: settings in, an ASGI app out; one database session per request.

Processes built by it keep no state between requests beyond the connection pool and a cache of
parsed packs (a pack never changes once uploaded), so any number of them can run behind a load
balancer against one PostgreSQL primary.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterator
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker
from starlette.exceptions import HTTPException as StarletteHTTPException

from kiosk.protocol.wire import PROBLEM_MEDIA_TYPE, problem_document
from kiosk_hub.api.limits import BodyError
from kiosk_hub.db import make_engine, session_factory
from kiosk_hub.devices import AuthError
from kiosk_hub.packs import LoadedPacks
from kiosk_hub.settings import HubSettings

log = logging.getLogger("kiosk_hub.api")


class HubState:
    """What every request of one app shares: settings, engine, session factory, loaded packs."""

    def __init__(self, settings: HubSettings, engine: Engine) -> None:
        self.settings = settings
        self.engine = engine
        self.sessions: sessionmaker[Session] = session_factory(engine)
        self.loaded_packs = LoadedPacks()


def create_app(settings: HubSettings, engine: Engine | None = None) -> FastAPI:
    """The hub's ASGI app. The engine is made from `settings.database_url` unless given."""
    from kiosk_hub.api.routes import router

    state = HubState(settings, engine or make_engine(settings.database_url, settings.pool_size))
    app = FastAPI(
        title="Gwanghwamoon kiosk hub",
        version="1",
        summary="The sync protocol of the lobby kiosks (docs/sync-protocol.md)",
        docs_url=None,
        redoc_url=None,
    )
    app.state.hub = state
    app.include_router(router)
    from kiosk_hub.web import mount

    mount(app)  # the receipt page, the web forms and the staff console
    _install_error_handlers(app)
    app.add_middleware(RequestTimeout, seconds=settings.limits.request_timeout_s)
    return app


def hub_state(request: Request) -> HubState:
    state: HubState = request.app.state.hub
    return state


def db_session(request: Request) -> Iterator[Session]:
    """One session per request; rolled back unless the route committed."""
    with hub_state(request).sessions() as session:
        yield session


def problem(status: int, message: str, headers: dict[str, str] | None = None) -> JSONResponse:
    """An error answer: a problem document naming what is wrong, never a stack trace."""
    return JSONResponse(
        problem_document(status, message),
        status_code=status,
        headers=headers,
        media_type=PROBLEM_MEDIA_TYPE,
    )


def _install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(AuthError)
    async def auth_error(_request: Request, exc: AuthError) -> JSONResponse:
        return problem(exc.status, str(exc))

    @app.exception_handler(BodyError)
    async def body_error(_request: Request, exc: BodyError) -> JSONResponse:
        return problem(exc.status, str(exc))

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = exc.errors()
        if any(e.get("loc", ("",))[0] == "path" for e in errors):
            return problem(404, "no such endpoint")
        where = ".".join(str(p) for p in errors[0].get("loc", ())) if errors else "request"
        return problem(400, f"{where}: {errors[0].get('msg') if errors else 'invalid'}")

    @app.exception_handler(StarletteHTTPException)
    async def http_error(_request: Request, exc: StarletteHTTPException) -> JSONResponse:
        message = {404: "no such endpoint", 405: "method not allowed"}.get(
            exc.status_code, str(exc.detail)
        )
        return problem(exc.status_code, message, dict(exc.headers or {}))

    @app.exception_handler(Exception)
    async def crashed(request: Request, exc: Exception) -> JSONResponse:
        # The traceback goes to the log (no body, no headers: tokens stay out); the client
        # only learns that it may try again.
        log.error(
            "request failed",
            exc_info=exc,
            extra={"method": request.method, "path": request.url.path},
        )
        return problem(500, "internal error: try again later")


class RequestTimeout:
    """Answer 503 when a request (reading its body included) takes longer than allowed."""

    def __init__(self, app: Any, seconds: float) -> None:
        self.app = app
        self.seconds = seconds

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def tracking_send(message: dict[str, Any]) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            async with asyncio.timeout(self.seconds):
                await self.app(scope, receive, tracking_send)
        except TimeoutError:
            if started:
                raise
            response = problem(503, f"request took longer than {self.seconds:g} s")
            response.headers["Retry-After"] = "5"
            await response(scope, receive, send)
