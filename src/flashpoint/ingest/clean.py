"""clean_article: an Article reduced to its news text, with metadata and language."""

from __future__ import annotations

import functools
import re
from urllib.parse import urlsplit

from ..dates import DateFinder
from ..model import Article, CleanArticle, ItemError
from .boilerplate import remove_boilerplate
from .decode import normalise_text
from .html import extract_html
from .metadata import (
    find_dateline,
    find_top_date,
    outlet_from_agency,
    outlet_from_appeal,
)
from .rules import CleaningRules

_BLANK_RUNS = re.compile(r"\n{3,}")
_SENTENCE_END = re.compile(r"[.!?…][\"'”’)\]]*$")
_HEADLINE_WORDS = 25


def clean_article(article: Article, *, rules: CleaningRules) -> CleanArticle | ItemError:
    """Clean one article; an ItemError says why it cannot go on (no text, not English).

    Metadata precedence: the input's own fields, then HTML metadata, then the text
    (a date line at the top, then a dateline's date; a wire agency in the dateline, then
    the outlet naming itself in removed appeal copy). ``stated_date`` is the date the text
    states for itself at its head (:meth:`DateFinder.head_stamp`), whatever ``published`` says.
    """
    title, published, outlet = article.title, article.published, article.outlet
    raw = article.text
    if article.is_html:
        page = extract_html(raw, url=article.url)
        if not page.text.strip():
            return ItemError(article.origin, "HTML has no extractable text")
        raw = page.text
        title = title or page.title
        published = published or page.published
        outlet = outlet or page.outlet

    text = normalise_text(raw)
    lines = [line.strip() for line in text.split("\n")]
    result = remove_boilerplate(lines, rules)
    cleaned = _BLANK_RUNS.sub("\n\n", "\n".join(result.kept)).strip()
    if not cleaned:
        if article.is_html:
            return ItemError(article.origin, "HTML has no extractable text (only page furniture)")
        reason = "no text left after removing boilerplate" if result.removed else "empty: no text"
        return ItemError(article.origin, reason)

    guess = rules.language.detect(cleaned)
    if guess.language != "en":
        return ItemError(
            article.origin, f"language is {guess.language!r}, not English; skipped"
        )

    top = find_top_date(text, rules)
    if published is None and top is not None:
        published = top.date
    # The dateline follows a top date written on the same line ("Wed 05 Apr 2017 ...").
    start = 0
    if top is not None:
        top_in_clean = find_top_date(cleaned, rules)
        start = top_in_clean.end if top_in_clean is not None else 0
    info = find_dateline(cleaned, rules, start=start, reference=published)
    if info.dateline is None and info.date is None:
        # A headline line may come first (HTML pages): the dateline opens the next line.
        after = _after_headline(cleaned, start)
        if after is not None:
            info = find_dateline(cleaned, rules, start=after, reference=published)
    if published is None and info.date is not None:
        published = info.date

    outlet = (
        outlet
        or outlet_from_agency(info.agency, rules)
        or outlet_from_appeal([r.text for r in result.removed if r.kind == "appeal"], cleaned, rules)
        or _host(article.url)
    )
    stamp = _date_finder().head_stamp(cleaned, published=published, title=title)
    return CleanArticle(
        article=article,
        text=cleaned,
        title=title,
        published=published,
        outlet=outlet,
        language=guess.language,
        dateline=info.dateline,
        removed=tuple(r.text for r in result.removed),
        stated_date=stamp.date if stamp is not None else None,
        warnings=article.warnings,
    )


@functools.cache
def _date_finder() -> DateFinder:
    """The date patterns (data/dates.toml), compiled once per process."""
    return DateFinder.load()


def _after_headline(text: str, start: int) -> int | None:
    """Offset of the line after a first line that reads as a headline, if it does."""
    end = text.find("\n", start)
    if end < 0:
        return None
    first = text[start:end].strip()
    if not first or len(first.split()) > _HEADLINE_WORDS or _SENTENCE_END.search(first):
        return None
    return end + 1


def _host(url: str | None) -> str | None:
    """Last resort for the outlet: the site's host name ("voanews.com")."""
    if not url:
        return None
    host = urlsplit(url).hostname or ""
    host = host.removeprefix("www.")
    return host or None
