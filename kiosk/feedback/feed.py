"""The "you said, we did" feed: its schema, validation, and what the screens get from it."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from kiosk.content.models import Briefing, Identifier, Text
from kiosk.core.errors import FeedError

FeedStatus = Literal["received", "under_review", "reflected", "not_adopted"]
STATUSES: tuple[FeedStatus, ...] = ("received", "under_review", "reflected", "not_adopted")
# An invented feed for screenshots, tests and the reference backend only. A kiosk never shows it
# on its own: until a real feed is pulled, the feed tile and feed news stay hidden.
SAMPLE_FEED = Path(__file__).resolve().parent.parent / "config" / "defaults" / "feed-sample.json"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class FeedEntry(_Strict):
    """One topic or earlier suggestion and what became of it."""

    id: Identifier
    topic: Identifier | None = Field(None, description="An opinion topic id (links its briefing).")
    title: Text
    text: Text
    status: FeedStatus
    reason: Text | None = Field(None, description="Why it was not adopted (required then).")
    progress: Annotated[int, Field(ge=0, le=100, description="Percent of the way done.")]
    date: date
    briefing: Briefing | None = None

    @model_validator(mode="after")
    def _reason_when_not_adopted(self) -> FeedEntry:
        if self.status == "not_adopted" and self.reason is None:
            raise ValueError("a not_adopted entry needs a reason")
        return self


class Feed(_Strict):
    """GET /v1/devices/{device_id}/feed: newest first, at most 50 entries."""

    version: Literal[1] = 1
    updated: datetime
    entries: Annotated[list[FeedEntry], Field(max_length=50)]

    @model_validator(mode="after")
    def _unique_ids(self) -> Feed:
        ids = [entry.id for entry in self.entries]
        if len(set(ids)) != len(ids):
            raise ValueError("entry ids must be unique")
        return self


def parse_feed(body: Any, source: str) -> Feed:
    """Validate a feed document; a FeedError names the source and every problem's place."""
    try:
        return Feed.model_validate(body, context={"languages": ("ko", "en")})
    except ValidationError as exc:
        problems = [
            f"{source}: {'.'.join(str(p) for p in item['loc']) or '(top level)'}: {item['msg']}"
            for item in exc.errors()
        ]
        raise FeedError("\n".join(problems)) from None


def load_sample_feed(path: Path = SAMPLE_FEED) -> Feed:
    return parse_feed(json.loads(path.read_text(encoding="utf-8")), str(path))


@dataclass(frozen=True)
class FeedItem:
    """An entry ready to show, with the briefing it links to (its own, or its topic's)."""

    entry: FeedEntry
    briefing: Briefing | None


@dataclass(frozen=True)
class FeedView:
    """The feed for the screen: entries pulled from the backend and how old the copy is."""

    items: tuple[FeedItem, ...]
    fetched_at: datetime | None
    age: timedelta | None
    stale: bool
