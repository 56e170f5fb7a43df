"""Making one input item safe before any stage sees it.

Readers, the API and library callers all hand articles to the pipeline; whatever they carry,
the stages after this one may assume:

* **Text** holds only what every store and parser accepts: a lone surrogate (``"\\ud800"``
  escaped in JSON), a NUL or another C0 control character, and the non-characters U+FFFE and
  U+FFFF are replaced by U+FFFD. spaCy, SQLite, PostgreSQL and Parquet each refuse one of them.
* **Length**: a text longer than :attr:`SafetyLimits.max_chars` is cut at the last paragraph
  or sentence end before the limit (spaCy refuses texts over 1,000,000 characters, E088); an id
  longer than :attr:`SafetyLimits.max_id_chars` is replaced by a stable digest of it; a title,
  outlet or URL over its limit is cut.
* **Dates**: a publication date (or a date the text states for itself) outside
  :attr:`SafetyLimits.earliest` .. :attr:`SafetyLimits.latest` is a placeholder (``9999-12-31``,
  ``0001-01-01``), not a date: it is dropped. An event dated outside the range keeps its other
  fields with an empty date and a note saying why.

Nothing here rejects an item: each change is said in the item's ``warnings``, which the
commands print and the store keeps. Applying it twice changes nothing the second time.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass, replace

from ..model import Article, CleanArticle, Event

REPLACEMENT = "\ufffd"
# Lone surrogates, C0 controls but tab/newline/carriage return, DEL and the non-characters
# U+FFFE/U+FFFF: what UTF-8 encoders, PostgreSQL text or XML-based writers refuse.
UNSAFE = re.compile("[\ud800-\udfff\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")
# A cut ends a paragraph, else a sentence, else a word, searched in the last tenth of the limit.
_PARAGRAPH_END = re.compile(r"\n\s*\n")
_SENTENCE_END = re.compile(r"[.!?][\"'”’)\]]*\s")


@dataclass(frozen=True)
class SafetyLimits:
    """What an item may hold (see the module doc). The defaults are the ``flashpoint`` commands'."""

    max_chars: int = 1_000_000  # spaCy's own max_length: its parser wants ~1 GB per 100,000 chars
    max_id_chars: int = 200  # the store's id columns
    max_title_chars: int = 2000
    max_outlet_chars: int = 200
    max_url_chars: int = 2000
    earliest: dt.date = dt.date(1800, 1, 1)  # no news archive we read is older
    latest: dt.date = dt.date(2200, 12, 31)  # far enough for any real date, far from date.max

    def in_range(self, day: dt.date | None) -> bool:
        return day is None or self.earliest <= day <= self.latest


def safe_article(article: Article, *, limits: SafetyLimits | None = None) -> Article:
    """The article with its text and fields made safe; each change said in ``warnings``."""
    limits = limits or SafetyLimits()
    warnings = list(article.warnings)
    text, n = _replace_unsafe(article.text)
    if n:
        warnings.append(f"text: {n} invalid or control character(s) replaced by U+FFFD")
    if len(text) > limits.max_chars and not article.is_html:
        # HTML is cut after cleaning (bound_clean): its markup is not the text spaCy reads
        text = cut_text(text, limits.max_chars)
        warnings.append(f"text: longer than {limits.max_chars:,} characters; cut to {len(text):,}")
    fields = {}
    for name, limit in (("title", limits.max_title_chars), ("outlet", limits.max_outlet_chars),
                        ("url", limits.max_url_chars)):
        value = getattr(article, name)
        if value is None:
            continue
        safe, n = _replace_unsafe(value)
        if n:
            warnings.append(f"{name}: {n} invalid or control character(s) replaced")
        if len(safe) > limit:
            safe = safe[:limit]
            warnings.append(f"{name}: longer than {limit:,} characters; cut")
        fields[name] = safe
    aid, n = _replace_unsafe(article.id)
    if n or len(aid) > limits.max_id_chars or not aid.strip():
        aid = digest_id(article.id)
        warnings.append(f"id: unusable as given ({_describe_id(article.id, limits)}); using {aid}")
    published = article.published
    if not limits.in_range(published):
        warnings.append(f"published: {published.isoformat()} is outside {limits.earliest}..{limits.latest}, "
                        "a placeholder; ignored")
        published = None
    if len(warnings) == len(article.warnings):
        return article
    return replace(article, id=aid, text=text, published=published, warnings=tuple(warnings), **fields)


def bound_clean(clean: CleanArticle, *, limits: SafetyLimits | None = None) -> CleanArticle:
    """A cleaned article ready for the parser: its text within the length limit (HTML pages are
    cut here, once their markup is gone) and its dates within range."""
    limits = limits or SafetyLimits()
    warnings = list(clean.warnings)
    changes: dict = {}
    if len(clean.text) > limits.max_chars:
        changes["text"] = cut_text(clean.text, limits.max_chars)
        warnings.append(f"text: longer than {limits.max_chars:,} characters after cleaning; "
                        f"cut to {len(changes['text']):,}")
        if clean.dateline is not None and clean.dateline.end > len(changes["text"]):
            changes["dateline"] = None
    for name in ("published", "stated_date"):
        day = getattr(clean, name)
        if not limits.in_range(day):
            changes[name] = None
            warnings.append(f"{name}: {day.isoformat()} is outside {limits.earliest}..{limits.latest}; ignored")
    if not changes:
        return clean
    return replace(clean, warnings=tuple(warnings), **changes)


def bound_events(events: list[Event], *, limits: SafetyLimits | None = None) -> list[Event]:
    """Events dated outside the range keep every other field; the date is emptied and the
    notes say so (flagged, not dropped)."""
    limits = limits or SafetyLimits()
    for event in events:
        if not limits.in_range(event.event_date):
            event.notes = (f"{event.notes} The text dates it {event.event_date.isoformat()}, outside "
                           f"{limits.earliest}..{limits.latest}: date left empty.").strip()
            event.event_date = None
            event.date_precision = None
    return events


def cut_text(text: str, limit: int) -> str:
    """``text`` cut to at most ``limit`` characters at a paragraph end, else a sentence end,
    else a space, found in the last tenth before the limit."""
    if len(text) <= limit:
        return text
    floor = limit - limit // 10
    window = text[floor:limit]
    for pattern in (_PARAGRAPH_END, _SENTENCE_END):
        ends = [m.start() + 1 for m in pattern.finditer(window)]
        if ends:
            return text[: floor + ends[-1]].rstrip()
    space = window.rfind(" ")
    return text[: floor + space if space >= 0 else limit].rstrip()


def digest_id(value: str) -> str:
    """The id used for an id that cannot be used as given: a digest of it, so the same input gets
    the same id on every run (the store uses it too, ``store/bounds.py``)."""
    return "id-" + hashlib.sha256(value.encode("utf-8", "surrogatepass")).hexdigest()[:16]


def _replace_unsafe(value: str) -> tuple[str, int]:
    return UNSAFE.subn(REPLACEMENT, value)


def _describe_id(value: str, limits: SafetyLimits) -> str:
    if not value.strip():
        return "blank"
    if len(value) > limits.max_id_chars:
        return f"{len(value):,} characters, the limit is {limits.max_id_chars}"
    return "invalid characters"
