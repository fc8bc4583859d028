"""Backend URLs: checked once, at config load and at enrolment, before any request."""

from __future__ import annotations

from urllib.parse import urlsplit

LOOPBACK_HOSTS = ("127.0.0.1", "::1", "localhost")


def check_backend_url(url: str) -> str:
    """The URL without a trailing slash; https, or http only to a loopback host (the reference)."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(f"{url!r}: expected an https:// URL of the backend")
    if parts.scheme == "http" and parts.hostname not in LOOPBACK_HOSTS:
        raise ValueError(f"{url!r}: plain http is only allowed to a loopback host; use https")
    if parts.query or parts.fragment:
        raise ValueError(f"{url!r}: expected no query or fragment")
    return url.rstrip("/")
