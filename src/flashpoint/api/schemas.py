"""Request and response bodies of the API (pydantic): the OpenAPI schema is generated from these."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from ..model import CERTAINTY_LEVELS, SUB_EVENT_TYPES

# Every event type and sub-event type, spelled as in the codebook: the values of ``type=``.
TYPE_NAMES: tuple[str, ...] = tuple(sorted(set(SUB_EVENT_TYPES.values()))) + tuple(SUB_EVENT_TYPES)
EventTypeName = Literal[TYPE_NAMES]  # type: ignore[valid-type]
Certainty = Literal[CERTAINTY_LEVELS]  # type: ignore[valid-type]


class ErrorDetail(BaseModel):
    where: str = Field(description="The offending part of the request, e.g. 'query.limit' or 'body.0.text'.")
    message: str


class ErrorOut(BaseModel):
    """Every error response: a message for people, the status, and per-field details when validating."""

    error: str
    status: int
    details: list[ErrorDetail] = []


class EvidenceOut(BaseModel):
    text: str
    start: int = Field(description="Character offset into the article's cleaned text.")
    end: int


class SourceRefOut(BaseModel):
    article_id: str
    outlet: str | None
    url: str | None
    published: dt.date | None


class SourceOut(SourceRefOut):
    evidence: list[EvidenceOut]
    figures: dict[str, Any] = Field(description="What this article alone said (date, place, fatalities, ...).")


class EventFields(BaseModel):
    """The codebook's event fields."""

    event_id: str
    event_date: dt.date | None
    date_precision: int | None
    event_type: str
    sub_event_type: str
    actor1: str | None
    actor2: str | None
    assoc_actor_1: str
    assoc_actor_2: str
    inter1: str | None
    inter2: str | None
    country: str | None
    iso3: str | None
    admin1: str | None
    admin2: str | None
    location: str | None
    latitude: float | None
    longitude: float | None
    geo_precision: int | None
    fatalities: int
    fatalities_known: bool
    injured: int | None
    weapons: list[str]
    certainty: str
    notes: str
    storyline_id: str | None


class EventSummaryOut(EventFields):
    sources: list[SourceRefOut]


class EventPageOut(BaseModel):
    items: list[EventSummaryOut]
    next_cursor: str | None = Field(description="Pass as cursor= for the next page; null on the last page.")
    sort: str
    limit: int


class HistoryOut(BaseModel):
    field: str
    old: Any
    new: Any
    article_id: str
    rule: str
    at: dt.datetime


class StorylineEventOut(BaseModel):
    event_id: str
    event_date: dt.date | None
    sub_event_type: str
    location: str | None


class EventDetailOut(EventFields):
    sources: list[SourceOut]
    storyline: list[StorylineEventOut] = Field(description="Every event of the storyline, this one included.")
    history: list[HistoryOut]


class SpanOut(BaseModel):
    event_id: str
    start: int
    end: int
    text: str


class ArticleOut(BaseModel):
    id: str
    title: str | None
    outlet: str | None
    url: str | None
    published: dt.date | None
    duplicate_of: str | None = Field(description="A near-duplicate copy names its original; it has no events.")
    text: str = Field(description="The cleaned text: untrusted, display it as plain text only.")
    spans: list[SpanOut] = Field(description="Each event's evidence sentences as offsets into text.")


class DayOut(BaseModel):
    day: dt.date
    event_type: str
    events: int
    fatalities: int


class Admin1Out(BaseModel):
    country: str | None
    admin1: str | None
    events: int
    fatalities: int


class ActorOut(BaseModel):
    actor: str
    events: int
    fatalities: int


class StatsOut(BaseModel):
    total_events: int
    total_fatalities: int
    undated_events: int
    per_day: list[DayOut]
    per_admin1: list[Admin1Out]
    per_actor: list[ActorOut]


class ArticleIn(BaseModel):
    """One article to ingest: plain ``text`` or ``html`` (exactly one)."""

    model_config = ConfigDict(extra="forbid")

    id: str | None = Field(None, min_length=1, max_length=200, description="Default: derived from the content.")
    text: str | None = Field(None, description="Plain text; never interpreted as HTML.")
    html: str | None = Field(None, description="An HTML page; its article text is extracted.")
    title: str | None = Field(None, max_length=2000)
    published: dt.date | None = Field(None, description="Publication day, the anchor for relative dates.")
    outlet: str | None = Field(None, max_length=200)
    url: str | None = Field(None, max_length=2000)

    @model_validator(mode="after")
    def _one_body(self) -> ArticleIn:
        given = [k for k in ("text", "html") if getattr(self, k) is not None]
        if len(given) != 1:
            raise ValueError("give exactly one of 'text' or 'html'")
        if not (self.text or self.html or "").strip():
            raise ValueError(f"'{given[0]}' is empty")
        return self


class IngestItemOut(BaseModel):
    index: int = Field(description="Position in the request (0 for a single object).")
    id: str
    status: Literal["new", "duplicate", "copy", "failed"] = Field(
        description="new: stored with its events; duplicate: already stored, nothing changed; "
        "copy: a near-duplicate of a stored article, kept without new evidence; failed: see reason."
    )
    reason: str | None = None
    event_ids: list[str] = Field(description="The stored events this article supports.")
    events_new: int
    events_merged: int


class IngestOut(BaseModel):
    results: list[IngestItemOut]
    counts: dict[str, int]


class HealthOut(BaseModel):
    status: Literal["ok"]
    version: str
    database: str
    schema_revision: str | None
    events: int


class ConfigOut(BaseModel):
    """What the page needs to know about this server."""

    tile_url: str | None
    tile_attribution: str
    event_types: dict[str, list[str]] = Field(description="Event type -> its sub-event types.")
    certainty: list[str]
