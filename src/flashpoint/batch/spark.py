"""The Spark engine: the same output as the local engine, on a cluster.

Stage 1, extraction: the input items, each with its place in the input order (``seq``), are
processed per partition (``mapPartitions``). Each executor Python process builds one pipeline,
lazily, on its first partition, and keeps it for the next ones: the pipeline lives in a
broadcast :class:`LazyPipeline`, which PySpark unpickles once per Python worker process and
keeps while the worker is reused (``spark.python.worker.reuse``, on by default). A typing
model (``typing_model``) is shipped to the executors with ``SparkContext.addFile`` and loaded
with that pipeline, once per process, from the executor's copy. The rows are written to
``OUTPUT/articles`` sorted by ``seq``.

Stage 2, linking (:mod:`.linking`): duplicates dropped; near-copies dropped (articles grouped
by MinHash band, each compared with the earlier ones of its bands); mentions grouped by the store's
blocking keys; connected groups found by large-star/small-star rounds; each group linked in
input order in one task. Events are written to ``OUTPUT/events`` (Parquet) and
``OUTPUT/events.jsonl`` (text part files), ordered by their first mention.

Settings come from Spark as usual: ``--master``/``--conf`` here, or ``spark-submit`` options
and ``spark-defaults.conf`` (``flashpoint batch`` run under spark-submit picks them up).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import resource
import sys
import tempfile
import time
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from pyspark import AccumulatorParam
from pyspark.sql import SparkSession
from pyspark.sql import functions as F
from pyspark.sql.pandas.types import from_arrow_schema

from ..link import LinkRules
from ..model import Article, ItemError
from ..store.dedup import NearDuplicates
from .io import MANIFEST, is_parquet, parquet_record
from .linking import block_keys, copies_in_band, large_star, link_group, small_star, star_edges
from .local import BatchSummary
from .records import ARTICLES_SCHEMA, EVENTS_SCHEMA, linked_to_json, linked_to_row, row_to_event

MAX_ROUNDS = 60  # large/small-star rounds; ~log² of a group's size are needed
FILE_BITS = 40  # seq = file number << FILE_BITS | item number within the file


class LazyPipeline:
    """A pipeline built on first use in the process that uses it; pickles without it.

    ``typing_model``: the file name of a typing model added with ``SparkContext.addFile``; the
    pipeline loads it from the process's copy (``SparkFiles.get``)."""

    def __init__(self, published: dt.date | None, typing_model: str | None = None) -> None:
        self.published = published
        self.typing_model = typing_model
        self._pipeline: Any = None

    def __getstate__(self) -> dict[str, Any]:
        return {"published": self.published, "typing_model": self.typing_model, "_pipeline": None}

    def get(self) -> Any:
        if self._pipeline is None:
            from pyspark import SparkFiles

            from ..pipeline import Pipeline, Resources

            model = Path(SparkFiles.get(self.typing_model)) if self.typing_model else None
            self._pipeline = Pipeline(Resources.load(typing_model=model))
        return self._pipeline


class MaxByKey(AccumulatorParam):
    """Accumulates {worker: peak RSS in MB}, keeping each worker's largest value."""

    def zero(self, value: dict[str, float]) -> dict[str, float]:
        return {}

    def addInPlace(self, a: dict[str, float], b: dict[str, float]) -> dict[str, float]:  # noqa: N802 (Spark's name)
        for k, v in b.items():
            a[k] = max(a.get(k, 0.0), v)
        return a


def _session(master: str | None, conf: dict[str, str]) -> SparkSession:
    if master is None or master.startswith("local"):
        # local executors run this interpreter (with flashpoint installed), not the PATH's python3
        os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    builder = SparkSession.builder.appName("flashpoint batch")
    if master:
        builder = builder.master(master)
    for key, value in conf.items():
        builder = builder.config(key, value)
    spark = builder.getOrCreate()
    spark.sparkContext.setLogLevel("WARN")
    return spark


def _list_files(spark: SparkSession, paths: list[str]) -> list[str]:
    """Input files in order, through Hadoop's file systems (local paths, hdfs://, s3a://, ...):
    directories walked recursively, sorted, hidden entries skipped, as the local engine does."""
    jvm, conf = spark._jvm, spark._jsc.hadoopConfiguration()  # noqa: SLF001 - the documented way in
    out: list[str] = []

    def walk(fs: Any, status: Any) -> None:
        if not status.isDirectory():
            out.append(status.getPath().toString())
            return
        for child in sorted(fs.listStatus(status.getPath()), key=lambda s: s.getPath().getName()):
            if not child.getPath().getName().startswith((".", "_")):
                walk(fs, child)

    for raw in paths:
        path = jvm.org.apache.hadoop.fs.Path(str(Path(raw).resolve()) if "://" not in raw else raw)
        fs = path.getFileSystem(conf)
        walk(fs, fs.getFileStatus(path))
    return out


def _origin(uri: str) -> str:
    """Local files are named as the local engine names them (no ``file:`` scheme)."""
    return uri.removeprefix("file:") if uri.startswith("file:/") and not uri.startswith("file://") else uri


def _items(spark: SparkSession, files: list[str], *, max_bytes: int) -> Any:
    """An RDD of (seq, Article | ItemError) over every input file, in input order by seq."""
    from ..ingest.readers import _document, _record

    sc = spark.sparkContext
    rdds = []
    whole = []
    for n, path in enumerate(files):
        base = n << FILE_BITS
        suffix = Path(path).suffix.lower()
        name = _origin(path)
        if is_parquet(path):
            df = spark.read.parquet(path).select("*", F.col("_metadata.row_index").alias("__row"))
            rdds.append(df.rdd.map(lambda r, p=name, b=base: (
                b + r["__row"], parquet_record({k: v for k, v in r.asDict().items() if k != "__row"},
                                               f"{p}:{r['__row'] + 1}", max_bytes=max_bytes))))
        elif suffix in (".jsonl", ".ndjson", ".json"):  # .json: as JSON Lines (a whole-file array is not split)
            rdds.append(sc.textFile(path).zipWithIndex().map(lambda li, p=name, b=base: (
                b + li[1], _json_line(li[0], f"{p}:{li[1] + 1}", max_bytes, _record))))
        else:
            whole.append((path, base))
    if whole:  # one article per file (text, HTML, whole JSON): read whole
        bases = dict(whole)
        rdds.append(sc.binaryFiles(",".join(p for p, _ in whole)).map(lambda kv: (
            bases.get(kv[0], 0),
            _document(kv[1], _origin(kv[0]), is_html=Path(kv[0]).suffix.lower() in (".html", ".htm", ".xhtml"))
            if len(kv[1]) <= max_bytes else ItemError(_origin(kv[0]), f"too large: {len(kv[1]):,} bytes; skipped"))))
    return sc.union(rdds) if len(rdds) > 1 else rdds[0]


def _json_line(line: str, origin: str, max_bytes: int, record: Any) -> Article | ItemError:
    if len(line.encode("utf-8", errors="replace")) > max_bytes:
        return ItemError(origin, f"line too large: more than {max_bytes:,} bytes (max_bytes); skipped")
    try:
        return record(json.loads(line), origin)
    except ValueError as exc:
        return ItemError(origin, f"invalid JSON ({exc}); line skipped")


def _extract_partition(lazy: Any, rss: Any, published: dt.date | None, near: NearDuplicates) -> Any:
    from dataclasses import replace

    from .local import extract_rows

    def run(items: Iterable[tuple[int, Any]]) -> Iterator[dict[str, Any]]:
        import os

        pipeline = lazy.value.get()
        chunk: list[tuple[int, Any]] = []
        for seq, item in items:
            if isinstance(item, Article) and item.published is None and published is not None:
                item = replace(item, published=published)
            chunk.append((seq, item))
            if len(chunk) == 32:
                yield from extract_rows(pipeline, chunk, near=near)
                chunk = []
        if chunk:
            yield from extract_rows(pipeline, chunk, near=near)
        rss.add({str(os.getpid()): resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024})

    return run


def _rows(rdd: Any, schema: Any) -> Any:
    names = schema.names
    return rdd.map(lambda row: tuple(row[n] for n in names))


def run_spark(
    inputs: list[str],
    output: str,
    *,
    master: str | None = None,
    conf: dict[str, str] | None = None,
    partitions: int | None = None,
    published: dt.date | None = None,
    max_bytes: int = 10_000_000,
    rules: LinkRules | None = None,
    typing_model: str | Path | None = None,
) -> BatchSummary:
    """Extract and link with Spark; the same output layout as :func:`~.local.run_local`.
    ``typing_model``: a local file from ``flashpoint typing-model train``, shipped to the
    executors and loaded by each executor process's pipeline (one it cannot use raises
    ``TypingModelUnusable`` before Spark starts)."""
    if typing_model is not None:  # fail here, not in a Spark task, when the executors could not load it
        from ..pipeline import load_typing_model

        load_typing_model(Path(typing_model))
    spark = _session(master, conf or {})
    sc = spark.sparkContext
    rules = rules or LinkRules.load()
    summary = BatchSummary(engine="spark", inputs=list(inputs), workers=sc.defaultParallelism,
                           typing_model=str(typing_model) if typing_model is not None else None)
    model_name = None
    if typing_model is not None:
        shipped = _content_named_copy(Path(typing_model))
        sc.addFile(str(shipped))
        model_name = shipped.name  # the name SparkFiles.get finds it by
    out = output.rstrip("/")
    start = time.perf_counter()

    # Stage 1: extraction
    items = _items(spark, _list_files(spark, inputs), max_bytes=max_bytes)
    # Sorting by seq samples only the input (cheap) and gives balanced partitions of
    # consecutive items: extraction keeps that order, so the part files come out in seq order
    # and the NLP runs once (a sort after extraction would run it again for its sample).
    items = items.sortByKey(numPartitions=partitions or 4 * sc.defaultParallelism)
    lazy = sc.broadcast(LazyPipeline(published, model_name))
    rss = sc.accumulator({}, MaxByKey())
    articles_schema = from_arrow_schema(ARTICLES_SCHEMA)
    near = NearDuplicates.from_settings(rules.near_duplicate)
    rows = items.mapPartitions(_extract_partition(lazy, rss, published, near))
    spark.createDataFrame(_rows(rows, articles_schema), articles_schema) \
        .write.mode("overwrite").parquet(f"{out}/articles")
    summary.extract_seconds = time.perf_counter() - start
    summary.peak_rss_mb = dict(rss.value)

    # Stage 2: linking
    start = time.perf_counter()
    articles = spark.read.parquet(f"{out}/articles").select("seq", "origin", "mentions", "error", "dedup_keys",
                                                            "minhash")
    counts = articles.agg(F.count("*").alias("n"), F.count("error").alias("failed")).first()
    summary.items, summary.failed = counts["n"], counts["failed"]
    articles.where(F.col("error").isNotNull()) \
        .select(F.to_json(F.struct(F.col("seq"), F.col("origin"), F.col("error").alias("reason"))).alias("value")) \
        .write.mode("overwrite").text(f"{out}/errors.jsonl")
    ok = articles.where(F.col("error").isNull())
    keys = ok.select("seq", F.explode("dedup_keys").alias("key"))
    first = keys.groupBy("key").agg(F.min("seq").alias("first"))
    dups = keys.join(first, "key").where(F.col("first") < F.col("seq")).select("seq").distinct()
    summary.duplicates = dups.count()
    kept = ok.join(dups, "seq", "left_anti")
    copies = spark.createDataFrame(_near_copies(kept, near).map(lambda seq: (seq,)), "seq long").cache()
    summary.copies = copies.count()
    kept = kept.join(copies, "seq", "left_anti")
    mentions = kept.select("seq", F.posexplode("mentions").alias("pos", "mention")).rdd.map(
        lambda r: ((r["seq"], r["pos"]), r["mention"].asDict(recursive=True))
    ).zipWithIndex().map(lambda x: (x[1], x[0])).cache()  # (mention id, (order, row))
    summary.mentions = mentions.count()
    labels = _groups(mentions, rules)
    groups = mentions.leftOuterJoin(labels).map(
        lambda kv: (kv[1][1] if kv[1][1] is not None else kv[0], kv[1][0])
    ).groupByKey()
    linked = groups.flatMap(lambda kv: link_group(((o, row_to_event(m)) for o, m in kv[1]), rules)) \
        .sortBy(lambda x: x[0]).map(lambda x: x[1]).cache()
    events_schema = from_arrow_schema(EVENTS_SCHEMA)
    spark.createDataFrame(_rows(linked.map(linked_to_row), events_schema), events_schema) \
        .write.mode("overwrite").parquet(f"{out}/events")
    spark.createDataFrame(linked.map(lambda x: (linked_to_json(x),)), "value string") \
        .write.mode("overwrite").text(f"{out}/events.jsonl")
    summary.events = linked.count()
    summary.link_seconds = time.perf_counter() - start
    _write_manifest(spark, out, summary)
    return summary


def _near_copies(kept: Any, near: NearDuplicates) -> Any:
    """The seqs of near-copies (RDD), as the local engine and the store decide: an article is a
    copy when an earlier kept article sharing a band is similar enough (copies count)."""
    banded = kept.where(F.col("minhash").isNotNull()).select("seq", "minhash").rdd.flatMap(
        lambda r: [((i, h), (r["seq"], list(r["minhash"]))) for i, h in enumerate(near.band_hashes(list(r["minhash"])))]
    )
    return banded.groupByKey().flatMap(lambda kv: copies_in_band(kv[1], near)).distinct()


def _groups(mentions: Any, rules: LinkRules) -> Any:
    """(mention id, group label) for every mention linked to another through blocking keys."""
    keyed = mentions.flatMap(lambda kv: _keyed(kv[0], row_to_event(kv[1][1]), rules))
    edges = keyed.groupByKey().flatMap(
        lambda kv: star_edges(sorted({m for m, _ in kv[1]})) if any(idx for _, idx in kv[1]) else []
    ).distinct().cache()
    for _ in range(MAX_ROUNDS):
        large = edges.flatMap(lambda e: [e, (e[1], e[0])]).groupByKey() \
            .flatMap(lambda kv: large_star(kv[0], kv[1])).distinct()
        small = large.map(lambda e: (max(e), min(e))).groupByKey() \
            .flatMap(lambda kv: small_star(kv[0], kv[1])).distinct().cache()
        changed = small.subtract(edges).count() + edges.subtract(small).count()
        edges.unpersist()
        edges = small
        if not changed:
            return edges
    raise RuntimeError(f"linking groups did not settle in {MAX_ROUNDS} rounds")


def _keyed(mid: int, event: Any, rules: LinkRules) -> list[tuple[Any, tuple[int, bool]]]:
    indexed, queried = block_keys(event, rules)
    own = set(indexed)
    return [(k, (mid, True)) for k in own] + [(k, (mid, False)) for k in set(queried) - own]


def _write_manifest(spark: SparkSession, out: str, summary: BatchSummary) -> None:
    from dataclasses import asdict

    text = json.dumps(asdict(summary), indent=1)
    if "://" not in out or out.startswith("file:"):
        Path(out.removeprefix("file://").removeprefix("file:")).joinpath(MANIFEST).write_text(text, encoding="utf-8")
        return
    jvm = spark._jvm  # noqa: SLF001 - Hadoop FS for a remote output
    path = jvm.org.apache.hadoop.fs.Path(f"{out}/{MANIFEST}")
    stream = path.getFileSystem(spark._jsc.hadoopConfiguration()).create(path, True)  # noqa: SLF001
    stream.write(bytearray(text.encode("utf-8")))
    stream.close()


def _content_named_copy(path: Path) -> Path:
    """A copy of ``path`` named by its checksum, for ``addFile``: a session refuses a second
    file of the same name from another path, so two models both called ``typing.npz`` (or one
    file rewritten between runs) must not share a name, while the same bytes may."""
    data = path.read_bytes()
    folder = Path(tempfile.gettempdir()) / "flashpoint-typing-models"
    folder.mkdir(exist_ok=True)
    copy = folder / f"{hashlib.sha256(data).hexdigest()[:16]}-{path.name}"
    if not copy.exists():
        tmp = copy.with_suffix(f".tmp-{os.getpid()}")
        tmp.write_bytes(data)
        tmp.replace(copy)  # atomic: a concurrent run sees a whole file or none
    return copy
