"""The local engine: a pool of worker processes extracts chunks of the input; the parent then
links the events in input order.

* One pipeline (one spaCy model) per worker process, loaded once when it starts; with a
  typing model (``typing_model``, a path) each worker loads it, and its sentence encoder when
  it reads one, with the pipeline. A worker that cannot load them reports why; the parent
  raises that exception.
* Bounded memory: the input is streamed in chunks of ``chunk_size`` items and at most
  ``2 * workers`` chunks are queued or in work at any time; a worker writes its chunk's rows
  itself and sends back only counts.
* Checkpoints: a finished chunk is ``articles/chunk-NNNNNNNN.parquet``, written whole or not
  at all (temporary file, then rename). ``resume=True`` skips the chunks already there, so an
  interrupted run finishes without redoing or losing items; the chunking is the same on every
  run of the same inputs (``_run.json`` records it and is checked).
* A per-item error (bad input, an exception in a stage) is recorded in its row and in
  ``errors.jsonl``; it never stops the batch.
* Each worker also signs its articles (MinHash, ``linking.toml`` ``[near_duplicate]``), so the
  link stage drops near-copies (syndicated, lightly edited) as ``flashpoint ingest`` does,
  without signing them all in one process.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import multiprocessing as mp
import os
import pickle
import queue
import resource
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from itertools import islice
from pathlib import Path
from typing import Any

from ..ingest.safety import safe_article
from ..link import LinkRules
from ..model import Article, ItemError
from ..store.dedup import NearDuplicates
from .io import MANIFEST, iter_rows, read_items, write_parquet_atomic, write_text_atomic
from .linking import InOrderLinker
from .records import ARTICLES_SCHEMA, EVENTS_SCHEMA, FORMAT_VERSION, error_json, error_row, linked_to_json, linked_to_row, \
    result_to_row, row_to_event

RUN_FILE = "_run.json"
EVENTS_PER_PART = 50_000  # events per Parquet part file: bounds the writer's buffer


@dataclass(frozen=True)
class ChunkDone:
    """What a worker reports for one finished chunk."""

    chunk: int
    worker: int  # process id
    items: int
    failed: int
    mentions: int
    peak_rss_mb: float  # the worker's peak resident memory so far
    seconds: float


@dataclass(frozen=True)
class WorkerFailed:
    """What a worker reports when it cannot load its pipeline: the exception, raised again in
    the parent."""

    error: BaseException


@dataclass
class BatchSummary:
    """Counts and measurements of one batch run (``_batch.json``)."""

    engine: str
    inputs: list[str]
    items: int = 0
    failed: int = 0
    duplicates: int = 0  # articles adding no events: an earlier item was the same article
    copies: int = 0  # articles adding no events: a near-copy of an earlier one (syndicated, lightly edited)
    mentions: int = 0  # events of single articles, before linking
    events: int = 0  # after linking
    chunks_skipped: int = 0  # done by an earlier run (--resume)
    items_skipped: int = 0
    extract_seconds: float = 0.0
    link_seconds: float = 0.0
    workers: int = 0
    peak_rss_mb: dict[str, float] = field(default_factory=dict)  # per worker process
    typing_model: str | None = None  # the typing model file the pipeline used, if any

    def line(self) -> str:
        resumed = f" ({self.items_skipped} done before, resumed)" if self.items_skipped else ""
        model = f"; typing model {self.typing_model}" if self.typing_model else ""
        return (f"{self.items} item(s){resumed}, {self.failed} failed, {self.duplicates} duplicate(s), "
                f"{self.copies} near-copy(ies); "
                f"{self.mentions} article event(s) linked into {self.events} event(s){model}")


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB


def numbered_chunks(items: Iterable[Article | ItemError], size: int) -> Iterator[list[tuple[int, Article | ItemError]]]:
    numbered = enumerate(items)
    while chunk := list(islice(numbered, size)):
        yield chunk


def chunk_path(output: Path, chunk: int) -> Path:
    return output / "articles" / f"chunk-{chunk:08d}.parquet"


def extract_rows(pipeline: Any, chunk: list[tuple[int, Article | ItemError]], *,
                 near: NearDuplicates | None = None) -> list[dict[str, Any]]:
    """Run the pipeline over one chunk (and sign each article for near-copy detection). Should
    it raise, each item is retried alone so that only the item at fault is reported failed."""
    # made safe before a row holds them: Parquet and Spark's readers do not pass read_inputs
    chunk = [(seq, safe_article(item) if isinstance(item, Article) else item) for seq, item in chunk]
    try:
        results = list(pipeline.run(item for _, item in chunk))
        return [result_to_row(seq, item, res, near=near) for (seq, item), res in zip(chunk, results, strict=True)]
    except Exception:  # noqa: BLE001 - narrowed down item by item below
        rows = []
        for seq, item in chunk:
            try:
                (res,) = list(pipeline.run([item]))
                rows.append(result_to_row(seq, item, res, near=near))
            except Exception as exc:  # noqa: BLE001 - one bad item never stops the batch
                rows.append(error_row(seq, item, f"extraction failed: {type(exc).__name__}: {exc}"))
        return rows


def _worker(tasks: Any, results: Any, output: str, typing_model: str | None = None,
            near: NearDuplicates | None = None) -> None:
    """A worker process: loads its own pipeline (with the typing model at ``typing_model``, if
    given) once, then extracts chunks until told to stop."""
    from ..pipeline import Pipeline, Resources

    try:
        pipeline = Pipeline(Resources.load(typing_model=Path(typing_model) if typing_model else None))
    except Exception as exc:  # noqa: BLE001 - reported to the parent, which raises it
        results.put(WorkerFailed(_picklable(exc)))
        return
    while (task := tasks.get()) is not None:
        chunk_no, chunk = task
        start = time.perf_counter()
        rows = extract_rows(pipeline, chunk, near=near)
        write_parquet_atomic(chunk_path(Path(output), chunk_no), rows, ARTICLES_SCHEMA)
        results.put(ChunkDone(
            chunk=chunk_no, worker=os.getpid(), items=len(rows), failed=sum(r["error"] is not None for r in rows),
            mentions=sum(len(r["mentions"]) for r in rows), peak_rss_mb=peak_rss_mb(),
            seconds=time.perf_counter() - start,
        ))


def _picklable(exc: Exception) -> BaseException:
    """``exc`` if it crosses a process boundary, else a RuntimeError with its text."""
    try:
        pickle.loads(pickle.dumps(exc))
        return exc
    except Exception:  # noqa: BLE001 - any exception type may refuse pickling
        return RuntimeError(f"{type(exc).__name__}: {exc}")


def _run_settings(inputs: Sequence[str], chunk_size: int, published: dt.date | None, max_bytes: int,
                  typing_model: Path | None = None, near: NearDuplicates | None = None) -> dict:
    settings = {"inputs": [str(Path(p).resolve()) if "://" not in p else p for p in inputs],
                "chunk_size": chunk_size, "published": published.isoformat() if published else None,
                "max_bytes": max_bytes,
                # finished chunks must carry the same columns and signatures as the rest
                "articles_format": FORMAT_VERSION,
                "near_duplicate": asdict(near) if near is not None else None}
    if typing_model is not None:  # absent without a model: runs started before the option resume as before
        settings["typing_model"] = str(typing_model.resolve())
        settings["typing_model_sha256"] = hashlib.sha256(typing_model.read_bytes()).hexdigest()
    return settings


def _prepare(output: Path, settings: dict, *, resume: bool) -> set[int]:
    """Check the output directory; return the chunks an earlier run finished."""
    run_file = output / RUN_FILE
    if run_file.exists():
        if not resume:
            raise FileExistsError(f"{output} holds an earlier batch: pass --resume to finish it, or another --output")
        earlier = json.loads(run_file.read_text(encoding="utf-8"))
        if earlier != settings:
            raise ValueError(f"{output} was started with other inputs or options ({earlier}); cannot resume")
    elif output.exists() and any(output.iterdir()):
        raise FileExistsError(f"{output} exists and is not a batch output")
    (output / "articles").mkdir(parents=True, exist_ok=True)
    for stale in (output / "articles").glob(".chunk-*.tmp-*"):  # left by a killed worker
        stale.unlink()
    (output / MANIFEST).unlink(missing_ok=True)
    write_text_atomic(run_file, [json.dumps(settings)])
    return {int(p.stem.split("-")[1]) for p in (output / "articles").glob("chunk-*.parquet")}


def run_local(
    inputs: Sequence[str],
    output: Path,
    *,
    workers: int | None = None,
    chunk_size: int = 32,
    resume: bool = False,
    published: dt.date | None = None,
    max_bytes: int = 10_000_000,
    rules: LinkRules | None = None,
    typing_model: str | Path | None = None,
    on_chunk: Callable[[ChunkDone], None] | None = None,
    on_skip: Callable[[int], None] | None = None,
) -> BatchSummary:
    """Extract with a process pool, then link; see the module doc. ``typing_model``: a file
    from ``flashpoint typing-model train``, loaded by each worker (a resumed run must use the
    same file; one it cannot use raises ``TypingModelUnusable`` before anything is written).
    ``on_chunk`` is called in the parent for each finished chunk (progress),
    ``on_skip`` with the item count of each chunk an earlier run finished."""
    workers = workers or os.cpu_count() or 1
    model = Path(typing_model) if typing_model is not None else None
    if model is not None:  # a model the workers cannot load fails here, before anything is written
        from ..pipeline import load_typing_model

        load_typing_model(model)
    rules = rules or LinkRules.load()
    near = NearDuplicates.from_settings(rules.near_duplicate)
    done = _prepare(output, _run_settings(inputs, chunk_size, published, max_bytes, model, near), resume=resume)
    summary = BatchSummary(engine="local", inputs=list(inputs), workers=workers,
                           typing_model=str(model) if model else None)
    start = time.perf_counter()
    ctx = mp.get_context("spawn")  # a fresh interpreter per worker: no state inherited from the parent
    tasks, results = ctx.Queue(), ctx.Queue()
    procs = [ctx.Process(target=_worker, args=(tasks, results, str(output), str(model) if model else None, near),
                         daemon=True) for _ in range(workers)]
    for p in procs:
        p.start()
    in_flight = 0

    def collect() -> None:
        nonlocal in_flight
        while True:
            try:
                report: ChunkDone | WorkerFailed = results.get(timeout=2.0)
                break
            except queue.Empty:
                dead = [p for p in procs if not p.is_alive()]
                if dead:
                    try:  # what it sent before exiting (WorkerFailed) may have arrived since
                        report = results.get(timeout=1.0)
                        break
                    except queue.Empty:
                        raise RuntimeError(f"a worker process died (exit code {dead[0].exitcode}); finished chunks "
                                           "are kept: run again with --resume") from None
        if isinstance(report, WorkerFailed):
            raise report.error
        in_flight -= 1
        key = str(report.worker)
        summary.peak_rss_mb[key] = max(summary.peak_rss_mb.get(key, 0.0), report.peak_rss_mb)
        if on_chunk:
            on_chunk(report)

    try:
        for chunk_no, chunk in enumerate(numbered_chunks(read_items(inputs, published=published,
                                                                    max_bytes=max_bytes), chunk_size)):
            if chunk_no in done:
                summary.chunks_skipped += 1
                summary.items_skipped += len(chunk)
                if on_skip:
                    on_skip(len(chunk))
                continue
            while in_flight >= 2 * workers:
                collect()
            tasks.put((chunk_no, chunk))
            in_flight += 1
        while in_flight:
            collect()
        for _ in procs:
            tasks.put(None)
        for p in procs:
            p.join(timeout=30)
    finally:
        tasks.cancel_join_thread()  # tasks no worker will read must not block this process's exit
        for p in procs:
            if p.is_alive():
                p.terminate()
                p.join()
        tasks.close()
        results.close()
    summary.extract_seconds = time.perf_counter() - start
    finish(output, summary, rules)
    return summary


def finish(output: Path, summary: BatchSummary, rules: LinkRules) -> None:
    """The link stage: every chunk's events in input order, then ``events/``, ``events.jsonl``,
    ``errors.jsonl`` and last the manifest."""
    start = time.perf_counter()
    linker = InOrderLinker(rules)
    summary.items = summary.failed = 0
    errors_tmp = output / f".errors.jsonl.tmp-{os.getpid()}"
    with open(errors_tmp, "w", encoding="utf-8") as errors:  # streamed: any number of bad items
        columns = ["seq", "origin", "mentions", "error", "dedup_keys", "minhash"]
        for row in iter_rows(output / "articles", columns=columns):
            summary.items += 1
            if row["error"] is not None:
                summary.failed += 1
                errors.write(error_json(row) + "\n")
                continue
            if linker.is_duplicate(row["dedup_keys"]) or linker.is_copy(row["minhash"]):
                continue
            for pos, mention in enumerate(row["mentions"]):
                linker.add((row["seq"], pos), row_to_event(mention))
    os.replace(errors_tmp, output / "errors.jsonl")
    summary.duplicates, summary.copies, summary.mentions = linker.duplicates, linker.copies, linker.mentions
    events_dir = output / "events"
    events_dir.mkdir(exist_ok=True)
    for old in events_dir.glob("part-*.parquet"):
        old.unlink()
    summary.events = 0
    batch: list[dict[str, Any]] = []
    for linked in linker.events():
        batch.append(linked_to_row(linked))
        if len(batch) == EVENTS_PER_PART:
            write_parquet_atomic(events_dir / f"part-{summary.events // EVENTS_PER_PART:05d}.parquet", batch,
                                 EVENTS_SCHEMA)
            summary.events += len(batch)
            batch = []
    if batch or not summary.events:
        write_parquet_atomic(events_dir / f"part-{summary.events // EVENTS_PER_PART:05d}.parquet", batch,
                             EVENTS_SCHEMA)
        summary.events += len(batch)
    write_text_atomic(output / "events.jsonl", (linked_to_json(x) for x in linker.events()))
    summary.link_seconds = time.perf_counter() - start
    write_text_atomic(output / MANIFEST, [json.dumps(asdict(summary), indent=1)])
