"""Values brought within what the store's columns hold, just before they are written.

Both stores must end up with the same rows, so the limits are the stricter store's, read from
the tables themselves (``models.py``): PostgreSQL's INTEGER (-2^31 .. 2^31-1) and each VARCHAR's
length; text without NUL, lone surrogates and the other characters PostgreSQL, UTF-8 encoders or
XML-based writers refuse. SQLite takes more, but the two stores would then differ, and an integer
past 2^63 SQLite cannot take either.

This is the store's own defence: ``ingest/safety.py`` makes items safe before the pipeline, but
the store also takes events from batch outputs and library callers. Nothing is dropped and
nothing is silent:

* an id too long for its column, or unusable as given, becomes ``id-`` and a digest of it (the
  scheme of ``ingest/safety.py``: the same input gets the same id on every run and every path);
* any other string too long is cut, a URL to :data:`URL_BYTES` (``articles.url`` is indexed, and a
  PostgreSQL btree entry holds at most 2,704 bytes); an unsafe character becomes U+FFFD, one
  character for one, so that evidence offsets into the text stay right;
* a count (fatalities, injured) is clamped to 0 .. 2^31-1, any other integer to the column's range;
* coordinates that are no point on Earth (NaN, infinite, beyond 90 / 180 degrees) are left empty;
* an event date outside :data:`EARLIEST` .. :data:`LATEST` (a placeholder such as 9999-12-31 or
  0001-01-01, around which linking cannot draw a date window) is left empty, as
  ``ingest/safety.py`` does: a made-up date at the edge of the range would link made-up events;

and each change is said: an event's in its notes, an article's in its warnings.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from sqlalchemy import Integer, String, Table

from ..ingest.safety import REPLACEMENT, UNSAFE, SafetyLimits, digest_id
from ..model import EVENT_FIELDS, PROVENANCE_FIELDS, CleanArticle, Event, Evidence, Source
from .models import ActorRow, ArticleRow, EventRow, EventSource

INT_MIN, INT_MAX = -(2**31), 2**31 - 1  # PostgreSQL INTEGER
URL_BYTES = 2000  # UTF-8 bytes of a URL: within a PostgreSQL btree entry, with room to spare
COUNTS = frozenset({"fatalities", "injured"})  # never below zero
EARLIEST, LATEST = SafetyLimits.earliest, SafetyLimits.latest  # ingest/safety.py's range
_ACTOR_LISTS = ("assoc_actor_1", "assoc_actor_2")  # "; "-separated names, each an actors row
_COORDINATES = (("latitude", 90), ("longitude", 180))


def safe_text(value: str) -> str:
    """``value`` with every unsafe character replaced by U+FFFD (the length is kept)."""
    # the characters ingest/safety.py replaces, the same set: a re-read item then hashes alike
    return UNSAFE.sub(REPLACEMENT, value)


def stored_id(value: str, limit: int) -> str:
    """The id stored for ``value``: itself when it fits and is safe, else a stable digest of it."""
    if len(value) <= limit and value.strip() and not UNSAFE.search(value):
        return value
    return digest_id(value)


def bound_text(value: str | None, limit: int | None = None) -> tuple[str | None, str | None]:
    """``value`` made safe and cut to ``limit`` characters, and what was done (None: nothing)."""
    if value is None:
        return None, None
    safe = safe_text(value)
    done = ["invalid characters replaced by U+FFFD"] if safe != value else []
    if limit is not None and len(safe) > limit:
        safe = safe[:limit]
        done.append(f"longer than {limit} characters, cut")
    return safe, "; ".join(done) or None


def bound_url(value: str | None) -> tuple[str | None, str | None]:
    """A URL made safe and cut to :data:`URL_BYTES` bytes of UTF-8, and what was done."""
    safe, why = bound_text(value)
    if safe is None or len(safe.encode("utf-8")) <= URL_BYTES:
        return safe, why
    cut = safe.encode("utf-8")[:URL_BYTES].decode("utf-8", "ignore")  # "ignore": a character cut in two
    return cut, "; ".join(filter(None, [why, f"longer than {URL_BYTES} bytes, cut"]))


def bound_int(value: int | None, low: int = INT_MIN, high: int = INT_MAX) -> tuple[int | None, str | None]:
    """``value`` clamped to ``low`` .. ``high``, and what was done (None: nothing)."""
    if value is None or low <= value <= high:
        return value, None
    clamped = min(max(value, low), high)
    return clamped, f"{_show_int(value)} is outside {low}..{high}, clamped to {clamped}"


def _show_int(value: int) -> str:
    # str() of a huge int raises (Python's 4300-digit limit) and would flood the notes anyway
    if value.bit_length() < 64:
        return str(value)
    return f"{'-' if value < 0 else ''}a number of about {int(value.bit_length() * 0.30103) + 1} digits"


def _length(table: Table, name: str) -> int | None:
    return getattr(table.c[name].type, "length", None)


# ---------------------------------------------------------------------------
# Events
# ---------------------------------------------------------------------------


def bound_event(event: Event) -> tuple[Event, list[str]]:
    """A copy of ``event`` within the store's limits (its sources too), and what was changed,
    also said in the copy's notes. ``event`` itself is left as it is."""
    table = EventRow.__table__
    changes: dict[str, Any] = {}
    said: list[str] = []
    for name in EVENT_FIELDS:
        value, why = _bound_field(table, name, getattr(event, name))
        if why:
            changes[name] = value
            said.append(f"{name}: {why}")
    if "event_date" in changes:
        changes["date_precision"] = None  # the precision of a date no longer there
    point, why = _bound_point(event.latitude, event.longitude)
    if why:
        changes.update(zip(("latitude", "longitude"), point))
        said.append(why)
    changes["notes"] = with_notes(safe_text(event.notes or ""), said)
    changes["sources"] = [bound_source(s) for s in event.sources]
    return replace(event, **changes), said


def with_notes(notes: str, said: list[str]) -> str:
    """``notes`` followed by what the store changed (nothing added when nothing was)."""
    if not said:
        return notes
    return f"{notes} Stored within the store's limits: {'; '.join(said)}.".strip()


def _bound_field(table: Table, name: str, value: Any) -> tuple[Any, str | None]:
    if value is None or name in ("notes", "latitude", "longitude"):
        return value, None  # notes: made safe with what is added; coordinates: as a pair
    if name == "event_id":
        key = stored_id(value, _length(table, "id"))
        return key, (f"unusable as an id, stored as {key}" if key != value else None)
    if name == "event_date":
        if EARLIEST <= value <= LATEST:
            return value, None
        return None, f"{value.isoformat()} is outside {EARLIEST}..{LATEST} (a placeholder?), left empty"
    if name in _ACTOR_LISTS:
        return _bound_names(value, _length(ActorRow.__table__, "name"))
    if name == "weapons":
        safe = [safe_text(w) if isinstance(w, str) else w for w in value]
        return safe, ("invalid characters replaced by U+FFFD" if safe != list(value) else None)
    column_type = table.c[name].type
    if isinstance(column_type, Integer):
        return bound_int(value, 0 if name in COUNTS else INT_MIN)
    if isinstance(column_type, String):
        return bound_text(value, column_type.length)
    return value, None


def _bound_names(value: str, limit: int | None) -> tuple[str, str | None]:
    """A "; "-separated list whose every name fits the actors table."""
    safe, why = bound_text(value)
    names = [n.strip() for n in safe.split(";")]
    if limit is None or all(len(n) <= limit for n in names):
        return safe, why
    cut = "; ".join(n[:limit].strip() for n in names if n)
    return cut, "; ".join(filter(None, [why, f"a name longer than {limit} characters, cut"]))


def _bound_point(lat: Any, lon: Any) -> tuple[tuple[float | None, float | None], str | None]:
    """Both coordinates, or neither when one is no coordinate on Earth."""
    values = (lat, lon)
    ok = all(
        v is None or (isinstance(v, (int, float)) and -limit <= v <= limit)  # False for NaN
        for v, (_, limit) in zip(values, _COORDINATES)
    )
    if ok:
        return values, None
    return (None, None), f"coordinates ({lat}, {lon}) are no point on Earth, left empty"


def bound_source(src: Source) -> Source:
    """A source within the limits: its article id as the articles row stores it. Its outlet and
    URL are the article's, whose warnings say what was changed; offsets cannot pass 2^31 in a
    text the pipeline takes, so clamping them goes unsaid."""
    table = EventSource.__table__
    return replace(
        src,
        article_id=stored_id(src.article_id, _length(ArticleRow.__table__, "id")),
        outlet=bound_text(src.outlet, _length(table, "outlet"))[0],
        url=bound_url(src.url)[0],
        evidence=tuple(
            Evidence(text=safe_text(e.text), start=bound_int(e.start)[0], end=bound_int(e.end)[0],
                     fields=tuple(f for f in e.fields if f in PROVENANCE_FIELDS))
            for e in src.evidence
        ),
    )


# ---------------------------------------------------------------------------
# Articles
# ---------------------------------------------------------------------------


def bound_article(clean: CleanArticle) -> tuple[dict[str, Any], list[str]]:
    """The ``articles`` row's values for ``clean`` within the limits, and what was changed."""
    table = ArticleRow.__table__
    article = clean.article
    key = stored_id(article.id, _length(table, "id"))
    values: dict[str, Any] = {"id": key, "published": clean.published}
    said = [f"id: unusable as stored ({_describe_id(article.id, _length(table, 'id'))}); stored as {key}"] \
        if key != article.id else []
    values["url"], why = bound_url(article.url)
    said += [f"url: {why}"] if why else []
    for name, value in (("outlet", clean.outlet), ("title", clean.title), ("origin", article.origin),
                        ("original_text", article.text), ("clean_text", clean.text)):
        values[name], why = bound_text(value, _length(table, name))
        if why:
            said.append(f"{name}: {why}")
    return values, said


def _describe_id(value: str, limit: int | None) -> str:
    if not value.strip():
        return "blank"
    if limit is not None and len(value) > limit:
        return f"{len(value):,} characters, the column holds {limit}"
    return "invalid characters"
