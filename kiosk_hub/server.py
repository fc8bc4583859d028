"""Running the hub's app on uvicorn: in the foreground (`kiosk-hub serve`) or in a thread."""

from __future__ import annotations

import asyncio
import socket
import threading
import time
from typing import Any

import uvicorn

from kiosk_hub.api import create_app
from kiosk_hub.api.faults import FaultInjector
from kiosk_hub.settings import HubSettings


def uvicorn_config(app: Any, host: str, port: int, **extra: Any) -> uvicorn.Config:
    """uvicorn with the hub's socket limits: idle keep-alive closed, bounded concurrency."""
    return uvicorn.Config(
        app,
        host=host,
        port=port,
        log_config=None,  # the hub's own logging set-up, no access log with paths of tokens
        access_log=False,
        timeout_keep_alive=15,
        timeout_graceful_shutdown=10,
        limit_concurrency=500,
        h11_max_incomplete_event_size=64 * 1024,
        server_header=False,
        **extra,
    )


class HubServer:
    """The hub on a loopback port in a background thread, with fault injection (tests, demos)."""

    def __init__(self, settings: HubSettings, host: str = "127.0.0.1", port: int = 0) -> None:
        self.settings = settings
        self.app = create_app(settings)
        self.injector = FaultInjector(self.app)
        self._socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._socket.bind((host, port))
        self.host = host
        self._server = uvicorn.Server(uvicorn_config(self.injector, host, self.port))
        self._thread: threading.Thread | None = None

    @property
    def port(self) -> int:
        return int(self._socket.getsockname()[1])

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def start(self) -> HubServer:
        def run() -> None:
            asyncio.run(self._server.serve(sockets=[self._socket]))

        self._thread = threading.Thread(target=run, name="kiosk-hub", daemon=True)
        self._thread.start()
        deadline = time.monotonic() + 10
        while not self._server.started:
            if time.monotonic() > deadline or not self._thread.is_alive():
                raise RuntimeError("the hub did not start within 10 s")
            time.sleep(0.01)
        return self

    def stop(self) -> None:
        self._server.should_exit = True
        if self._thread is not None:
            self._thread.join(timeout=15)
        self._socket.close()
        self.app.state.hub.engine.dispose()

    def __enter__(self) -> HubServer:
        return self.start()

    def __exit__(self, *_exc: object) -> None:
        self.stop()
