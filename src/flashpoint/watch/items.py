"""A feed's document to its items, and an item (its page, or failing that its summary) to the
:class:`~flashpoint.model.Article` the ingest job takes.

Feeds are read by feedparser (RSS 0.9x, 1.0 and 2.0, Atom) from the bytes the fetcher
downloaded, never from a URL, so it makes no request of its own. A document that is not
well-formed XML is refused whole (:class:`FeedParseError`) rather than read by feedparser's
forgiving fallback: a truncated or garbled answer is usually a server's passing trouble, and
refusing it keeps the feed's validators unchanged, so the next poll reads it whole again.

An item's key is its guid (Atom id), else its link: what stays the same when the item is seen
again. The page is reduced to its text by the same extractor ``flashpoint extract`` uses on
HTML (trafilatura, ``ingest/html.py``), with the item's own title and date first; a page that
cannot be had, is not HTML or has no text gives way to the item's content or summary from the
feed. Every article is made safe (``ingest/safety.py``) as every reader's are.
"""

from __future__ import annotations

import calendar
import datetime as dt
import hashlib
import xml.sax
from dataclasses import dataclass

from ..ingest import content_id
from ..ingest.decode import NotText, decode_bytes
from ..ingest.html import extract_html, fallback_text
from ..ingest.readers import looks_like_html, parse_iso_date
from ..ingest.safety import safe_article
from ..model import Article, ItemError
from .fetch import Response

MAX_KEY_CHARS = 1000  # a longer guid is kept as its digest
_HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})


class FeedParseError(ValueError):
    """Why a feed's document cannot be read (one line, for ``feeds list``)."""


@dataclass(frozen=True)
class FeedEntry:
    """One item of a feed, as the watcher needs it."""

    key: str  # guid, else link, else a digest of the title and summary
    link: str | None  # absolute
    title: str | None
    summary: str  # plain text of the item's content (or summary): "" when it has none
    published: dt.date | None  # the day as the feed writes it (the outlet's own day)
    published_at: dt.datetime | None  # the moment, UTC (naive)


@dataclass(frozen=True)
class ParsedFeed:
    title: str | None
    version: str  # feedparser's name of the format: rss20, rss10, atom10, ...
    entries: tuple[FeedEntry, ...]  # oldest first (documents list the newest first), keys unique


def parse_feed(body: bytes, *, url: str, content_type: str | None = None) -> ParsedFeed:
    """The feed ``body`` (downloaded from ``url``) holds. Raises FeedParseError."""
    import feedparser

    if not body.strip():
        raise FeedParseError("empty document: no feed")
    headers = {"content-location": url}
    if content_type:
        headers["content-type"] = content_type
    parsed = feedparser.parse(body, response_headers=headers)
    problem = parsed.get("bozo_exception")
    if isinstance(problem, xml.sax.SAXException):
        if not parsed.get("version") and (content_type in _HTML_TYPES or looks_like_html(body[:4096].decode(
                "utf-8", "replace"))):
            raise FeedParseError(f"not a feed: an HTML page ({content_type or 'no content type'})")
        where = ""
        if isinstance(problem, xml.sax.SAXParseException):
            where = f" at line {problem.getLineNumber()}, column {problem.getColumnNumber()}"
        raise FeedParseError(f"malformed XML{where}: {problem.getMessage()}")
    if not parsed.get("version"):
        raise FeedParseError(f"not a feed: no RSS or Atom document ({content_type or 'no content type'})")
    entries: dict[str, FeedEntry] = {}
    for raw in reversed(parsed.entries):
        entry = _entry(raw)
        entries.setdefault(entry.key, entry)
    title = " ".join(str(parsed.feed.get("title") or "").split()) or None
    return ParsedFeed(title, str(parsed.version), tuple(entries.values()))


def _entry(raw) -> FeedEntry:
    link = (raw.get("link") or "").strip() or None
    title = " ".join(str(raw.get("title") or "").split()) or None
    summary = _summary(raw)
    key = (raw.get("id") or "").strip() or link
    if not key:
        key = "sha256:" + hashlib.sha256(f"{title}\n{summary}".encode("utf-8", "surrogatepass")).hexdigest()
    elif len(key) > MAX_KEY_CHARS:
        key = "sha256:" + hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()
    written = raw.get("published") or raw.get("updated") or raw.get("dc_date")
    moment = raw.get("published_parsed") or raw.get("updated_parsed")
    at = dt.datetime.fromtimestamp(calendar.timegm(moment), dt.timezone.utc).replace(tzinfo=None) if moment else None
    day = parse_iso_date(written) if isinstance(written, str) else None
    return FeedEntry(key, link, title, summary, day or (at.date() if at else None), at)


def _summary(raw) -> str:
    """The longest text the item carries (content:encoded / Atom content, else the summary)."""
    texts = []
    for part in [*(raw.get("content") or ()), raw.get("summary_detail") or {}]:
        value = part.get("value") or ""
        if value.strip():
            kind = part.get("type") or ""
            texts.append(fallback_text(value) if "html" in kind or looks_like_html(value) else value.strip())
    return max(texts, key=len, default="")


def page_article(entry: FeedEntry, page: Response, *, origin: str) -> Article | ItemError:
    """The article the item's page holds; an ItemError says why there is none."""
    if page.content_type and page.content_type not in _HTML_TYPES and not page.content_type.startswith("text/"):
        return ItemError(origin, f"the page is not HTML ({page.content_type})")
    try:
        html = _decode(page)
    except NotText as exc:
        return ItemError(origin, f"the page is not text: {exc}")
    if not html.strip():
        return ItemError(origin, "the page is empty")
    if page.content_type not in _HTML_TYPES and not looks_like_html(html):
        return ItemError(origin, f"the page is not HTML ({page.content_type or 'no content type'})")
    content = extract_html(html, url=entry.link)
    if not content.text.strip():
        return ItemError(origin, "the page has no article text")
    return safe_article(Article(
        id=content_id(content.text), text=content.text, origin=origin, title=entry.title or content.title,
        published=entry.published or content.published, outlet=content.outlet, url=entry.link,
    ))


def summary_article(entry: FeedEntry, *, origin: str, outlet: str | None) -> Article | ItemError:
    """The article the item's own text in the feed makes, when its page cannot serve."""
    if not entry.summary.strip():
        return ItemError(origin, "the item has no text in the feed either")
    return safe_article(Article(
        id=content_id(entry.summary), text=entry.summary, origin=origin, title=entry.title,
        published=entry.published, outlet=outlet, url=entry.link,
    ))


def _decode(page: Response) -> str:
    """The page's text: as a file's is found (binary refused, UTF-8 first), except that a
    legacy charset the server names is believed over the guess."""
    text, encoding = decode_bytes(page.body)
    if page.charset and not encoding.lower().startswith("utf") and page.charset != encoding.lower():
        try:
            return page.body.decode(page.charset)
        except (LookupError, UnicodeDecodeError):
            pass  # a wrong or unknown charset: the guess stands
    return text
