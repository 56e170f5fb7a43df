"""What a user sees while a long command works: the progress bar of ``extract``, ``ingest`` and
``batch`` (on stderr, with a total and an ETA), and a line while the gazetteer is first built.

The bar is tqdm's (a pinned dependency already): unlike ``click.progressbar`` it can print the
per-item warnings above itself (``bar.write``) without breaking its line. It is shown when
stderr is a terminal unless ``--progress/--no-progress`` says otherwise. Its total is counted
before the run, only when the bar is shown: one item per text or HTML file, one per non-blank
line of JSON Lines, the rows of Parquet files and of ``flashpoint batch`` outputs. Standard
input cannot be counted without reading it first, so with ``-`` the bar shows the count and
rate only, no total or ETA.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

GAZETTEER_MESSAGE = "flashpoint: building the gazetteer (first run, about 20 s)…"


def open_gazetteer():
    """The gazetteer, saying so on stderr when it has to be built first."""
    from ..places import Gazetteer

    return Gazetteer.open(on_build=lambda _path: click.echo(GAZETTEER_MESSAGE, err=True))


def ensure_gazetteer() -> None:
    """Build the gazetteer now, with the message, when missing: before worker processes or a
    server would each build it in silence."""
    open_gazetteer().close()


def _jsonl_items(path: Path) -> int:
    with path.open("rb") as fh:
        head = fh.read(64).lstrip(b"\xef\xbb\xbf \t\r\n")
        if path.suffix.lower() == ".json" and head.startswith(b"["):  # one JSON array of articles
            fh.seek(0)
            try:
                data = json.loads(fh.read())
            except ValueError:
                return 1
            return len(data) if isinstance(data, list) else 1
        fh.seek(0)
        return sum(1 for line in fh if line.strip())


def _parquet_rows(paths) -> int:
    import pyarrow.parquet as pq

    return sum(pq.ParquetFile(p).metadata.num_rows for p in paths)


def _file_items(path: Path) -> int:
    from ..batch.io import is_parquet
    from ..ingest.readers import JSONL_EXTENSIONS

    try:
        if is_parquet(str(path)):
            return _parquet_rows([path])
        if path.suffix.lower() in JSONL_EXTENSIONS:
            return _jsonl_items(path)
    except Exception:  # noqa: BLE001 - the run reports an unreadable file; the bar counts it as one
        return 1
    return 1


def count_items(paths) -> int | None:
    """How many items the inputs hold, or None when it cannot be known without reading them
    (standard input)."""
    from ..batch.io import expand_paths, is_batch_output

    total = 0
    for raw in paths:
        if raw == "-":
            return None
        if is_batch_output(raw):  # `ingest OUTPUT`: the articles a batch recorded
            parts = sorted(p for p in (Path(raw) / "articles").rglob("*.parquet") if not p.name.startswith((".", "_")))
            total += _parquet_rows(parts)
            continue
        for path, _in_dir in expand_paths([raw]):
            total += _file_items(Path(path))
    return total


def progress_bar(enabled: bool | None, paths, *, unit: str = "article"):
    """A tqdm bar on stderr over ``paths``' items; ``enabled`` None: when stderr is a terminal."""
    from tqdm import tqdm

    shown = enabled if enabled is not None else _is_terminal(sys.stderr)
    total = count_items(paths) if shown else None
    return tqdm(total=total, unit=f" {unit}", disable=not shown, file=sys.stderr, dynamic_ncols=True, smoothing=0.05)


def _is_terminal(stream) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False
