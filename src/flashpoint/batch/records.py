"""The batch outputs' Arrow schemas, and conversion between their rows and model records.

Rows are plain dicts of Python values (``datetime.date`` for dates, lists for Arrow lists,
dicts for structs): what ``pyarrow.Table.to_pylist`` returns and what Spark's ``Row.asDict``
gives, so both engines share these functions. One schema serves both engines; Spark's is
derived from it (``pyspark.sql.pandas.types.from_arrow_schema``).
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import fields
from typing import Any

import pyarrow as pa

from ..link import Linked, SourceFigures
from ..store.dedup import NearDuplicates, content_hash
from ..store.ingest import raw_hash
from ..model import EVENT_FIELDS, Article, ArticleResult, CleanArticle, Event, Evidence, ItemError, Source

FORMAT_VERSION = "3"  # bump when a schema below changes incompatibly (2: articles' minhash, 3: warnings)

EVIDENCE = pa.struct([("text", pa.string()), ("start", pa.int64()), ("end", pa.int64()),
                      ("fields", pa.list_(pa.string()))])
SOURCE = pa.struct([
    ("article_id", pa.string()), ("outlet", pa.string()), ("url", pa.string()),
    ("published", pa.date32()), ("evidence", pa.list_(EVIDENCE)),
])
_EVENT_TYPES: dict[str, pa.DataType] = {
    "event_date": pa.date32(), "date_precision": pa.int64(), "latitude": pa.float64(),
    "longitude": pa.float64(), "geo_precision": pa.int64(), "fatalities": pa.int64(),
    "fatalities_known": pa.bool_(), "injured": pa.int64(), "weapons": pa.list_(pa.string()),
}
EVENT_COLUMNS: list[pa.Field] = [
    pa.field(name, _EVENT_TYPES.get(name, pa.string())) for name in EVENT_FIELDS
] + [pa.field("sources", pa.list_(SOURCE))]
FIGURES = pa.struct([
    ("article_id", pa.string()), ("outlet", pa.string()), ("fatalities", pa.int64()),
    ("fatalities_known", pa.bool_()), ("injured", pa.int64()), ("certainty", pa.string()),
    ("event_date", pa.date32()), ("date_precision", pa.int64()), ("location", pa.string()),
    ("geo_precision", pa.int64()),
])
MENTION = pa.struct(EVENT_COLUMNS)

# One row per linked event: the codebook's fields, every source with its evidence, what each
# source alone said (its figures), and the storyline.
EVENTS_SCHEMA = pa.schema(
    EVENT_COLUMNS + [pa.field("storyline_id", pa.string()), pa.field("source_figures", pa.list_(FIGURES))],
    metadata={"flashpoint": "events", "format_version": FORMAT_VERSION},
)

# One row per input item, in input order (``seq``): the article, its cleaned text and its own
# events before linking (``mentions``), or why it failed (``error``). What ``flashpoint
# ingest`` replays into the store.
ARTICLES_SCHEMA = pa.schema(
    [
        pa.field("seq", pa.int64()), pa.field("origin", pa.string()), pa.field("article_id", pa.string()),
        pa.field("url", pa.string()), pa.field("outlet", pa.string()), pa.field("title", pa.string()),
        pa.field("published", pa.date32()), pa.field("is_html", pa.bool_()), pa.field("text", pa.string()),
        pa.field("clean_text", pa.string()), pa.field("language", pa.string()),
        pa.field("mentions", pa.list_(MENTION)), pa.field("error", pa.string()),
        pa.field("dedup_keys", pa.list_(pa.string())),
        # MinHash signature of clean_text (linking.toml [near_duplicate]): near-copies are
        # found in the link stage as the store finds them; computed by the workers, in parallel
        pa.field("minhash", pa.list_(pa.int64())),
        # what was made safe on the way in (ingest/safety.py): the item went on
        pa.field("warnings", pa.list_(pa.string())),
    ],
    metadata={"flashpoint": "articles", "format_version": FORMAT_VERSION},
)


# ---------------------------------------------------------------------------
# Events
# ---------------------------------------------------------------------------


def event_to_row(event: Event) -> dict[str, Any]:
    row = {name: getattr(event, name) for name in EVENT_FIELDS}
    row["weapons"] = list(event.weapons)
    row["sources"] = [
        {
            "article_id": s.article_id, "outlet": s.outlet, "url": s.url, "published": s.published,
            "evidence": [{"text": e.text, "start": e.start, "end": e.end, "fields": list(e.fields)}
                         for e in s.evidence],
        }
        for s in event.sources
    ]
    return row


def row_to_event(row: dict[str, Any]) -> Event:
    values = {name: row.get(name) for name in EVENT_FIELDS}
    values["weapons"] = list(values["weapons"] or [])
    for name in ("assoc_actor_1", "assoc_actor_2", "notes"):
        values[name] = values[name] or ""
    sources = [
        Source(
            article_id=s["article_id"], outlet=s["outlet"], url=s["url"], published=_date(s["published"]),
            evidence=tuple(Evidence(text=e["text"], start=e["start"], end=e["end"], fields=tuple(e.get("fields") or ()))
                           for e in s["evidence"] or ()),
        )
        for s in row.get("sources") or ()
    ]
    values["event_date"] = _date(values["event_date"])
    return Event(sources=sources, **values)


def _date(value: Any) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(value)  # from JSON


def linked_to_row(linked: Linked) -> dict[str, Any]:
    row = event_to_row(linked.event)
    row["storyline_id"] = linked.storyline_id
    row["source_figures"] = [{f.name: getattr(fig, f.name) for f in fields(SourceFigures)} for fig in linked.figures]
    return row


def row_to_linked(row: dict[str, Any]) -> Linked:
    figures = []
    for fig in row.get("source_figures") or ():
        values = {f.name: fig.get(f.name) for f in fields(SourceFigures)}
        values["event_date"] = _date(values["event_date"])
        figures.append(SourceFigures(**values))
    return Linked(event=row_to_event(row), figures=tuple(figures), storyline_id=row.get("storyline_id"))


def linked_to_json(linked: Linked) -> str:
    """One line of ``events.jsonl``: the codebook's JSON shape, plus storyline and figures."""
    out = linked.event.to_dict()
    out["storyline_id"] = linked.storyline_id
    out["source_figures"] = [
        {f.name: _iso(getattr(fig, f.name)) for f in fields(SourceFigures)} for fig in linked.figures
    ]
    return json.dumps(out, ensure_ascii=False, sort_keys=False)


def _iso(value: Any) -> Any:
    return value.isoformat() if isinstance(value, dt.date) else value


# ---------------------------------------------------------------------------
# Articles
# ---------------------------------------------------------------------------


def result_to_row(seq: int, item: Article | ItemError, result: ArticleResult, *,
                  near: NearDuplicates | None = None) -> dict[str, Any]:
    """The articles-table row of one input item and what the pipeline made of it (with its
    MinHash signature when ``near`` is given and the article was cleaned)."""
    article = item if isinstance(item, Article) else None
    clean = result.clean
    return {
        "seq": seq,
        "origin": result.origin,
        "article_id": result.article_id or (article.id if article else None),
        "url": article.url if article else None,
        "outlet": clean.outlet if clean else (article.outlet if article else None),
        "title": clean.title if clean else (article.title if article else None),
        "published": clean.published if clean else (article.published if article else None),
        "is_html": article.is_html if article else False,
        "text": article.text if article else None,
        "clean_text": clean.text if clean else None,
        "language": clean.language if clean else None,
        "mentions": [event_to_row(e) for e in result.events],
        "error": result.error.reason if result.error else None,
        "dedup_keys": dedup_keys(article, clean) if article else [],
        "minhash": near.signature(clean.text) if near is not None and clean is not None else None,
        "warnings": list(result.warnings),
    }


def dedup_keys(article: Article, clean: CleanArticle | None) -> list[str]:
    """What makes two articles the same for the store: id, URL, raw text, normalised content
    (``flashpoint ingest`` skips an article sharing any of these with a stored one)."""
    keys = [f"id:{article.id}", f"raw:{raw_hash(article.text)}"]
    if article.url:
        keys.append(f"url:{article.url}")
    if clean is not None:
        keys.append(f"content:{content_hash(clean.text)}")
    return keys


def error_row(seq: int, item: Article | ItemError, reason: str) -> dict[str, Any]:
    """The row of an item whose processing raised (a crash the pipeline did not catch)."""
    origin = item.origin
    return result_to_row(seq, item, ArticleResult(origin=origin, article_id=None, error=ItemError(origin, reason)))


def row_to_result(row: dict[str, Any]) -> tuple[Article | ItemError, ArticleResult]:
    """The input item and pipeline result an articles-table row records (for replaying)."""
    origin = row["origin"]
    if row.get("text") is None:  # the reader already failed on it
        error = ItemError(origin, row["error"] or "failed")
        return error, ArticleResult(origin=origin, article_id=None, error=error)
    article = Article(
        id=row["article_id"], text=row["text"], origin=origin, is_html=bool(row["is_html"]), title=row["title"],
        published=_date(row["published"]), outlet=row["outlet"], url=row["url"],
    )
    if row.get("error") is not None:
        error = ItemError(origin, row["error"])
        return article, ArticleResult(origin=origin, article_id=row["article_id"], error=error)
    clean = CleanArticle(
        article=article, text=row["clean_text"], title=row["title"], published=_date(row["published"]),
        outlet=row["outlet"], language=row["language"] or "en",
    )
    events = [row_to_event(m) for m in row.get("mentions") or ()]
    return article, ArticleResult(origin=origin, article_id=article.id, events=events, clean=clean)


def error_json(row: dict[str, Any]) -> str:
    """One line of ``errors.jsonl``."""
    return json.dumps({"seq": row["seq"], "origin": row["origin"], "reason": row["error"]}, ensure_ascii=False)
