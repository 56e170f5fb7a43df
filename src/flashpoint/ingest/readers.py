"""Readers: files, directories and standard input to :class:`Article` records.

Every input item becomes an Article or an ItemError; nothing here raises for bad input.
``max_bytes`` limits one article: a whole .txt/.html file, or one line of a JSON Lines file
(a JSON Lines corpus may be any size; it is streamed line by line).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import os
import re
import unicodedata
from dataclasses import replace
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, BinaryIO, TextIO

from ..model import Article, ItemError
from .decode import NotText, decode_bytes, decode_cp1252
from .safety import safe_article

TEXT_EXTENSIONS = frozenset({".txt", ".text"})
HTML_EXTENSIONS = frozenset({".html", ".htm", ".xhtml"})
JSONL_EXTENSIONS = frozenset({".jsonl", ".ndjson", ".json"})
SUPPORTED = TEXT_EXTENSIONS | HTML_EXTENSIONS | JSONL_EXTENSIONS

# Field names in the order they are tried; the corpora in ../shared use the later ones.
ID_FIELDS = ("id", "docid", "doc_id", "article_id", "uid")
TEXT_FIELDS = ("text", "body", "content", "article")
HTML_FIELDS = ("html", "raw_html")
DATE_FIELDS = ("published", "date", "publication_date", "pub_date", "datetime")
OUTLET_FIELDS = ("source", "outlet", "publisher", "site_name", "sitename")

_HTML_START = re.compile(r"\s*(<!doctype html|<html\b|<head\b|<body\b|<article\b|<meta\b|<!--)", re.I)
_HTML_TAGS = re.compile(r"</(p|div|body|html|article|span|h[1-6])>", re.I)


def read_inputs(
    paths: Iterable[str],
    *,
    published: dt.date | None = None,
    max_bytes: int = 10_000_000,
    stdin: TextIO | None = None,
) -> Iterator[Article | ItemError]:
    """Yield one Article (or ItemError) per input item, in a stable order.

    ``paths`` are files, directories (read recursively in sorted order; hidden entries are
    skipped, unsupported extensions reported) or "-" for standard input. ``published``
    is the publication date of articles whose input gives none.
    """
    for raw in paths:
        if raw == "-":
            items = _read_stdin(stdin, max_bytes=max_bytes)
        else:
            items = _read_path(Path(raw), max_bytes=max_bytes)
        for item in items:
            if isinstance(item, Article):
                # made safe here, before anything (the store's "already stored?" check included)
                # hashes or parses it
                item = safe_article(item)
                if item.published is None and published is not None:
                    item = replace(item, published=published)
            yield item


# ---------------------------------------------------------------------------
# Paths
# ---------------------------------------------------------------------------


def _read_path(path: Path, *, max_bytes: int) -> Iterator[Article | ItemError]:
    origin = str(path)
    try:
        if path.is_dir():
            yield from _read_dir(path, max_bytes=max_bytes)
            return
        if not path.exists():
            yield ItemError(origin, "no such file or directory")
            return
        if not path.is_file():
            yield ItemError(origin, "not a regular file; skipped")
            return
        yield from _read_file(path, max_bytes=max_bytes, sniff=path.suffix.lower() not in SUPPORTED)
    except OSError as exc:
        yield ItemError(origin, f"cannot read: {exc.strerror or exc}")


def _read_dir(root: Path, *, max_bytes: int) -> Iterator[Article | ItemError]:
    for dirpath, dirnames, filenames in os.walk(root, onerror=None):
        # Sorted, hidden entries dropped in place: os.walk then visits in a stable order.
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            if name.startswith("."):
                continue
            path = Path(dirpath) / name
            if path.suffix.lower() not in SUPPORTED:
                yield ItemError(
                    str(path),
                    f"unsupported file type {path.suffix or '(no extension)'!r}; expected "
                    ".txt, .html, .htm, .jsonl or .json",
                )
                continue
            try:
                yield from _read_file(path, max_bytes=max_bytes, sniff=False)
            except OSError as exc:
                yield ItemError(str(path), f"cannot read: {exc.strerror or exc}")


def _read_file(path: Path, *, max_bytes: int, sniff: bool) -> Iterator[Article | ItemError]:
    origin = str(path)
    suffix = path.suffix.lower()
    if suffix in JSONL_EXTENSIONS and not sniff:
        with path.open("rb") as fh:
            yield from _read_json_stream(fh, origin, max_bytes=max_bytes, whole_json=suffix == ".json")
        return
    size = path.stat().st_size
    if size > max_bytes:
        yield ItemError(origin, _too_big(size, max_bytes))
        return
    with path.open("rb") as fh:
        data = fh.read(max_bytes + 1)  # the file may have grown since stat()
    if len(data) > max_bytes:
        yield ItemError(origin, _too_big(len(data), max_bytes))
        return
    if sniff:
        yield from _read_sniffed(data, origin, max_bytes=max_bytes)
    else:
        yield _document(data, origin, is_html=suffix in HTML_EXTENSIONS)


def _too_big(size: int, max_bytes: int) -> str:
    return f"too large: {size:,} bytes, the limit is {max_bytes:,} (max_bytes); skipped"


def _document(data: bytes, origin: str, *, is_html: bool) -> Article | ItemError:
    """One whole file (or stdin) holding a single article."""
    try:
        text, _ = decode_bytes(data)
    except NotText as exc:
        return ItemError(origin, str(exc))
    if not text.strip():
        return ItemError(origin, "empty: no text (file is empty or whitespace only)")
    is_html = is_html or looks_like_html(text)
    return Article(id=content_id(text), text=text, origin=origin, is_html=is_html)


def _read_sniffed(data: bytes, origin: str, *, max_bytes: int) -> Iterator[Article | ItemError]:
    """Standard input or a file without a known extension: JSON Lines, HTML or text."""
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith(b"{") or head.startswith(b"["):
        first_line = head.split(b"\n", 1)[0]
        if _parses_as_json_object(first_line) or head.startswith(b"["):
            yield from _read_json_stream(
                io.BytesIO(data), origin, max_bytes=max_bytes, whole_json=head.startswith(b"[")
            )
            return
    yield _document(data, origin, is_html=False)


def _parses_as_json_object(line: bytes) -> bool:
    try:
        return isinstance(json.loads(line), dict)
    except ValueError:
        return False


def _read_stdin(stdin: TextIO | None, *, max_bytes: int) -> Iterator[Article | ItemError]:
    import sys

    stream = stdin if stdin is not None else sys.stdin
    binary = getattr(stream, "buffer", None)
    if binary is not None:
        data = binary.read(max_bytes + 1)
    else:  # a StringIO in tests or an embedding program
        data = stream.read(max_bytes + 1).encode("utf-8", errors="surrogatepass")
    if len(data) > max_bytes:
        # Standard input is then abandoned, not drained: draining could take forever.
        yield ItemError("<stdin>", f"too large: more than {max_bytes:,} bytes (max_bytes); skipped")
        return
    yield from _read_sniffed(data, "<stdin>", max_bytes=max_bytes)


# ---------------------------------------------------------------------------
# JSON Lines
# ---------------------------------------------------------------------------


def _read_json_stream(
    fh: BinaryIO, origin: str, *, max_bytes: int, whole_json: bool
) -> Iterator[Article | ItemError]:
    """JSON Lines, streamed. A .json file holding one array or object is accepted too."""
    if whole_json:
        data = fh.read(max_bytes + 1)
        if len(data) <= max_bytes:
            parsed = _try_json(data)
            if isinstance(parsed, list):
                for n, record in enumerate(parsed, 1):
                    yield _record(record, f"{origin}:{n}")
                return
            if isinstance(parsed, dict):  # one article, or one document that is not one
                yield _record(parsed, origin)
                return
        fh.seek(0)  # not one JSON document (or too big to be one): read it as JSON Lines
    seen_any = False
    for lineno, line, too_long in _lines(fh, max_bytes):
        where = f"{origin}:{lineno}"
        if too_long:
            yield ItemError(where, f"line too large: more than {max_bytes:,} bytes (max_bytes); skipped")
            seen_any = True
            continue
        if not line.strip():
            continue
        seen_any = True
        try:
            text = line.decode("utf-8")
        except UnicodeDecodeError:
            text = decode_cp1252(line)
        try:
            # strict=False: a raw tab or newline inside a string is text, not a syntax error
            record = json.loads(text, strict=False)
        except ValueError as exc:
            yield ItemError(where, f"invalid JSON ({exc.msg}, column {exc.colno}); line skipped")
            continue
        yield _record(record, where)
    if not seen_any:
        yield ItemError(origin, "empty: no JSON lines")


def _try_json(data: bytes) -> Any:
    try:
        return json.loads(data.decode("utf-8-sig"), strict=False)
    except ValueError:
        return None


def _lines(fh: BinaryIO, max_bytes: int) -> Iterator[tuple[int, bytes, bool]]:
    """Numbered lines; a line longer than max_bytes is skipped without holding it all."""
    lineno = 0
    while True:
        line = fh.readline(max_bytes + 1)
        if not line:
            return
        lineno += 1
        if len(line) > max_bytes and not line.endswith(b"\n"):
            while line and not line.endswith(b"\n"):  # discard the rest of this line
                line = fh.readline(1 << 20)
            yield lineno, b"", True
            continue
        yield lineno, line, False


def _record(record: Any, origin: str) -> Article | ItemError:
    if not isinstance(record, dict):
        return ItemError(origin, f"JSON value is a {type(record).__name__}, not an object")
    html = _first_str(record, HTML_FIELDS)
    text = _first_str(record, TEXT_FIELDS)
    is_html = False
    if html and html.strip():
        text, is_html = html, True
    if not text or not text.strip():
        return ItemError(origin, "no text: the JSON object has no non-empty 'text' or 'html' field")
    if looks_like_html(text):
        is_html = True
    given_id = next((record[k] for k in ID_FIELDS if record.get(k) not in (None, "")), None)
    return Article(
        id=str(given_id) if given_id is not None else content_id(text),
        text=text,
        origin=origin,
        is_html=is_html,
        title=_first_str(record, ("title", "headline")),
        published=_first_date(record),
        outlet=_first_str(record, OUTLET_FIELDS),
        url=_first_str(record, ("url", "link")),
    )


def _first_str(record: dict[str, Any], fields: tuple[str, ...]) -> str | None:
    for name in fields:
        value = record.get(name)
        if isinstance(value, str) and value.strip():
            return value.strip()
    return None


def _first_date(record: dict[str, Any]) -> dt.date | None:
    for name in DATE_FIELDS:
        value = record.get(name)
        if isinstance(value, str):
            parsed = parse_iso_date(value)
            if parsed is not None:
                return parsed
    return None


_ISO_DATE = re.compile(r"\s*(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ].*)?\s*$")


def parse_iso_date(value: str) -> dt.date | None:
    """'2025-03-14', '2025-03-14 20:30:26Z', '2025-03-14T20:30:26+02:00' -> the date part.

    The date as written is the outlet's local publication day; it is not moved to UTC.
    Other spellings ("March 14, 2025") are parsed with dateutil.
    """
    m = _ISO_DATE.match(value)
    if m:
        try:
            return dt.date(int(m[1]), int(m[2]), int(m[3]))
        except ValueError:
            return None
    from dateutil import parser as date_parser

    try:
        return date_parser.parse(value, default=dt.datetime(1900, 1, 1)).date() if re.search(
            r"\d{4}", value
        ) else None
    except (ValueError, OverflowError):
        return None


# ---------------------------------------------------------------------------
# Content
# ---------------------------------------------------------------------------


def looks_like_html(text: str) -> bool:
    head = text[:2048]
    return bool(_HTML_START.match(head)) or len(_HTML_TAGS.findall(text[:20000])) >= 3


def content_id(text: str) -> str:
    """A stable id from the content: whitespace and Unicode form do not change it."""
    norm = " ".join(unicodedata.normalize("NFC", text).split())
    # surrogatepass: an id is derived before the text is made safe (a lone "\ud800" in JSON)
    return hashlib.sha256(norm.encode("utf-8", "surrogatepass")).hexdigest()[:16]
