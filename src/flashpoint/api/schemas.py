"""Request and response bodies of the API (pydantic): the OpenAPI schema is generated from these."""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PrivateAttr,
    WithJsonSchema,
    field_validator,
    model_validator,
)

from ..model import CERTAINTY_LEVELS, PROVENANCE_FIELDS, SUB_EVENT_TYPES

# Every event type and sub-event type, spelled as in the codebook: the values of ``type=``.
TYPE_NAMES: tuple[str, ...] = tuple(sorted(set(SUB_EVENT_TYPES.values()))) + tuple(SUB_EVENT_TYPES)
EventTypeName = Literal[TYPE_NAMES]  # type: ignore[valid-type]
Certainty = Literal[CERTAINTY_LEVELS]  # type: ignore[valid-type]

# A day from 1900-01-01 to 2099-12-31, written YYYY-MM-DD, and only real days (2024-02-29 but not
# 2025-02-29): the pattern is exact so that the schema says precisely which days the server takes.
_YEAR = r"(19|20)[0-9]{2}"
_LEAP_YEAR = r"(19(0[48]|[2468][048]|[13579][26])|20([02468][048]|[13579][26]))"  # 1900 is not one
_MONTH_DAY = r"((0[13578]|1[02])-(0[1-9]|[12][0-9]|3[01])|(0[469]|11)-(0[1-9]|[12][0-9]|30)|02-(0[1-9]|1[0-9]|2[0-8]))"
DAY_PATTERN = rf"^({_YEAR}-{_MONTH_DAY}|{_LEAP_YEAR}-02-29)$"
_DAY = re.compile(DAY_PATTERN)

# The most characters of article text an item may carry: spaCy's parser refuses longer texts. A
# longer one makes its item "failed" (api/ingest.py), not the request a 422: no schema tool can
# generate a string that long to check a maxLength, and the other items of an array go on.
MAX_TEXT_CHARS = 1_000_000

# Strings the store compares with stored text: PostgreSQL refuses NUL in text, so it is refused here
# (422) rather than failing in the database (500).
NO_NUL_PATTERN = r"^[^\x00]*$"

# Characters no store can hold: a lone surrogate (a "\ud800" escape in JSON) has no UTF-8 form,
# and PostgreSQL refuses NUL in text.
_UNSTORABLE = re.compile("[\ud800-\udfff\x00]")
_MADE_STORABLE = ("text", "html", "title", "outlet", "url")  # not the id: an id is never changed

# An article id: not blank, no control character or non-character (what the pipeline would
# replace, so that the id stored is the id given; a lone surrogate pydantic refuses already, and
# no schema validator takes a surrogate in a pattern). Checked in Python (ArticleIn._usable_id):
# pydantic's regex engine has another idea of whitespace than Python's.
_ID_CHAR = r"[^\x00-\x1f\x7f\ufffe\uffff]"
_ID_SOLID = r"[^\s\x00-\x1f\x7f\ufffe\uffff]"  # and not whitespace: one makes the id not blank
ID_PATTERN = rf"^{_ID_CHAR}*{_ID_SOLID}{_ID_CHAR}*$"
_ID = re.compile(ID_PATTERN)


def storable(text: str) -> tuple[str, int]:
    """``text`` with each unstorable character replaced by U+FFFD, and how many there were."""
    return _UNSTORABLE.subn("\ufffd", text)


def _day(value: Any) -> Any:
    """Only the text YYYY-MM-DD: pydantic alone would also take a number as seconds since 1970
    (``until=0`` as 1970-01-01) or a date-time."""
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    if not isinstance(value, str) or not _DAY.fullmatch(value):
        raise ValueError("give a day as YYYY-MM-DD, from 1900-01-01 to 2099-12-31")
    return dt.date.fromisoformat(value)


Day = Annotated[
    dt.date,
    BeforeValidator(_day),
    WithJsonSchema({"type": "string", "format": "date", "pattern": DAY_PATTERN}),
]


class ErrorDetail(BaseModel):
    where: str = Field(description="The offending part of the request, e.g. 'query.limit' or 'body.0.text'.")
    message: str


class ErrorOut(BaseModel):
    """Every error response: a message for people, the status, and per-field details when validating."""

    error: str
    status: int
    details: list[ErrorDetail] = []


ProvenanceField = Literal[PROVENANCE_FIELDS]  # type: ignore[valid-type]


class EvidenceOut(BaseModel):
    text: str
    start: int = Field(description="Character offset into the article's cleaned text.")
    end: int
    fields: list[ProvenanceField] = Field(
        default=[], description="The event fields this sentence gave in its article's own reading.")


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
    at: dt.datetime = Field(description="When the store changed the field (UTC).")

    @field_validator("at")
    @classmethod
    def _utc(cls, value: dt.datetime) -> dt.datetime:
        # the store keeps naive UTC times; said as UTC so that they are RFC 3339 date-times
        return value.replace(tzinfo=dt.timezone.utc) if value.tzinfo is None else value


class StorylineEventOut(BaseModel):
    event_id: str
    event_date: dt.date | None
    sub_event_type: str
    location: str | None


class ProvenanceOut(BaseModel):
    field: ProvenanceField
    value: Any = Field(description="The field's value on the event (event_type as 'type: sub-event type').")
    article_id: str | None = Field(description="The source whose sentence gave the value; null when no sentence did.")
    start: int | None = Field(description="The sentence's character offset into that article's cleaned text.")
    end: int | None
    text: str | None = Field(description="The sentence.")
    why: str = Field(description="Why this source (a merge rule), or why no sentence (a codebook default).")


class EventDetailOut(EventFields):
    sources: list[SourceOut]
    provenance: list[ProvenanceOut] = Field(description="Each field with the sentence that gave it.")
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


class TypeOut(BaseModel):
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
    bucket: Literal["day", "week", "month"] = Field(description="What each per_day row counts (named by its first day).")
    first_day: dt.date | None = Field(description="The first day of a dated event (with per_day; else null).")
    last_day: dt.date | None = Field(description="The last day of a dated event (with per_day; else null): a "
                                     "week or month bucket may run past it.")
    per_day: list[DayOut]
    per_type: list[TypeOut] = Field(description="Dated events per type (the sums of per_day).")
    per_admin1: list[Admin1Out]
    per_actor: list[ActorOut]


class LabelOut(BaseModel):
    name: str
    latitude: float
    longitude: float
    population: int
    capital: bool = Field(description="A national capital.")
    country: str | None


class LabelsOut(BaseModel):
    items: list[LabelOut] = Field(description="Capitals first, then by population.")


def _body_schema(name: str) -> dict[str, Any]:
    return {"required": [name], "properties": {name: {"type": "string"}}}


class ArticleIn(BaseModel):
    """One article to ingest: plain ``text`` or ``html`` (exactly one, not blank)."""

    # oneOf: the schema's way to say "exactly one of text and html is a string"
    model_config = ConfigDict(extra="forbid", json_schema_extra={"oneOf": [_body_schema("text"), _body_schema("html")]})

    id: str | None = Field(None, min_length=1, max_length=200, json_schema_extra={"pattern": ID_PATTERN},
                           description="Default: derived from the content. Not blank, no control characters.")
    # pattern \S: not blank; checked in _one_body with str.strip (pydantic's own regex engine
    # has another idea of whitespace than Python's)
    text: str | None = Field(None, json_schema_extra={"pattern": r"\S"},
                             description=f"Plain text; never interpreted as HTML. Over {MAX_TEXT_CHARS:,} "
                             "characters, the item fails (send such a text in parts).")
    html: str | None = Field(None, json_schema_extra={"pattern": r"\S"},
                             description="An HTML page; its article text is extracted.")
    title: str | None = Field(None, max_length=2000)
    published: Day | None = Field(None, description="Publication day (YYYY-MM-DD), the anchor for relative dates.")
    outlet: str | None = Field(None, max_length=200)
    url: str | None = Field(None, max_length=2000)

    # what _made_storable changed, for the item's result
    _warnings: list[str] = PrivateAttr(default_factory=list)

    @model_validator(mode="wrap")
    @classmethod
    def _made_storable(cls, data: Any, handler: Any) -> ArticleIn:
        """Lone surrogates and NUL replaced by U+FFFD before validating (pydantic refuses a lone
        surrogate in a string with a length limit, and takes one in a string without): one bad
        character in a scraped page does not cost the article."""
        warnings = []
        if isinstance(data, dict):
            data = dict(data)
            for name in _MADE_STORABLE:
                value = data.get(name)
                if isinstance(value, str) and (fixed := storable(value))[1]:
                    data[name] = fixed[0]
                    warnings.append(f"{name}: {fixed[1]} lone surrogate or NUL character(s) replaced by U+FFFD")
        item = handler(data)
        item._warnings = warnings
        return item

    @field_validator("id")
    @classmethod
    def _usable_id(cls, value: str | None) -> str | None:
        if value is not None and not _ID.fullmatch(value):
            raise ValueError("an id must not be blank nor hold control characters")
        return value

    @model_validator(mode="after")
    def _one_body(self) -> ArticleIn:
        given = [k for k in ("text", "html") if getattr(self, k) is not None]
        if len(given) != 1:
            raise ValueError("give exactly one of 'text' or 'html'")
        if not (self.text or self.html or "").strip():
            raise ValueError(f"'{given[0]}' is empty")
        return self

    @property
    def warnings(self) -> list[str]:
        return list(self._warnings)


class IngestItemOut(BaseModel):
    index: int = Field(description="Position in the request (0 for a single object).")
    id: str
    status: Literal["new", "duplicate", "copy", "failed"] = Field(
        description="new: stored with its events; duplicate: already stored, nothing changed; "
        "copy: a near-duplicate of a stored article, kept without new evidence; failed: see reason."
    )
    reason: str | None = None
    warnings: list[str] = Field(default=[], description="What was made safe before ingesting, e.g. a lone "
                                "surrogate in the text replaced by U+FFFD; the item went on.")
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
