"""Batch inputs and outputs on the local file system.

Inputs: JSON Lines, Parquet (one article per row, the JSON Lines field names) and text/HTML
files, or directories of them, read in a stable order (:func:`expand_paths`) and streamed.

An output directory holds::

    articles/part-*.parquet   one row per input item (records.ARTICLES_SCHEMA), input order
    events/part-*.parquet     one row per linked event with its sources (records.EVENTS_SCHEMA)
    events.jsonl              the same events as JSON Lines (Spark: a directory of part files)
    errors.jsonl              the input items that failed, and why (Spark: a directory)
    _batch.json               what was run (inputs, engine, counts); written last

``flashpoint ingest OUTPUT`` replays ``articles/`` into the store (:func:`replay_items`).
"""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Iterable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from ..ingest import read_inputs
from ..ingest.readers import SUPPORTED, _record
from ..link import Linked
from ..model import Article, ArticleResult, ItemError
from .records import row_to_linked, row_to_result

PARQUET_EXTENSIONS = frozenset({".parquet", ".pq"})
MANIFEST = "_batch.json"
ROWS_PER_READ = 256  # Parquet rows decoded at a time: bounds reader memory


# ---------------------------------------------------------------------------
# Inputs
# ---------------------------------------------------------------------------


def expand_paths(paths: Iterable[str]) -> Iterator[tuple[str, bool]]:
    """``(file, found in a directory)`` in reading order: directories walked as
    ``read_inputs`` walks them (sorted, hidden entries skipped), so both engines and
    ``flashpoint extract`` see the items in the same order."""
    for raw in paths:
        path = Path(raw)
        if not path.is_dir():
            yield raw, False
            continue
        for dirpath, dirnames, filenames in os.walk(path):
            dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
            for name in sorted(filenames):
                if not name.startswith("."):
                    yield str(Path(dirpath) / name), True


def is_parquet(path: str) -> bool:
    return Path(path.split("?")[0]).suffix.lower() in PARQUET_EXTENSIONS


def read_items(
    paths: Iterable[str], *, published: dt.date | None = None, max_bytes: int = 10_000_000
) -> Iterator[Article | ItemError]:
    """Every input item, streamed: Parquet files row by row, the rest through ``read_inputs``."""
    for path, in_dir in expand_paths(paths):
        suffix = Path(path).suffix.lower()
        if is_parquet(path):
            items: Iterable[Article | ItemError] = read_parquet_articles(path, max_bytes=max_bytes)
        elif in_dir and suffix not in SUPPORTED:  # as read_inputs reports it
            items = [ItemError(path, f"unsupported file type {suffix or '(no extension)'!r}; expected "
                                     ".txt, .html, .htm, .jsonl, .json or .parquet")]
        else:
            items = read_inputs([path], max_bytes=max_bytes)
        for item in items:
            if isinstance(item, Article) and item.published is None and published is not None:
                item = replace(item, published=published)
            yield item


def read_parquet_articles(path: str, *, max_bytes: int = 10_000_000) -> Iterator[Article | ItemError]:
    """One Article per row of a Parquet file (columns named as in JSON Lines inputs)."""
    try:
        pf = pq.ParquetFile(path)
    except (OSError, pa.ArrowException) as exc:
        yield ItemError(path, f"cannot read Parquet: {exc}")
        return
    n = 0
    for batch in pf.iter_batches(batch_size=ROWS_PER_READ):
        for record in batch.to_pylist():
            n += 1
            yield parquet_record(record, f"{path}:{n}", max_bytes=max_bytes)


def parquet_record(record: dict[str, Any], origin: str, *, max_bytes: int) -> Article | ItemError:
    text = next((v for k in ("text", "html", "body", "content") if isinstance(v := record.get(k), str)), "")
    if len(text.encode("utf-8", errors="replace")) > max_bytes:
        return ItemError(origin, f"row too large: more than {max_bytes:,} bytes (max_bytes); skipped")
    # dates may come as date/datetime objects: the JSON reader wants strings
    record = {k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in record.items()}
    return _record(record, origin)


# ---------------------------------------------------------------------------
# Outputs
# ---------------------------------------------------------------------------


def write_parquet_atomic(path: Path, rows: list[dict[str, Any]], schema: pa.Schema) -> None:
    """Write a Parquet file so that it exists whole or not at all (tmp file, then rename)."""
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    pq.write_table(pa.Table.from_pylist(rows, schema=schema), tmp, compression="zstd")
    os.replace(tmp, path)


def write_text_atomic(path: Path, lines: Iterable[str]) -> int:
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    n = 0
    with open(tmp, "w", encoding="utf-8") as fh:
        for line in lines:
            fh.write(line + "\n")
            n += 1
    os.replace(tmp, path)
    return n


def _parquet_files(path: Path) -> list[Path]:
    if path.is_file():
        return [path]
    return sorted(p for p in path.rglob("*.parquet") if not p.name.startswith((".", "_")))


def iter_rows(path: Path, *, columns: list[str] | None = None) -> Iterator[dict[str, Any]]:
    """The rows of a Parquet file or directory of part files, in part order, streamed."""
    for part in _parquet_files(path):
        pf = pq.ParquetFile(part)
        for batch in pf.iter_batches(batch_size=ROWS_PER_READ, columns=columns):
            yield from batch.to_pylist()


def read_manifest(output: Path) -> dict[str, Any] | None:
    try:
        return json.loads((output / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def is_batch_output(path: str) -> bool:
    """A directory ``flashpoint batch`` wrote (finished: its manifest is there)."""
    p = Path(path)
    return p.is_dir() and (p / "articles").is_dir() and read_manifest(p) is not None


def read_events(path: str | Path) -> Iterator[Linked]:
    """Linked events from a batch output (its ``events/``), a Parquet file or directory, or
    JSON Lines (a file or a directory of part files)."""
    p = Path(path)
    if p.is_dir() and (p / "events").is_dir():
        p = p / "events"
    jsonl = [p] if p.is_file() and not is_parquet(str(p)) else (
        sorted(x for x in p.glob("part-*") if not is_parquet(str(x))) if p.is_dir() else []
    )
    if jsonl and not _parquet_files(p):
        for part in jsonl:
            with open(part, encoding="utf-8") as fh:
                for line in fh:
                    if line.strip():
                        yield row_to_linked(json.loads(line))
        return
    for row in iter_rows(p):
        yield row_to_linked(row)


def article_rows(output: str | Path) -> Iterator[dict[str, Any]]:
    """The articles table of a batch output in input order: its part files are named in
    ``seq`` order by both engines (local: one per chunk; Spark: written sorted by ``seq``)."""
    yield from iter_rows(Path(output) / "articles")


class Replay:
    """Stands in for a :class:`~flashpoint.pipeline.Pipeline` over a batch output: ``run``
    returns the results the batch recorded instead of running the NLP again, so ``flashpoint
    ingest`` stores (dedups, links) a batch output exactly as it would the original input."""

    def __init__(self, outputs: Iterable[str]) -> None:
        self.outputs = list(outputs)

    def items(self) -> Iterator[Article | ItemError]:
        for output in self.outputs:
            for row in article_rows(output):
                yield row_to_result(row)[0]

    def run(self, items: Iterable[Article | ItemError]) -> Iterator[ArticleResult]:
        recorded = (row_to_result(row) for output in self.outputs for row in article_rows(output))
        # ``items`` is self.items() less the articles the store already holds: advance to each
        for item in items:
            for original, result in recorded:
                if original == item:
                    yield result
                    break
