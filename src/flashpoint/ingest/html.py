"""HTML to main text and metadata (trafilatura, with an lxml fallback)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from .readers import parse_iso_date


@dataclass(frozen=True)
class HtmlContent:
    text: str  # paragraphs separated by newlines; "" when nothing could be extracted
    title: str | None = None
    published: dt.date | None = None
    outlet: str | None = None
    url: str | None = None
    extractor: str = "trafilatura"  # or "fallback": which one produced the text


# Blocks whose text is never article text.
_DROP = ("script", "style", "noscript", "nav", "header", "footer", "aside", "form", "iframe",
         "svg", "button", "select", "template")
_BLOCKS = ("p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "pre", "td",
           "figcaption", "div", "section", "article", "main", "br", "tr", "dd", "dt")


def extract_html(html: str, *, url: str | None = None) -> HtmlContent:
    """Main text (favouring recall, paragraphs kept) and title/date/site name."""
    import trafilatura

    text = ""
    try:
        text = trafilatura.extract(
            html, url=url, favor_recall=True, include_comments=False, include_tables=True,
            include_images=False, include_links=False, output_format="txt", deduplicate=False,
        ) or ""
    except Exception:  # noqa: BLE001 - a malformed page must not stop the run
        text = ""
    extractor = "trafilatura"
    if not text.strip():
        text, extractor = fallback_text(html), "fallback"
    title = published = outlet = found_url = None
    try:
        meta = trafilatura.extract_metadata(html, default_url=url, extensive=False)
        title, outlet, found_url = meta.title, meta.sitename, meta.url
        published = parse_iso_date(meta.date) if meta.date else None
    except Exception:  # noqa: BLE001 - metadata is optional
        pass
    tags = meta_tags(html)
    title = title or tags.get("og:title") or tags.get("title")
    outlet = tags.get("og:site_name") or outlet
    if published is None:
        for key in ("article:published_time", "datepublished", "date", "pubdate", "dc.date"):
            if tags.get(key):
                published = parse_iso_date(tags[key])
                if published:
                    break
    return HtmlContent(text.strip(), _clean(title), published, _clean(outlet),
                       found_url or url, extractor)


def _clean(value: str | None) -> str | None:
    value = " ".join(value.split()) if value else None
    return value or None


def fallback_text(html: str) -> str:
    """Visible text, one block element per line, for pages trafilatura finds nothing in."""
    import lxml.html

    try:
        # huge_tree: libxml2 otherwise stops at 256 levels of nesting and keeps no text at all
        root = lxml.html.fromstring(html, parser=lxml.html.HTMLParser(huge_tree=True))
    except (ValueError, lxml.etree.ParserError):
        return ""
    for bad in root.xpath("//" + " | //".join(_DROP)):
        bad.drop_tree()
    for comment in root.xpath("//comment()"):
        comment.drop_tree()
    for el in root.iter(*_BLOCKS):
        el.tail = "\n" + (el.tail or "")
        if el.tag != "br":
            el.text = "\n" + (el.text or "")
    text = _lines(root.text_content())
    # a tree nested deeper than libxml2 builds (a few thousand levels) comes back empty: read
    # the page as a stream of tags instead, which has no depth at all
    return text or _streamed_text(html)


def _lines(text: str) -> str:
    lines = (" ".join(line.split()) for line in text.split("\n"))
    return "\n".join(line for line in lines if line)


def _streamed_text(html: str) -> str:
    from html.parser import HTMLParser

    parts: list[str] = []
    dropped = [0]  # how many dropped elements (scripts, navigation) we are inside

    class _Text(HTMLParser):
        def handle_starttag(self, tag, attrs):
            if tag in _DROP:
                dropped[0] += 1
            elif tag in _BLOCKS:
                parts.append("\n")

        def handle_endtag(self, tag):
            if tag in _DROP:
                dropped[0] = max(0, dropped[0] - 1)
            elif tag in _BLOCKS:
                parts.append("\n")

        def handle_data(self, data):
            if not dropped[0]:
                parts.append(data)

    try:
        parser = _Text(convert_charrefs=True)
        parser.feed(html)
        parser.close()
    except Exception:  # noqa: BLE001 - a page this broken simply has no text
        return ""
    return _lines("".join(parts))


_META = re.compile(r"<meta\s+[^>]*>", re.I)
_ATTR = re.compile(r"""(\w[\w:.-]*)\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_TITLE = re.compile(r"<title[^>]*>(.*?)</title>", re.I | re.S)


def meta_tags(html: str) -> dict[str, str]:
    """<meta property|name=... content=...> pairs (keys lower-cased) and <title>."""
    import html as htmllib

    out: dict[str, str] = {}
    for tag in _META.findall(html[:200_000]):
        attrs = {k.lower(): (a if a else b) for k, a, b in _ATTR.findall(tag)}
        key = (attrs.get("property") or attrs.get("name") or attrs.get("itemprop") or "").lower()
        if key and attrs.get("content") and key not in out:
            out[key] = htmllib.unescape(attrs["content"]).strip()
    m = _TITLE.search(html[:200_000])
    if m:
        out["title"] = htmllib.unescape(re.sub(r"<[^>]+>", "", m.group(1))).strip()
    return out
