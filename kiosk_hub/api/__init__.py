"""The hub's ASGI app: `create_app(settings)` builds it; `kiosk-hub serve` runs it on uvicorn."""

from kiosk_hub.api.app import create_app

__all__ = ["create_app"]
